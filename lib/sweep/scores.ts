/**
 * A sweep's disentanglement scores as the field reports them: one row per run (setting, seed,
 * score), and per setting the mean and the spread over seeds. Nothing is computed here: the scores
 * are those `bvae eval` stored with each complete run (`bvae sweep report` runs it), read for the
 * sweep's protocol (lib/runs/score-files.ts).
 */
import { findEntry, METRICS_FILE, type MetricProtocol } from "../runs/score-files";
import { METRIC_NAMES, type MetricName } from "../metrics/types";
import type { TrainOptions } from "../runs/train-or-load";
import { overrideLabel, type OverrideValue } from "./overrides";
import { sweepStatus, type RunState, type Sweep } from "./plan";
import type { SweepEvalProtocol, SweepSpec } from "./spec";

/** The reference protocol of the field (bvae eval's default), and a small one for the smoke profile. */
export const REFERENCE_SWEEP_PROTOCOL: SweepEvalProtocol = { numTrain: 10_000, numEval: 5_000, batchSize: 64, seed: 0 };
export const SMOKE_SWEEP_PROTOCOL: SweepEvalProtocol = { numTrain: 100, numEval: 50, batchSize: 16, seed: 0 };

/** The protocol a sweep is scored with: its file's "eval", else by profile (smoke: small; others: the reference). */
export function sweepProtocol(spec: Pick<SweepSpec, "eval" | "profile">): SweepEvalProtocol {
  return spec.eval ?? (spec.profile === "smoke" ? SMOKE_SWEEP_PROTOCOL : REFERENCE_SWEEP_PROTOCOL);
}

/** `bvae eval`'s flags for a protocol. */
export function evalFlags(p: SweepEvalProtocol): string[] {
  return ["--num-train", String(p.numTrain), "--num-eval", String(p.numEval), "--batch-size", String(p.batchSize), "--seed", String(p.seed)];
}

/** One run of a sweep with its stored scores (absent metrics: not scored for this protocol yet). */
export type SweepScoreRow = {
  readonly index: number;
  readonly run: string;
  /** The setting's label ("beta=4"). */
  readonly setting: string;
  readonly seed: number;
  readonly state: RunState;
} & Readonly<Record<string, OverrideValue | number | string | undefined>> & Readonly<Partial<Record<MetricName, number>>>;

/**
 * Every run of the sweep, in sweep order: index, run, setting, seed, state, each grid key's value
 * under its short name ("beta": 4), and each metric stored for the protocol (default: the sweep's).
 */
export function sweepScoreTable(sweep: Sweep, options: Pick<TrainOptions, "runsDir"> & { protocol?: SweepEvalProtocol } = {}): SweepScoreRow[] {
  const protocol: MetricProtocol = options.protocol ?? sweepProtocol(sweep.spec);
  return sweepStatus(sweep, options).map((r) => {
    const values = Object.fromEntries(sweep.spec.grid.map(({ key }) => [overrideLabel(key), r.setting.values[key] as OverrideValue]));
    const entry = r.state === "complete" && r.dir ? findEntry(r.dir, protocol, METRICS_FILE) : undefined;
    const scores = Object.fromEntries((entry?.scores ?? []).map((s) => [s.metric, s.value]));
    return { index: r.index, run: r.name, setting: r.setting.label, seed: r.seed, state: r.state, ...values, ...scores } as SweepScoreRow;
  });
}

/** The scores of one metric for one setting, over the seeds that have it. */
export interface SettingSummary {
  readonly setting: string;
  readonly metric: MetricName;
  /** Seeds with a score. */
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation over the seeds (n - 1 in the denominator); NaN for one seed. */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  readonly seeds: readonly number[];
  readonly values: readonly number[];
}

/** The mean and the sample standard deviation (n - 1 in the denominator; NaN for one value) of the values. */
export function meanSd(values: readonly number[]): { readonly n: number; readonly mean: number; readonly sd: number } {
  const n = values.length;
  if (n === 0) throw new Error("meanSd: no values");
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : NaN;
  return { n, mean, sd };
}

/** Per setting (in sweep order), the mean and spread of `metric` over seeds; settings without any score are left out. */
export function summariseSetting(rows: readonly SweepScoreRow[], metric: MetricName): SettingSummary[] {
  const settings = [...new Set(rows.map((r) => r.setting))];
  const out: SettingSummary[] = [];
  for (const setting of settings) {
    const scored = rows.filter((r) => r.setting === setting && typeof r[metric] === "number");
    if (scored.length === 0) continue;
    const values = scored.map((r) => r[metric] as number);
    const { n, mean, sd } = meanSd(values);
    out.push({ setting, metric, n, mean, sd, min: Math.min(...values), max: Math.max(...values), seeds: scored.map((r) => r.seed), values });
  }
  return out;
}

/** A Markdown table: one row per setting, "mean ± sd (n)" for each metric with any score. */
export function formatSweepSummary(rows: readonly SweepScoreRow[], metrics: readonly MetricName[] = METRIC_NAMES): string {
  const present = metrics.filter((m) => rows.some((r) => typeof r[m] === "number"));
  const settings = [...new Set(rows.map((r) => r.setting))];
  const byMetric = new Map(present.map((m) => [m, new Map(summariseSetting(rows, m).map((s) => [s.setting, s]))]));
  const cell = (s: SettingSummary | undefined) => (!s ? "" : `${s.mean.toFixed(3)} ± ${Number.isNaN(s.sd) ? "-" : s.sd.toFixed(3)} (${s.n})`);
  const lines = [`| setting | ${present.join(" | ")} |`, `|---|${present.map(() => "---:").join("|")}|`];
  for (const setting of settings) lines.push(`| ${setting} | ${present.map((m) => cell(byMetric.get(m)?.get(setting))).join(" | ")} |`);
  return lines.join("\n");
}
