/**
 * Sweeps over seeds and hyperparameters (issue 21): what notebooks and the CLI use.
 * A sweep file (./spec.ts) expands into ordinary runs (./plan.ts) trained locally (`bvae sweep run`)
 * or on Slurm (./slurm.ts), scored by `bvae eval` and read back as a table (./scores.ts); the
 * strip/violin chart of the scores is charts/sweep.ts.
 */
export { readSweepFile, parseSweep, parseSlurmResources, type SweepSpec, type SlurmResources, type SweepEvalProtocol } from "./spec";
export { OVERRIDE_KEYS, sweepConfig, type OverrideKey, type OverrideValue } from "./overrides";
export { loadSweep, expandSweep, sweepSettings, sweepStatus, countStates, type Sweep, type SweepRun, type SweepSetting, type RunStatus, type RunState } from "./plan";
export {
  sweepScoreTable, summariseSetting, meanSd, formatSweepSummary, sweepProtocol, evalFlags, REFERENCE_SWEEP_PROTOCOL, SMOKE_SWEEP_PROTOCOL,
  type SweepScoreRow, type SettingSummary,
} from "./scores";
export { speedKey, speedSamples, storedSpeed, estimateSweep, formatHours, wallSeconds, type Speed, type SweepEstimate } from "./speed";
export { measureSpeed } from "./measure";
export { runSideBySide } from "./processes";
export type { ChildTask, ChildResult } from "./processes";
export {
  parseSbatchOutput, readSubmissions, recordSubmission, requireOnPath, sbatchScript, slurmCommand, slurmTime, sweepFolder, taskStates,
  type Submission, type TaskState,
} from "./slurm";
