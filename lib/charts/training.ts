/**
 * Chart builders for training histories (pure: rows in, Vega-Lite spec out).
 *
 * Figure 6 / 3(a): reconstruction over training; Figures 7, 8 / 3(b): KL per latent;
 * Figure 3(c), (d): posterior means and variances per latent; Figure 4: posterior variance per
 * latent for several runs side by side.
 */
import type { VegaLiteSpec } from "./spec";
import { lineChart, distinct, CHART_CONFIG, type Row } from "./line";
import { paletteScale } from "./palette";
import { bottomLegend, legendWidth, PLAN_WIDTH, setLegends, Y_AXIS_PX } from "./layout";
import { highlightOpacity, highlightParam, nominalTip, quantTip } from "./interaction";
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

/**
 * Reconstruction loss over training, one line per run (Figure 6, Figure 3a), on a log axis: step 0's
 * ~3,000 nats would otherwise flatten the 20-40 nats the runs end at. Coloured by run even when
 * there is one, so that a model has its colour here too.
 */
export function reconChart(runs: readonly { label: string; history: readonly HistoryLike[] }[], title: string): VegaLiteSpec {
  const rows: Row[] = [];
  for (const r of runs) for (const h of thin(r.history)) rows.push({ step: h.step, recon: h.recon, run: r.label });
  return lineChart({ data: rows, x: "step", y: "recon", color: "run", title, xTitle: "training step", yTitle: "reconstruction loss (nats / image, log)", colorTitle: "", yScale: "log" });
}

/** Total KL (solid) and, for capacity runs, the target C (dashed) over training; a colour per run. */
export function klTotalChart(runs: readonly { label: string; history: readonly HistoryLike[] }[], title: string): VegaLiteSpec {
  const rows: Row[] = [];
  for (const r of runs) {
    const hasC = r.history.some((x) => x.capacity > 0);
    for (const h of thin(r.history)) {
      rows.push({ step: h.step, nats: h.kl, run: r.label, term: "KL" });
      if (hasC) rows.push({ step: h.step, nats: h.capacity, run: r.label, term: "target C" });
    }
  }
  return lineChart({ data: rows, x: "step", y: "nats", color: "run", dash: "term", dashDomain: ["KL", "target C"], title, xTitle: "training step", yTitle: "nats", colorTitle: "", dashTitle: "" });
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

/**
 * A (grouped) bar chart: nominal x, quantitative y; hover shows the values, a click on the legend
 * highlights a group. Narrowed, and its legend put under it, to fit the output area.
 */
export function barChart(o: BarChartOptions): VegaLiteSpec {
  if (o.data.length === 0) throw new Error("barChart: data is empty");
  for (const f of [o.x, o.y, o.color, o.group]) {
    if (f !== undefined && !(f in o.data[0])) throw new Error(`barChart: field "${f}" is not in the data (have ${Object.keys(o.data[0]).join(", ")})`);
  }
  const order = distinct(o.data, o.x);
  const colorField = o.color ?? o.group;
  const colorDomain = colorField ? distinct(o.data, colorField) : [];
  const rightPx = colorField ? legendWidth(colorDomain) : 0;
  const requested = o.width ?? 360;
  const legendRight = Y_AXIS_PX + requested + rightPx <= PLAN_WIDTH;
  const width = Math.min(requested, PLAN_WIDTH - Y_AXIS_PX - (legendRight ? rightPx : 0));
  const encoding: Record<string, unknown> = {
    x: { field: o.x, type: "nominal", title: o.xTitle ?? o.x, sort: order, axis: { labelAngle: 0 } },
    y: { field: o.y, type: "quantitative", title: o.yTitle ?? o.y },
    tooltip: [
      nominalTip(o.x, o.xTitle ?? o.x),
      ...(colorField && colorField !== o.x ? [nominalTip(colorField, colorField)] : []),
      quantTip(o.y, o.yTitle ?? o.y),
    ],
  };
  if (colorField) {
    encoding.color = { field: colorField, type: "nominal", title: null, sort: colorDomain, scale: paletteScale(colorDomain) };
    encoding.opacity = highlightOpacity();
  }
  if (o.group) encoding.xOffset = { field: o.group, sort: distinct(o.data, o.group) };
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    ...(o.title ? { title: o.title } : {}),
    data: { values: o.data as Row[] },
    ...(colorField ? { params: [highlightParam(colorField)] } : {}),
    mark: { type: "bar" },
    encoding,
    width,
    height: o.height ?? 220,
    config: CHART_CONFIG,
  };
  if (colorField && !legendRight) setLegends(spec, bottomLegend(colorDomain, width + Y_AXIS_PX));
  return spec as unknown as VegaLiteSpec;
}
