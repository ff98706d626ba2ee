/**
 * The chart of a sweep's scores, as the field shows them (e.g. Locatello et al. 2019, Fig. 7): one
 * column per setting (beta, C, ...), each seed's score as a point, the mean as a black tick and the
 * spread over seeds as a bar of +-1 sample standard deviation; "violin" adds each setting's kernel
 * density of the scores (worth it with many seeds). Pure: rows in, Vega-Lite spec out.
 */
import type { VegaLiteSpec } from "./spec";
import { CHART_CONFIG } from "./line";
import { paletteScale } from "./palette";
import { highlightOpacity, highlightParam } from "./interaction";

export interface SweepChartOptions {
  /** One row per run: at least the setting, seed and score fields. */
  readonly rows: ReadonlyArray<Readonly<Record<string, unknown>>>;
  /** The score field (e.g. "mig"); rows without a number there are left out. */
  readonly value: string;
  /** The field naming the setting (default "setting"); columns follow its first appearance in rows. */
  readonly setting?: string;
  /** Default "seed". */
  readonly seed?: string;
  /** "strip" (default): points, mean, +-1 sd; "violin": the same over each setting's score density. */
  readonly kind?: "strip" | "violin";
  readonly title?: string;
  readonly xTitle?: string;
  readonly yTitle?: string;
  /** Plot size in pixels (violin: per setting); default 360 x 240 (violin 90 x 240). */
  readonly width?: number;
  readonly height?: number;
}

const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** The strip (or violin) chart of one score over a sweep's settings, seeds as points. */
export function sweepChart(o: SweepChartOptions): VegaLiteSpec {
  const setting = o.setting ?? "setting";
  const seed = o.seed ?? "seed";
  const rows = o.rows.filter((r) => typeof r[o.value] === "number" && Number.isFinite(r[o.value] as number));
  if (rows.length === 0) throw new Error(`sweepChart: no row has a number in "${o.value}" (score the runs first: bvae sweep report)`);
  for (const f of [setting, seed]) if (!(f in rows[0])) throw new Error(`sweepChart: field "${f}" is not in the rows (have ${Object.keys(rows[0]).join(", ")})`);
  const order = [...new Set(rows.map((r) => String(r[setting])))];
  // Points spread evenly across a setting's column by the seed's position, the same in every column.
  const seeds = [...new Set(rows.map((r) => String(r[seed])))];
  const data = rows.map((r) => ({ setting: String(r[setting]), seed: String(r[seed]), value: r[o.value] as number, jitter: seeds.length > 1 ? (seeds.indexOf(String(r[seed])) / (seeds.length - 1) - 0.5) * 0.6 : 0 }));
  const yTitle = o.yTitle ?? o.value;
  const xTitle = o.xTitle ?? setting;
  const y = { field: "value", type: "quantitative", title: yTitle, scale: { zero: false } };
  const seedColor = { field: "seed", type: "nominal", title: seed, sort: seeds, scale: paletteScale(seeds) };
  const tooltip = [
    { field: "setting", type: "nominal", title: xTitle },
    { field: "seed", type: "nominal", title: seed },
    { field: "value", type: "quantitative", title: yTitle, format: ".4~g" },
  ];
  // A click on a seed in the legend highlights that seed's points in every setting.
  const seedPoints = { params: [highlightParam("seed")], mark: { type: "point", filled: true, size: 55 } };
  const seedOpacity = highlightOpacity(0.85);
  const base = { $schema: SCHEMA, ...(o.title ? { title: o.title } : {}), data: { values: data }, config: CHART_CONFIG };

  if ((o.kind ?? "strip") === "strip") {
    const x = { field: "setting", type: "nominal", title: xTitle, sort: order, axis: { labelAngle: 0 } };
    return {
      ...base,
      width: o.width ?? 360,
      height: o.height ?? 240,
      layer: [
        { mark: { type: "errorbar", extent: "stdev", ticks: { size: 10 }, color: "#444" }, encoding: { x, y } },
        { mark: { type: "tick", color: "black", thickness: 2, size: 26 }, encoding: { x, y: { ...y, aggregate: "mean" } } },
        {
          ...seedPoints,
          encoding: { x, xOffset: { field: "jitter", type: "quantitative", scale: { domain: [-0.5, 0.5] } }, y, color: seedColor, opacity: seedOpacity, tooltip },
        },
      ],
    } as unknown as VegaLiteSpec;
  }
  // Violin: a column per setting, the density of the scores as a mirrored area, the points and mean on top.
  const panel = {
    width: o.width ?? 90,
    height: o.height ?? 240,
    layer: [
      {
        transform: [{ density: "value", groupby: ["setting"], as: ["value", "density"] }],
        mark: { type: "area", orient: "horizontal", opacity: 0.35, color: "#4c78a8" },
        encoding: { y, x: { field: "density", type: "quantitative", stack: "center", impute: null, title: null, axis: null } },
      },
      { mark: { type: "tick", orient: "horizontal", color: "black", thickness: 2, size: 26 }, encoding: { y: { ...y, aggregate: "mean" }, x: { datum: 0, type: "quantitative", scale: { domain: [-1, 1] }, axis: null } } },
      {
        ...seedPoints,
        encoding: { y, x: { field: "jitter", type: "quantitative", scale: { domain: [-1, 1] }, axis: null }, color: seedColor, opacity: seedOpacity, tooltip },
      },
    ],
    resolve: { scale: { x: "independent" } },
  };
  return {
    ...base,
    facet: { column: { field: "setting", type: "nominal", sort: order, title: xTitle, header: { titleOrient: "bottom", labelOrient: "bottom" } } },
    spec: panel,
    spacing: 4,
  } as unknown as VegaLiteSpec;
}
