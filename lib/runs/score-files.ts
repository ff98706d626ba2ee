/**
 * Scores stored with a run: `<run>/metrics.json`, a list of entries, one per protocol (sample
 * sizes, batch size, seed, FactorVAE's variance sample when not the reference's). Written atomically; an entry for the same protocol is replaced only
 * when asked (`bvae eval --force`), so stored numbers are never silently overwritten.
 *
 * A run still in training (runs/.partial/<name>) keeps the scores of each evaluated checkpoint in
 * `metrics-step-<step>.json` (same format, entries tagged with the step) beside its checkpoints,
 * so they travel with the committed checkpoints and are never mistaken for the final model's; a
 * weight snapshot's scores (`bvae eval --snapshot`) go to the same kind of file. They are copied
 * into the complete run's folder when it finishes: the run's score history.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { explainWriteError, writeFileAtomic } from "../files";
import { readJson } from "../train/files";
import { withFileLock } from "./lock";
import { DEFAULT_VARIANCE_SAMPLES } from "../metrics/adapter";
import type { MetricName, MetricScore } from "../metrics/types";

export const METRICS_FILE = "metrics.json";
export const METRICS_FORMAT = "bvae-metrics-1";

/** The scores file of a partial run's checkpoint at `step`: metrics-step-<step>.json. */
export function partialMetricsFile(step: number): string {
  if (!(Number.isInteger(step) && step >= 0)) throw new Error(`partialMetricsFile: step ${step} is not a non-negative integer`);
  return `metrics-step-${step}.json`;
}

export interface MetricProtocol {
  readonly numTrain: number;
  readonly numEval: number;
  readonly batchSize: number;
  readonly seed: number;
  /**
   * FactorVAE's codes for the global variance; absent means the reference's 10000 (entries stored
   * before this field existed all used it).
   */
  readonly numVarianceSamples?: number;
}

export interface MetricsEntry {
  readonly protocol: MetricProtocol;
  readonly scores: readonly MetricScore[];
  /** Seconds per metric (sampling + encoding + the metric). */
  readonly seconds: Readonly<Partial<Record<MetricName, number>>>;
  readonly backend: string;
  readonly datasetSource: string;
  readonly evaluatedAt: string;
  /** Partial runs: the checkpoint step the scores belong to. */
  readonly step?: number;
}

export interface MetricsFile {
  readonly format: string;
  readonly run: string;
  readonly entries: readonly MetricsEntry[];
}

const varianceSamples = (p: MetricProtocol) => p.numVarianceSamples ?? DEFAULT_VARIANCE_SAMPLES;
const sameProtocol = (a: MetricProtocol, b: MetricProtocol) =>
  a.numTrain === b.numTrain && a.numEval === b.numEval && a.batchSize === b.batchSize && a.seed === b.seed &&
  varianceSamples(a) === varianceSamples(b);

const CHECKPOINT_SCORES = /^metrics-step-(\d+)\.json$/;

/** The steps whose scores a run folder holds (metrics-step-<step>.json: a checkpoint or a weight snapshot), ascending. */
export function checkpointScoreSteps(runDir: string): number[] {
  if (!fs.existsSync(runDir)) return [];
  return fs
    .readdirSync(runDir)
    .map((f) => CHECKPOINT_SCORES.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/**
 * Copies a partial run's checkpoint scores into the folder that becomes the complete run, so the
 * scores of the earlier stages of training stay with the finished run (checkpoints do not).
 */
export function copyCheckpointScores(fromRunDir: string, toRunDir: string): void {
  for (const step of checkpointScoreSteps(fromRunDir)) {
    const name = partialMetricsFile(step);
    fs.copyFileSync(path.join(fromRunDir, name), path.join(toRunDir, name));
  }
}

/** `fileName`: METRICS_FILE for a complete run, partialMetricsFile(step) for a checkpoint. */
export function readMetrics(runDir: string, fileName = METRICS_FILE): MetricsFile | undefined {
  const file = path.join(runDir, fileName);
  if (!fs.existsSync(file)) return undefined;
  const fix = `move it away (mv ${file} ${file}.bad) and run bvae eval again to recompute its scores`;
  let parsed: MetricsFile;
  try {
    parsed = readJson<MetricsFile>(file);
  } catch (err) {
    throw new Error(`${(err as Error).message}; the stored scores cannot be read: ${fix}`);
  }
  if (parsed === null || typeof parsed !== "object") throw new Error(`${file}: not a scores file (expected a JSON object); ${fix}`);
  if (parsed.format !== METRICS_FORMAT) throw new Error(`${file}: format "${parsed.format}", expected "${METRICS_FORMAT}"; ${fix}`);
  if (!Array.isArray(parsed.entries) || !parsed.entries.every((e) => e && typeof e === "object" && e.protocol && Array.isArray(e.scores))) {
    throw new Error(`${file}: "entries" is not a list of {protocol, scores}; ${fix}`);
  }
  return parsed;
}

/** The stored entry for a protocol, if any. */
export function findEntry(runDir: string, protocol: MetricProtocol, fileName = METRICS_FILE): MetricsEntry | undefined {
  return readMetrics(runDir, fileName)?.entries.find((e) => sameProtocol(e.protocol, protocol));
}

/**
 * Adds an entry. Scores of metrics it does not contain are kept from an existing entry with the
 * same protocol; metrics it contains replace stored ones only with `replace`.
 */
export function storeEntry(runDir: string, entry: MetricsEntry, replace: boolean, fileName = METRICS_FILE): MetricsEntry {
  // Read, merge and write under a lock: two evals storing into one file both keep their entries.
  try {
    return withFileLock(path.join(runDir, `.${fileName}.lock`), () => storeUnlocked(runDir, entry, replace, fileName));
  } catch (err) {
    // A full or read-only disk (the lock file or the scores file): named as the scores file's failure.
    if ((err as NodeJS.ErrnoException).code) throw explainWriteError(err, `cannot write ${path.join(runDir, fileName)}`, runDir, JSON.stringify(entry).length);
    throw err;
  }
}

function storeUnlocked(runDir: string, entry: MetricsEntry, replace: boolean, fileName: string): MetricsEntry {
  const existing = readMetrics(runDir, fileName);
  const entries = [...(existing?.entries ?? [])];
  const i = entries.findIndex((e) => sameProtocol(e.protocol, entry.protocol));
  let merged = entry;
  if (i >= 0) {
    const old = entries[i];
    const clash = entry.scores.filter((s) => old.scores.some((o) => o.metric === s.metric)).map((s) => s.metric);
    if (clash.length && !replace) {
      throw new Error(`${path.join(runDir, fileName)} already holds ${clash.join(", ")} for this protocol (use --force to recompute)`);
    }
    const kept = old.scores.filter((o) => !entry.scores.some((s) => s.metric === o.metric));
    merged = { ...entry, scores: [...kept, ...entry.scores], seconds: { ...old.seconds, ...entry.seconds } };
    entries[i] = merged;
  } else entries.push(entry);
  const file: MetricsFile = { format: METRICS_FORMAT, run: path.basename(runDir), entries };
  writeFileAtomic(path.join(runDir, fileName), JSON.stringify(file, null, 2) + "\n");
  return merged;
}
