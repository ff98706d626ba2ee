/**
 * A sweep expanded into runs, and what the runs folder holds of each.
 *
 * Run i of a sweep is fixed by the file alone (never by what exists), so that `bvae sweep task FILE
 * --index i` names the same run on every machine: seed-major order (every setting's first seed,
 * then every setting's second seed, ...), so that a sweep stopped half-way has every setting at
 * least once; settings are the grid's Cartesian product, keys in file order, the last key fastest.
 */
import type { TrainConfig } from "../train/config";
import { listRuns } from "../runs/listing";
import { runName } from "../runs/key";
import { runsDir } from "../runs/run";
import type { TrainOptions } from "../runs/train-or-load";
import { overrideLabel, sweepConfig, type OverrideKey, type OverrideValue } from "./overrides";
import { readSweepFile, type SweepSpec } from "./spec";

/** One setting of the grid: a value for each grid key. */
export interface SweepSetting {
  /** Position in the grid's product (0-based). */
  readonly index: number;
  readonly values: Readonly<Partial<Record<OverrideKey, OverrideValue>>>;
  /** "beta=4", "cMax=10, gamma=100", or "all" for an empty grid. */
  readonly label: string;
}

export interface SweepRun {
  /** Its index in the sweep (the Slurm array index). */
  readonly index: number;
  readonly setting: SweepSetting;
  readonly seed: number;
  readonly config: TrainConfig;
  /** The run folder's name (runs/<name>): the same as `bvae train` gives the same config. */
  readonly name: string;
}

export interface Sweep {
  readonly spec: SweepSpec;
  readonly settings: readonly SweepSetting[];
  readonly runs: readonly SweepRun[];
}

/** The grid's settings, in order. */
export function sweepSettings(spec: Pick<SweepSpec, "grid">): SweepSetting[] {
  let combos: Partial<Record<OverrideKey, OverrideValue>>[] = [{}];
  for (const { key, values } of spec.grid) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  return combos.map((values, index) => ({
    index,
    values,
    label: spec.grid.length ? spec.grid.map(({ key }) => `${overrideLabel(key)}=${values[key]}`).join(", ") : "all",
  }));
}

/** Expands a checked sweep file into its runs; an override that fails names the file and the setting. */
export function expandSweep(spec: SweepSpec): Sweep {
  const settings = sweepSettings(spec);
  const runs: SweepRun[] = [];
  for (const seed of spec.seeds) {
    for (const setting of settings) {
      let config: TrainConfig;
      try {
        config = sweepConfig(spec.preset, spec.profile, { ...spec.overrides, ...setting.values }, seed);
      } catch (err) {
        const where = spec.grid.length ? ` (grid setting ${setting.label})` : "";
        throw new Error(`${spec.file}${where}: ${err instanceof Error ? err.message : String(err)}`);
      }
      runs.push({ index: runs.length, setting, seed, config, name: runName(config) });
    }
  }
  const names = new Set(runs.map((r) => r.name));
  if (names.size !== runs.length) throw new Error(`${spec.file}: two settings give the same run (a grid value equal to another after defaults?)`);
  return { spec, settings, runs };
}

/** Reads, checks and expands a sweep file. */
export function loadSweep(file: string): Sweep {
  return expandSweep(readSweepFile(file));
}

/** damaged: its folder cannot be read (bvae runs says why); nothing trains over it. */
export type RunState = "complete" | "running" | "partial" | "damaged" | "missing";

export interface RunStatus extends SweepRun {
  readonly state: RunState;
  /** Steps trained: all when complete, the newest checkpoint's step when partial or running, else 0. */
  readonly step: number;
  /** The training process (running on this machine). */
  readonly pid?: number;
  /** The run folder when it exists (complete, or runs/.partial/<name>). */
  readonly dir?: string;
}

/**
 * What the runs folder holds of each run: complete, running (a live process holds its lock on this
 * machine), partial (a checkpoint to resume from), damaged (its folder cannot be read) or missing.
 */
export function sweepStatus(sweep: Sweep, options: Pick<TrainOptions, "runsDir"> = {}): RunStatus[] {
  const listed = new Map(listRuns({ runsDir: runsDir(options) }).map((r) => [r.name, r]));
  return sweep.runs.map((run) => {
    const found = listed.get(run.name);
    if (!found) return { ...run, state: "missing" as const, step: 0 };
    return { ...run, state: found.status, step: found.step, dir: found.dir, ...(found.pid !== undefined ? { pid: found.pid } : {}) };
  });
}

/** Counts per state, in a fixed order. */
export function countStates(statuses: readonly Pick<RunStatus, "state">[]): Record<RunState, number> {
  const out: Record<RunState, number> = { complete: 0, running: 0, partial: 0, damaged: 0, missing: 0 };
  for (const s of statuses) out[s.state]++;
  return out;
}
