/**
 * Pure chart builders: each returns a Vega-Lite spec (data inlined), nothing is rendered here.
 */
import type { VegaLiteSpec } from "./spec";

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
  /** "linear" (default) or "log" for the y axis. */
  readonly yScale?: "linear" | "log";
  /** Draw points on the line too (default false). */
  readonly points?: boolean;
  /** Panel size in pixels; default 360 x 220. */
  readonly width?: number;
  readonly height?: number;
}

const FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";

/** The look shared by every chart of the project. */
export const CHART_CONFIG = {
  font: FONT,
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 400 },
  title: { fontSize: 13, anchor: "start" as const },
  view: { stroke: "#ccc" },
  background: "white",
};

/** A line chart of y against x, optionally coloured by a series field and faceted by column. */
export function lineChart(o: LineChartOptions): VegaLiteSpec {
  if (o.data.length === 0) throw new Error("lineChart: data is empty");
  for (const f of [o.x, o.y, o.color, o.column]) {
    if (f !== undefined && !(f in o.data[0])) throw new Error(`lineChart: field "${f}" is not in the data (have ${Object.keys(o.data[0]).join(", ")})`);
  }
  const encoding: Record<string, unknown> = {
    x: { field: o.x, type: "quantitative", title: o.xTitle ?? o.x },
    y: {
      field: o.y,
      type: "quantitative",
      title: o.yTitle ?? o.y,
      scale: o.yScale === "log" ? { type: "log" } : { zero: false },
    },
  };
  if (o.color) encoding.color = { field: o.color, type: "nominal", title: o.colorTitle ?? o.color };
  const unit = {
    mark: { type: "line" as const, point: o.points ?? false, strokeWidth: 1.8 },
    encoding,
    width: o.width ?? 360,
    height: o.height ?? 220,
  };
  const base = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    ...(o.title ? { title: o.title } : {}),
    data: { values: o.data as Row[] },
    config: CHART_CONFIG,
  };
  if (o.column) {
    return {
      ...base,
      facet: {
        column: {
          field: o.column,
          type: "nominal",
          title: null,
          sort: o.columnSort ?? [...new Set(o.data.map((r) => String(r[o.column as string])))],
        },
      },
      spec: unit,
      resolve: { scale: { y: "independent" } },
    } as unknown as VegaLiteSpec;
  }
  return { ...base, ...unit } as unknown as VegaLiteSpec;
}

/** Places charts side by side (each keeps its own data and scales). */
export function sideBySide(charts: readonly VegaLiteSpec[], title?: string): VegaLiteSpec {
  const strip = (c: VegaLiteSpec) => {
    const { $schema: _s, config: _c, ...rest } = c as unknown as Record<string, unknown>;
    return rest;
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    ...(title ? { title } : {}),
    hconcat: charts.map(strip),
    config: CHART_CONFIG,
  } as unknown as VegaLiteSpec;
}
