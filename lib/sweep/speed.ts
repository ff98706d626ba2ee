/**
 * How long a sweep's missing runs take, at the speed measured on this machine: from the training
 * seconds stored with earlier runs of the same architecture and dataset (a complete run's
 * summary.json, a partial run's newest checkpoint state.json), or from a short measurement
 * (./measure.ts) when there is none. Times are per image (seconds / (steps x batch size)), so a
 * run at another batch size is scaled; runs shorter than MIN_STEPS are left out (their time is
 * mostly start-up).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readJson } from "../train/files";
import { latestCheckpoint } from "../train/checkpoint";
import type { TrainConfig } from "../train/config";
import type { RunStatus } from "./plan";

/** Runs with fewer steps say little about the per-step speed. */
export const MIN_STEPS = 100;

/** One earlier run's training speed. */
export interface SpeedSample {
  readonly run: string;
  readonly dir: string;
  readonly dataset: string;
  readonly architecture: string;
  readonly batchSize: number;
  readonly steps: number;
  readonly seconds: number;
  readonly backend: string;
  readonly complete: boolean;
}

/** The speed used for one (dataset, architecture). */
export interface Speed {
  readonly dataset: string;
  readonly architecture: string;
  /** Median over the samples (or the measurement). */
  readonly secondsPerImage: number;
  /** Fastest and slowest sample (equal for a measurement). */
  readonly range: readonly [number, number];
  readonly source: "runs" | "measurement";
  /** The runs it comes from (source "runs"), or a description of the measurement. */
  readonly samples: readonly SpeedSample[];
  readonly note: string;
}

/** The training speed of every run folder (complete or with a checkpoint) under `dirs`, each run once. */
export function speedSamples(dirs: readonly string[]): SpeedSample[] {
  const out = new Map<string, SpeedSample>();
  const add = (name: string, dir: string, config: TrainConfig, steps: number, seconds: number, backend: string, complete: boolean) => {
    if (out.has(name) || !(steps >= MIN_STEPS && seconds > 0)) return;
    out.set(name, { run: name, dir, dataset: config.dataset, architecture: config.architecture, batchSize: config.batchSize, steps, seconds, backend, complete });
  };
  for (const root of [...new Set(dirs.map((d) => path.resolve(d)))]) {
    if (!fs.existsSync(root)) continue;
    for (const name of fs.readdirSync(root).sort()) {
      const dir = path.join(root, name);
      if (name.startsWith(".") || !fs.existsSync(path.join(dir, "summary.json")) || !fs.existsSync(path.join(dir, "config.json"))) continue;
      const s = readJson<{ steps: number; seconds: number; backend: string }>(path.join(dir, "summary.json"));
      add(name, dir, readJson<TrainConfig>(path.join(dir, "config.json")), s.steps, s.seconds, s.backend, true);
    }
    const partial = path.join(root, ".partial");
    if (!fs.existsSync(partial)) continue;
    for (const name of fs.readdirSync(partial).sort()) {
      const dir = path.join(partial, name);
      const ck = latestCheckpoint(dir);
      if (!ck || !fs.existsSync(path.join(dir, "config.json")) || !fs.existsSync(path.join(ck.dir, "state.json"))) continue;
      const st = readJson<{ step: number; seconds: number; backend: string }>(path.join(ck.dir, "state.json"));
      add(name, dir, readJson<TrainConfig>(path.join(dir, "config.json")), st.step, st.seconds, st.backend, false);
    }
  }
  return [...out.values()];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const perImage = (s: SpeedSample) => s.seconds / (s.steps * s.batchSize);

/** The speed of (dataset, architecture) from earlier runs; undefined when there is none. */
export function storedSpeed(samples: readonly SpeedSample[], dataset: string, architecture: string): Speed | undefined {
  const mine = samples.filter((s) => s.dataset === dataset && s.architecture === architecture);
  if (mine.length === 0) return undefined;
  const rates = mine.map(perImage);
  const complete = mine.filter((s) => s.complete).length;
  const backends = [...new Set(mine.map((s) => s.backend))].join("/");
  const what = [complete ? `${complete} complete` : "", mine.length - complete ? `${mine.length - complete} partial` : ""].filter(Boolean).join(" + ");
  return {
    dataset, architecture, secondsPerImage: median(rates), range: [Math.min(...rates), Math.max(...rates)], source: "runs", samples: mine,
    note: `median of ${what} ${architecture} run${mine.length > 1 ? "s" : ""} on ${dataset} (${backends})`,
  };
}

/** Seconds of training a run still needs at `speed`. */
export function remainingSeconds(run: Pick<RunStatus, "config" | "step" | "state">, speed: Pick<Speed, "secondsPerImage">): number {
  if (run.state === "complete") return 0;
  return (run.config.steps - run.step) * run.config.batchSize * speed.secondsPerImage;
}

/**
 * Wall time of `durations` on `jobs` workers taking them in order (each to the first free worker):
 * what `bvae sweep run --jobs N` does, if each process keeps its speed.
 */
export function wallSeconds(durations: readonly number[], jobs: number): number {
  if (!(Number.isInteger(jobs) && jobs >= 1)) throw new Error(`wallSeconds: jobs must be a positive integer, got ${jobs}`);
  const free = new Array<number>(jobs).fill(0);
  for (const d of durations) {
    const i = free.indexOf(Math.min(...free));
    free[i] += d;
  }
  return Math.max(...free);
}

/** "3 h 05 min", "12 min", "40 s". */
export function formatHours(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** What the runs still to train need, at the given speeds. */
export interface SweepEstimate {
  /** Runs not complete. */
  readonly runs: number;
  /** Steps still to train, over those runs. */
  readonly steps: number;
  /** Seconds of training in total (one process each). */
  readonly seconds: number;
  /** The longest single run's remaining seconds. */
  readonly longestRun: number;
  /** Seconds per run, in sweep order (0 for complete runs). */
  readonly perRun: readonly number[];
  /** Runs whose (dataset, architecture) has no speed. */
  readonly unknown: readonly string[];
}

/** The key of a speed: "<dataset>/<architecture>". */
export const speedKey = (c: Pick<TrainConfig, "dataset" | "architecture">): string => `${c.dataset}/${c.architecture}`;

export function estimateSweep(statuses: readonly RunStatus[], speeds: ReadonlyMap<string, Pick<Speed, "secondsPerImage">>): SweepEstimate {
  const unknown: string[] = [];
  const perRun = statuses.map((r) => {
    if (r.state === "complete") return 0;
    const speed = speeds.get(speedKey(r.config));
    if (!speed) {
      unknown.push(r.name);
      return NaN;
    }
    return remainingSeconds(r, speed);
  });
  const todo = statuses.filter((r) => r.state !== "complete");
  const known = perRun.filter((s) => Number.isFinite(s));
  return {
    runs: todo.length,
    steps: todo.reduce((n, r) => n + r.config.steps - r.step, 0),
    seconds: known.reduce((a, b) => a + b, 0),
    longestRun: known.length ? Math.max(...known) : 0,
    perRun,
    unknown,
  };
}
