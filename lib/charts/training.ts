/**
 * Chart builders for training histories (pure: rows in, Vega-Lite spec out).
 *
 * Figure 6 / 3(a): reconstruction over training; Figures 7, 8 / 3(b): KL per latent;
 * Figure 3(c), (d): posterior means and variances per latent; Figure 4: posterior variance per
 * latent for several runs side by side.
 */
import type { VegaLiteSpec } from "./spec";
import { lineChart, CHART_CONFIG, type Row } from "./line";
import type { HistoryRow } from "../train/history";

/** The part of a history row these charts read. */
export type HistoryLike = Pick<HistoryRow, "step" | "recon" | "kl" | "capacity" | "klPerLatent" | "mu" | "muSd" | "var">;

export type LatentField = "klPerLatent" | "mu" | "muSd" | "var";

const LATENT_TITLES: Record<LatentField, string> = {
  klPerLatent: "KL per latent (nats)",
  mu: "posterior mean (batch average)",
  muSd: "spread of posterior means across images",
  var: "posterior variance (batch average)",
};

/** Keeps at most `max` rows, evenly spaced, always including the last (long runs have many rows). */
export function thin<T>(rows: readonly T[], max = 400): T[] {
  if (rows.length <= max) return rows.slice();
  const out: T[] = [];
  const stride = (rows.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(rows[Math.round(i * stride)]);
  return out;
}

/** Long-format rows {step, latent: "z3", value} for one per-latent field. */
export function latentRows(history: readonly HistoryLike[], field: LatentField, max = 400): Row[] {
  const rows: Row[] = [];
  for (const h of thin(history, max)) {
    h[field].forEach((v, i) => rows.push({ step: h.step, latent: `z${i}`, value: v }));
  }
  return rows;
}

/** One line per latent of a per-latent quantity over training (Figures 7, 8, 3b-d). */
export function perLatentChart(history: readonly HistoryLike[], field: LatentField, title: string, opts: { logY?: boolean } = {}): VegaLiteSpec {
  const rows = latentRows(history, field).map((r) => (opts.logY ? { ...r, value: Math.max(Number(r.value), 1e-4) } : r));
  return lineChart({
    data: rows,
    x: "step",
    y: "value",
    color: "latent",
    title,
    xTitle: "training step",
    yTitle: LATENT_TITLES[field],
    colorTitle: "latent",
    yScale: opts.logY ? "log" : "linear",
  });
}

/** Reconstruction loss over training, one line per run (Figure 6, Figure 3a). */
export function reconChart(runs: readonly { label: string; history: readonly HistoryLike[] }[], title: string): VegaLiteSpec {
  const rows: Row[] = [];
  for (const r of runs) for (const h of thin(r.history)) rows.push({ step: h.step, recon: h.recon, run: r.label });
  return lineChart({ data: rows, x: "step", y: "recon", color: runs.length > 1 ? "run" : undefined, title, xTitle: "training step", yTitle: "reconstruction loss (nats / image)", colorTitle: "" });
}

/** Total KL and, for capacity runs, the target C over training. */
export function klTotalChart(runs: readonly { label: string; history: readonly HistoryLike[] }[], title: string): VegaLiteSpec {
  const rows: Row[] = [];
  for (const r of runs) {
    for (const h of thin(r.history)) {
      rows.push({ step: h.step, nats: h.kl, series: `${r.label}: KL` });
      if (h.capacity > 0 || r.history.some((x) => x.capacity > 0)) rows.push({ step: h.step, nats: h.capacity, series: `${r.label}: C` });
    }
  }
  return lineChart({ data: rows, x: "step", y: "nats", color: "series", title, xTitle: "training step", yTitle: "nats", colorTitle: "" });
}

/** Figure 4: one panel per run, posterior variance of each latent over training. */
export function varianceComparisonChart(runs: readonly { label: string; history: readonly HistoryLike[] }[], title: string): VegaLiteSpec {
  const rows: Row[] = [];
  for (const r of runs) for (const x of latentRows(r.history, "var", 200)) rows.push({ ...x, run: r.label });
  return lineChart({ data: rows, x: "step", y: "value", color: "latent", column: "run", columnSort: runs.map((r) => r.label), title, xTitle: "training step", yTitle: "posterior variance", width: 240, height: 200 });
}

export interface BarChartOptions {
  readonly data: readonly Row[];
  readonly x: string;
  readonly y: string;
  readonly color?: string;
  /** Groups bars side by side within each x (a grouped bar chart). */
  readonly group?: string;
  readonly title?: string;
  readonly xTitle?: string;
  readonly yTitle?: string;
  readonly width?: number;
  readonly height?: number;
}

/** A (grouped) bar chart: nominal x, quantitative y. */
export function barChart(o: BarChartOptions): VegaLiteSpec {
  if (o.data.length === 0) throw new Error("barChart: data is empty");
  for (const f of [o.x, o.y, o.color, o.group]) {
    if (f !== undefined && !(f in o.data[0])) throw new Error(`barChart: field "${f}" is not in the data (have ${Object.keys(o.data[0]).join(", ")})`);
  }
  const order = [...new Set(o.data.map((r) => String(r[o.x])))];
  const encoding: Record<string, unknown> = {
    x: { field: o.x, type: "nominal", title: o.xTitle ?? o.x, sort: order, axis: { labelAngle: 0 } },
    y: { field: o.y, type: "quantitative", title: o.yTitle ?? o.y },
  };
  const colorField = o.color ?? o.group;
  if (colorField) encoding.color = { field: colorField, type: "nominal", title: null, sort: [...new Set(o.data.map((r) => String(r[colorField])))] };
  if (o.group) encoding.xOffset = { field: o.group, sort: [...new Set(o.data.map((r) => String(r[o.group as string])))] };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    ...(o.title ? { title: o.title } : {}),
    data: { values: o.data as Row[] },
    mark: { type: "bar" },
    encoding,
    width: o.width ?? 360,
    height: o.height ?? 220,
    config: CHART_CONFIG,
  } as unknown as VegaLiteSpec;
}
