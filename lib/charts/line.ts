/**
 * Pure chart builders: each returns a Vega-Lite spec (data inlined), nothing is rendered here.
 */
import type { VegaLiteSpec } from "./spec";
import { paletteScale } from "./palette";
import { bottomLegend, facetLayout, legendLabels, legendWidth, PLAN_WIDTH, setLegends, sideBySideWidth, VIEW_SPACING, Y_AXIS_PX } from "./layout";
import { highlightOpacity, highlightParam, nominalTip, quantTip, renameParams, zoomParam, type TooltipField } from "./interaction";

export type Row = Readonly<Record<string, number | string | boolean | null>>;

export interface LineChartOptions {
  readonly data: readonly Row[];
  /** Field on the x axis (quantitative). */
  readonly x: string;
  /** Field on the y axis (quantitative). */
  readonly y: string;
  /** Optional field that splits the data into coloured series. */
  readonly color?: string;
  /** Optional field that draws one small panel per value (facet columns). */
  readonly column?: string;
  /** Order of the facet panels (default: as they first appear in the data). */
  readonly columnSort?: readonly string[];
  readonly title?: string;
  /** Axis titles; default: the field names. */
  readonly xTitle?: string;
  readonly yTitle?: string;
  readonly colorTitle?: string;
  /** Optional field drawn as the line's dash (e.g. KL solid, target C dashed); its values in order. */
  readonly dash?: string;
  readonly dashDomain?: readonly string[];
  readonly dashTitle?: string;
  /** "linear" (default) or "log" for the y axis. */
  readonly yScale?: "linear" | "log";
  /** Draw points on the line too (default false). */
  readonly points?: boolean;
  /** Panel size in pixels; default 360 x 220 (narrowed, and facets wrapped, to fit the output area). */
  readonly width?: number;
  readonly height?: number;
}

const FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";
const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** The look shared by every chart of the project. */
export const CHART_CONFIG = {
  font: FONT,
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 400 },
  title: { fontSize: 13, anchor: "start" as const, limit: PLAN_WIDTH },
  view: { stroke: "#ccc" },
  background: "white",
};

/** Distinct values of a field, in order of first appearance. */
export function distinct(data: readonly Row[], field: string): string[] {
  return [...new Set(data.map((r) => String(r[field])))];
}

/**
 * A line chart of y against x, optionally coloured by a series field (one colour per model or
 * latent, charts/palette.ts), dashed by another and faceted by column (wrapped to fit). Hover shows
 * the point's values; clicking a legend entry highlights its series; drag / wheel zooms the x axis.
 */
export function lineChart(o: LineChartOptions): VegaLiteSpec {
  if (o.data.length === 0) throw new Error("lineChart: data is empty");
  for (const f of [o.x, o.y, o.color, o.column, o.dash]) {
    if (f !== undefined && !(f in o.data[0])) throw new Error(`lineChart: field "${f}" is not in the data (have ${Object.keys(o.data[0]).join(", ")})`);
  }
  const colorDomain = o.color ? distinct(o.data, o.color) : [];
  const dashDomain = o.dash ? [...(o.dashDomain ?? distinct(o.data, o.dash))] : [];
  const labels = [...colorDomain, ...dashDomain];
  const legendTitle = [o.colorTitle ?? o.color ?? "", o.dash ? (o.dashTitle ?? o.dash) : ""].sort((a, b) => b.length - a.length)[0];
  const rightPx = labels.length ? legendWidth(labels, legendTitle) : 0;
  const w = o.width ?? 360;
  const h = o.height ?? 220;
  const panels = o.column ? (o.columnSort ?? distinct(o.data, o.column)).length : 1;
  // The legend stays at the right when the panels keep (nearly) their width beside it; else it goes under.
  const right = facetLayout(panels, w, rightPx);
  const under = facetLayout(panels, w, 0);
  const legendRight = labels.length === 0 || (right.columns === under.columns && right.width >= 0.85 * under.width);
  const layout = legendRight ? right : under;
  const areaWidth = layout.columns * (layout.width + Y_AXIS_PX + VIEW_SPACING) - VIEW_SPACING;

  const x = { field: o.x, type: "quantitative", title: o.xTitle ?? o.x };
  const y = { field: o.y, type: "quantitative", title: o.yTitle ?? o.y, scale: o.yScale === "log" ? { type: "log" } : { zero: false } };
  const color = o.color ? { field: o.color, type: "nominal", title: o.colorTitle ?? o.color, scale: paletteScale(colorDomain) } : undefined;
  const strokeDash = o.dash ? { field: o.dash, type: "nominal", title: o.dashTitle ?? o.dash, scale: { domain: dashDomain } } : undefined;
  const tooltip: TooltipField[] = [
    ...(o.color ? [nominalTip(o.color, o.colorTitle || o.color)] : []),
    ...(o.dash ? [nominalTip(o.dash, o.dashTitle || o.dash)] : []),
    ...(o.column ? [nominalTip(o.column, o.column)] : []),
    quantTip(o.x, o.xTitle ?? o.x),
    quantTip(o.y, o.yTitle || o.y),
  ];
  const lineLayer = {
    params: [...(o.color ? [highlightParam(o.color)] : []), zoomParam()],
    mark: { type: "line" as const, strokeWidth: 1.8, clip: true },
    encoding: { x, y, ...(color ? { color, opacity: highlightOpacity() } : {}), ...(strokeDash ? { strokeDash } : {}) },
  };
  // Points carry the tooltip: visible when asked for, else invisible (still hovered: Vega picks by shape).
  const pointLayer = o.points
    ? { mark: { type: "point" as const, filled: true, size: 30, clip: true }, encoding: { x, y, ...(color ? { color, opacity: highlightOpacity() } : {}), tooltip } }
    : { mark: { type: "point" as const, filled: true, size: 60, opacity: 0, clip: true }, encoding: { x, y, tooltip } };
  const unit = { width: layout.width, height: h, layer: [lineLayer, pointLayer] };
  const base = { $schema: SCHEMA, ...(o.title ? { title: o.title } : {}), data: { values: o.data as Row[] }, config: CHART_CONFIG };
  const spec = o.column
    ? {
        ...base,
        facet: { field: o.column, type: "nominal", title: null, sort: o.columnSort ?? distinct(o.data, o.column), header: { labelFontSize: 11 } },
        columns: layout.columns,
        spec: unit,
        resolve: { scale: { y: "independent" } },
      }
    : { ...base, ...unit };
  if (!legendRight) setLegends(spec, bottomLegend(labels, areaWidth));
  return spec as unknown as VegaLiteSpec;
}

/** The width a chart takes, estimated from its spec (panel width, y axis, a legend at the right). */
function estimatedWidth(c: Record<string, unknown>, legendPx: number): number {
  const inner = (c.spec ?? c) as { width?: number };
  const columns = typeof c.columns === "number" ? c.columns : 1;
  return columns * ((inner.width ?? 360) + Y_AXIS_PX + VIEW_SPACING) - VIEW_SPACING + legendPx;
}

/**
 * Places charts side by side (each keeps its own data, scales, legend, highlight and zoom). When
 * they do not fit the output area as they are, their legends go under them and they are narrowed.
 */
export function sideBySide(charts: readonly VegaLiteSpec[], title?: string): VegaLiteSpec {
  const views = charts.map((c, i) => {
    const { $schema: _s, config: _c, ...rest } = c as unknown as Record<string, unknown>;
    return renameParams(JSON.parse(JSON.stringify(rest)) as Record<string, unknown>, `_${i + 1}`);
  });
  const legends = views.map((v) => legendLabels(v));
  const rightPx = legends.map((l) => (l.labels.length ? legendWidth(l.labels, l.title) : 0));
  const total = views.reduce((s, v, i) => s + estimatedWidth(v, rightPx[i]), 0) + VIEW_SPACING * (views.length - 1);
  if (total > PLAN_WIDTH) {
    const narrowRight = sideBySideWidth(views.length, rightPx.reduce((a, b) => a + b, 0));
    const under = narrowRight < 240;
    const width = under ? sideBySideWidth(views.length, 0) : narrowRight;
    views.forEach((v, i) => {
      const inner = (v.spec ?? v) as { width?: number };
      if (v.facet) return; // faceted views lay themselves out
      inner.width = Math.min(inner.width ?? 360, width);
      if (under && legends[i].labels.length) setLegends(v, bottomLegend(legends[i].labels, inner.width + Y_AXIS_PX));
    });
  }
  return {
    $schema: SCHEMA,
    ...(title ? { title } : {}),
    hconcat: views,
    resolve: { scale: { color: "independent", strokeDash: "independent" } },
    config: CHART_CONFIG,
  } as unknown as VegaLiteSpec;
}
