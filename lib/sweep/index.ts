/**
 * Sweeps over seeds and hyperparameters (issue 21): what notebooks and the CLI use.
 * A sweep file (./spec.ts) expands into ordinary runs (./plan.ts) trained locally (`bvae sweep run`)
 * or on Slurm (./slurm.ts), scored by `bvae eval` and read back as a table (./scores.ts) and a
 * strip/violin chart (../charts/sweep.ts).
 */
export { readSweepFile, parseSweep, type SweepSpec, type SlurmResources, type SweepEvalProtocol } from "./spec";
export { OVERRIDE_KEYS, sweepConfig, type OverrideKey, type OverrideValue } from "./overrides";
export { loadSweep, expandSweep, sweepSettings, sweepStatus, countStates, type Sweep, type SweepRun, type SweepSetting, type RunStatus, type RunState } from "./plan";
export { sweepScoreTable, summariseSetting, formatSweepSummary, sweepProtocol, REFERENCE_SWEEP_PROTOCOL, SMOKE_SWEEP_PROTOCOL, type SweepScoreRow, type SettingSummary } from "./scores";
export { sweepChart, type SweepChartOptions } from "../charts/sweep";
