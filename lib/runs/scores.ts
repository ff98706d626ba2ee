/**
 * Every disentanglement metric of a trained run, read from the scores stored with it when they
 * exist for this protocol and this step, else computed now and stored, so that notebooks show the
 * numbers `bvae eval` computed without spending the encoder time again.
 *
 *   complete run: <run>/metrics.json
 *   partial run:  runs/.partial/<name>/metrics-step-<step>.json (its newest checkpoint's scores)
 */
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { assertWritable } from "../files";
import type { GroundTruthDataset, ImageBatch } from "../data/dataset";
import type { Encoder } from "../metrics/encoder";
import { ADAPTER_DEFAULTS, DEFAULT_VARIANCE_SAMPLES, evaluateAll } from "../metrics/adapter";
import { modelEncoder } from "../metrics/model-encoder";
import { checkpointScoreSteps, findEntry, METRICS_FILE, partialMetricsFile, storeEntry, type MetricProtocol, type MetricsEntry } from "./score-files";
import { METRIC_NAMES, type MetricName, type MetricScore } from "../metrics/types";
import { byProfile, type Profile } from "../profile";
import { checkDataSource } from "./data-source";
import { loadSnapshot, type Run } from "./run";

export interface RunScores {
  /** One score per requested metric, in the requested order (default METRIC_NAMES). */
  readonly scores: readonly MetricScore[];
  /** Metrics read from the run folder (the others were computed now). */
  readonly storedMetrics: readonly MetricName[];
  /** The scores file in the run folder. */
  readonly file: string;
  /** Whether newly computed scores were written to that file. */
  readonly written: boolean;
  /** The scores computed now, with their protocol, timings and step (undefined when all were stored). */
  readonly computed?: MetricsEntry;
}

export interface RunScoresOptions {
  /** The metrics wanted (default all of METRIC_NAMES). */
  readonly metrics?: readonly MetricName[];
  /** Recompute the wanted metrics even when stored, and replace them in the file (default false). */
  readonly force?: boolean;
  /** Write newly computed scores into the run folder (default true). */
  readonly store?: boolean;
  readonly onScore?: (s: MetricScore, seconds: number) => void;
  /**
   * Called after each batch the model encodes, with the images encoded so far (each distinct image once,
   * plus the one image the code cache encodes first to learn the code width: at most the dataset's size + 1).
   * Encoding is most of a score's minutes: `encodingProgress` prints it.
   */
  readonly onEncoded?: (images: number) => void;
  /**
   * Score the run's weight snapshot at this step (lib/train/snapshots.ts: 5%, 10%, 25%, 50% of its
   * steps) instead of its current weights; stored in metrics-step-<step>.json like a checkpoint's.
   * The run's own step means its current weights.
   */
  readonly snapshot?: number;
}

/** `encode`, telling `onEncoded` the images encoded so far after each call. */
function countingEncoder(encode: Encoder, onEncoded?: (images: number) => void): Encoder {
  if (!onEncoded) return encode;
  let images = 0;
  return (batch: ImageBatch): Float32Array => {
    const codes = encode(batch);
    images += batch.n;
    onEncoded(images);
    return codes;
  };
}

/**
 * A progress line for runScores' `onEncoded`: "<label>: encoded 245,760 images (the dataset has 737,280;
 * 2,050 img/s)", at most once every `everySeconds` (default 30). With the code cache no image is encoded
 * twice, so the dataset's size bounds the count (and the time left).
 */
export function encodingProgress(label: string, total: number, log: (line: string) => void = console.log, everySeconds = 30): (images: number) => void {
  const start = Date.now();
  let last = start;
  return (images: number) => {
    const now = Date.now();
    if (now - last < everySeconds * 1000) return;
    last = now;
    const rate = images / Math.max((now - start) / 1000, 1e-3);
    log(`${label}: encoded ${images.toLocaleString("en-US")} images (the dataset has ${total.toLocaleString("en-US")}; ${Math.round(rate).toLocaleString("en-US")} img/s)`);
  };
}

/**
 * The protocol the notebooks score trained models with: `bvae eval`'s default, the field's reference (10,000
 * training and 5,000 evaluation points, batches of 64, 10,000 codes for FactorVAE's variance, seed 0), at every
 * profile but smoke, whose sizes take seconds (its scores are stored apart, under their own key).
 */
export function profileProtocol(profile: Profile): MetricProtocol {
  const { numTrain, numEval, batchSize, numVarianceSamples, seed } = ADAPTER_DEFAULTS;
  const reference: MetricProtocol = { numTrain, numEval, batchSize, numVarianceSamples, seed };
  return byProfile({ smoke: { numTrain: 100, numEval: 50, batchSize: 16, numVarianceSamples: 500, seed: 0 }, cpu: reference, long: reference, paper: reference }, profile);
}

/** The Higgins table's protocol (the baselines beside the published numbers): sizes and seed, and the images PCA and ICA are fitted on. */
export interface BaselineProtocol {
  readonly numTrain: number;
  readonly numEval: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly numFitImages: number;
}

/**
 * The Higgins table's protocol at a profile, for notebook 05 and `bvae eval --baselines --profile`
 * (which `bvae prepare` runs beside the trainings): profileProtocol's sizes and seed; PCA and ICA
 * fitted on 10,000 images (the table's default), 1,000 at smoke.
 */
export function baselineProtocol(profile: Profile): BaselineProtocol {
  const { numTrain, numEval, batchSize, seed } = profileProtocol(profile);
  return { numTrain, numEval, batchSize, seed, numFitImages: profile === "smoke" ? 1_000 : 10_000 };
}

/** The scores file of a run's stage: its final weights' metrics.json, else metrics-step-<step>.json. */
export function stageScoresFile(run: Pick<Run, "complete" | "step">, step: number): string {
  return run.complete && step === run.step ? METRICS_FILE : partialMetricsFile(step);
}

/** The scores stored for one stage of a run, as `runScores` reads them (nothing is loaded or computed). */
export interface StoredScores {
  /** The stage's scores file in the run folder (stageScoresFile). */
  readonly file: string;
  /** The protocol the scores are stored under: the four sizes and the seed, plus FactorVAE's variance sample when not the reference's. */
  readonly key: MetricProtocol;
  /** The file's entry for that protocol (undefined when there is none, or with `force`). */
  readonly stored?: MetricsEntry;
  /** The wanted metrics, without repeats, in the requested order. */
  readonly wanted: readonly MetricName[];
  /** The wanted metrics the entry lacks: what `runScores` would compute. */
  readonly missing: readonly MetricName[];
}

/** What is stored for a run's stage (its current step, or `options.snapshot`) and what is missing. */
export function storedScores(run: Pick<Run, "dir" | "complete" | "step">, protocol: MetricProtocol, options: Pick<RunScoresOptions, "metrics" | "force" | "snapshot"> = {}): StoredScores {
  const file = stageScoresFile(run, options.snapshot ?? run.step);
  // FactorVAE's global-variance sample is part of the stored protocol: another value than the reference's is kept apart.
  const numVarianceSamples = protocol.numVarianceSamples ?? DEFAULT_VARIANCE_SAMPLES;
  const key: MetricProtocol = {
    numTrain: protocol.numTrain, numEval: protocol.numEval, batchSize: protocol.batchSize, seed: protocol.seed,
    ...(numVarianceSamples === DEFAULT_VARIANCE_SAMPLES ? {} : { numVarianceSamples }),
  };
  const wanted = [...new Set(options.metrics ?? METRIC_NAMES)];
  // Read even with `force`: a damaged scores file is reported now, not after minutes of computing.
  const found = findEntry(run.dir, key, file);
  const stored = options.force ? undefined : found;
  const missing = wanted.filter((m) => !stored?.scores.some((s) => s.metric === m));
  return { file, key, stored, wanted, missing };
}

/** Scores were computed but could not be stored: they travel with the error (and its message), not lost. */
export class ScoresNotStoredError extends Error {
  constructor(readonly computed: MetricsEntry, message: string) {
    super(message);
    this.name = "ScoresNotStoredError";
  }
}

export function runScores(run: Run, dataset: GroundTruthDataset, protocol: MetricProtocol, options: RunScoresOptions = {}): RunScores {
  if (dataset.name !== run.config.dataset) throw new Error(`runScores: run ${run.name} was trained on "${run.config.dataset}", not "${dataset.name}"`);
  checkDataSource(run.config, dataset, `run ${run.name}`); // scores of the generator's run on the file's images (or back) would be neither's
  const step = options.snapshot ?? run.step;
  if (step > run.step) throw new Error(`runScores: run ${run.name} is at step ${run.step}; no snapshot at step ${step} yet`);
  const { file, key, stored, wanted, missing: todo } = storedScores(run, protocol, options);
  const numVarianceSamples = protocol.numVarianceSamples ?? DEFAULT_VARIANCE_SAMPLES;
  const have = new Map((stored?.scores ?? []).filter((s) => wanted.includes(s.metric)).map((s) => [s.metric, s]));
  const written = todo.length > 0 && (options.store ?? true);
  // Checked before minutes of encoding: a read-only or full disk fails now, not after.
  if (written) assertWritable(run.dir, `cannot store scores in ${path.join(run.dir, file)}`);
  let computed: MetricsEntry | undefined;
  if (todo.length) {
    const seconds: Partial<Record<MetricName, number>> = {};
    const model = loadSnapshot(run, step); // the run's own model at its own step
    let scores: MetricScore[];
    try {
      scores = evaluateAll(dataset, countingEncoder(modelEncoder(model), options.onEncoded), { ...ADAPTER_DEFAULTS, ...key, numVarianceSamples }, { metrics: todo }, (s, t) => {
        seconds[s.metric] = t;
        options.onScore?.(s, t);
      });
    } finally {
      if (model !== run.model) model.dispose();
    }
    for (const s of scores) have.set(s.metric, s);
    computed = {
      protocol: key, scores, seconds, backend: tf.getBackend(), datasetSource: dataset.source, evaluatedAt: new Date().toISOString(),
      ...(file === METRICS_FILE ? {} : { step }),
    };
    if (written) {
      try {
        storeEntry(run.dir, computed, options.force ?? false, file);
      } catch (err) {
        throw new ScoresNotStoredError(computed, `${(err as Error).message}\nThe scores computed (not stored):\n${JSON.stringify(computed.scores.map((s) => ({ metric: s.metric, value: s.value })))}`);
      }
    }
  }
  return { scores: wanted.map((m) => have.get(m)!), storedMetrics: wanted.filter((m) => !todo.includes(m)), file, written, computed };
}

/** One stored score of a run at one stage of its training. */
export interface ScorePoint {
  readonly step: number;
  readonly metric: MetricName;
  readonly value: number;
}

/**
 * A run's disentanglement over training, from the scores stored with it for `protocol` (nothing is
 * computed): each scored checkpoint (metrics-step-<step>.json, kept when the run completes) and, for
 * a complete run, its final weights (metrics.json, at the run's last step). Ascending by step, then
 * in METRIC_NAMES order; stages or metrics never scored with this protocol are absent.
 */
export function scoreHistory(run: Pick<Run, "dir" | "complete" | "step">, protocol: MetricProtocol): ScorePoint[] {
  const steps = [...checkpointScoreSteps(run.dir), ...(run.complete ? [run.step] : [])];
  const stages = steps.map((step) => ({ step, file: stageScoresFile(run, step) }));
  const out: ScorePoint[] = [];
  for (const { step, file } of stages) {
    const entry = findEntry(run.dir, protocol, file);
    if (!entry) continue;
    if (entry.step !== undefined && entry.step !== step) throw new Error(`${run.dir}/${file}: its entry is tagged step ${entry.step}, expected ${step}`);
    for (const m of METRIC_NAMES) {
      const s = entry.scores.find((x) => x.metric === m);
      if (s) out.push({ step, metric: m, value: s.value });
    }
  }
  return out.sort((a, b) => a.step - b.step);
}

/** A score history as one row per scored stage: its step and the metrics scored there. */
export type ScoreStage = { readonly step: number } & Readonly<Partial<Record<MetricName, number>>>;

/** The stages of a score history, in its order (ascending step), each with the metrics stored for it. */
export function scoreStages(history: readonly ScorePoint[]): ScoreStage[] {
  return [...new Set(history.map((p) => p.step))].map((step) => ({
    step,
    ...Object.fromEntries(history.filter((p) => p.step === step).map((p) => [p.metric, p.value])),
  }));
}

/** How one metric moved over a run's scored stages: its first, best (highest) and last score. */
export interface ScoreTrend {
  readonly metric: MetricName;
  readonly first: ScorePoint;
  readonly best: ScorePoint;
  readonly last: ScorePoint;
  /** How many stages carry this metric. */
  readonly stages: number;
}

/** The trend of `metric` in a score history; undefined when no stage carries it. */
export function scoreTrend(history: readonly ScorePoint[], metric: MetricName): ScoreTrend | undefined {
  const points = history.filter((p) => p.metric === metric).sort((a, b) => a.step - b.step);
  if (points.length === 0) return undefined;
  const best = points.reduce((b, p) => (p.value > b.value ? p : b));
  return { metric, first: points[0], best, last: points[points.length - 1], stages: points.length };
}
