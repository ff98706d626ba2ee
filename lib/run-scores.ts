/**
 * Every disentanglement metric of a trained run, read from the scores stored with it when they
 * exist for this protocol and this step, else computed now and stored, so that notebooks show the
 * numbers `bvae eval` computed without spending the encoder time again.
 *
 *   complete run: <run>/metrics.json
 *   partial run:  runs/.partial/<name>/metrics-step-<step>.json (its newest checkpoint's scores)
 */
import * as tf from "@tensorflow/tfjs";
import type { GroundTruthDataset } from "./data/dataset";
import { ADAPTER_DEFAULTS, evaluateAll } from "./metrics/adapter";
import { modelEncoder } from "./metrics/model-encoder";
import { findEntry, METRICS_FILE, partialMetricsFile, storeEntry, type MetricProtocol, type MetricsEntry } from "./metrics/store";
import { METRIC_NAMES, type MetricName, type MetricScore } from "./metrics/types";
import type { Run } from "./runs";

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
   * FactorVAE's codes for the global variance. Stored protocols assume the default (10000, as
   * `bvae eval`), so another value is neither read from nor written to the run folder.
   */
  readonly numVarianceSamples?: number;
}

export function runScores(run: Run, dataset: GroundTruthDataset, protocol: MetricProtocol, options: RunScoresOptions = {}): RunScores {
  if (dataset.name !== run.config.dataset) throw new Error(`runScores: run ${run.name} was trained on "${run.config.dataset}", not "${dataset.name}"`);
  const file = run.complete ? METRICS_FILE : partialMetricsFile(run.step);
  const numVarianceSamples = options.numVarianceSamples ?? ADAPTER_DEFAULTS.numVarianceSamples;
  const storable = numVarianceSamples === ADAPTER_DEFAULTS.numVarianceSamples;
  const wanted = [...new Set(options.metrics ?? METRIC_NAMES)];
  const stored = storable && !options.force ? findEntry(run.dir, protocol, file) : undefined;
  const have = new Map((stored?.scores ?? []).filter((s) => wanted.includes(s.metric)).map((s) => [s.metric, s]));
  const todo = wanted.filter((m) => !have.has(m));
  const written = todo.length > 0 && storable && (options.store ?? true);
  let computed: MetricsEntry | undefined;
  if (todo.length) {
    const seconds: Partial<Record<MetricName, number>> = {};
    const scores = evaluateAll(dataset, modelEncoder(run.model), { ...ADAPTER_DEFAULTS, ...protocol, numVarianceSamples }, { metrics: todo }, (s, t) => {
      seconds[s.metric] = t;
      options.onScore?.(s, t);
    });
    for (const s of scores) have.set(s.metric, s);
    computed = {
      protocol, scores, seconds, backend: tf.getBackend(), datasetSource: dataset.source, evaluatedAt: new Date().toISOString(),
      ...(run.complete ? {} : { step: run.step }),
    };
    if (written) storeEntry(run.dir, computed, options.force ?? false, file);
  }
  return { scores: wanted.map((m) => have.get(m)!), storedMetrics: wanted.filter((m) => !todo.includes(m)), file, written, computed };
}
