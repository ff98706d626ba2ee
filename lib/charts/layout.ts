/**
 * How wide a chart may be, and the estimates the builders use to stay inside it.
 *
 * JupyterLab 4 shows a notebook's outputs in an area about 900 px wide (a 950 px notebook panel
 * minus the prompt column); a wider chart scrolls sideways and hides its legend, and its PNG
 * (drawn at 2x) is shrunk by GitHub until the labels are unreadable. Every builder therefore lays
 * its chart out to at most OUTPUT_WIDTH px as Vega-Lite renders it, legends and facets included
 * (tests/charts/width.test.ts renders each builder's spec and reads the SVG's width).
 *
 * The estimates below are deliberately generous (DejaVu Sans, the charts' font, is wide): a chart
 * laid out by them comes out narrower than estimated, never wider.
 */

/** The widest a chart may render, px (legends, axes, titles and facets included). */
export const OUTPUT_WIDTH = 900;

/** Width the builders plan for: OUTPUT_WIDTH less Vega's padding and a margin for estimate error. */
export const PLAN_WIDTH = 860;

/** Average width of a character of 11 px DejaVu Sans, px (measured ~6.3; rounded up). */
export const CHAR_PX = 7;

/** A y axis with tick labels and a title, px. */
export const Y_AXIS_PX = 62;

/** Space between concatenated or faceted views, px (Vega-Lite's default 20 for concat, 20 for facets with spacing set). */
export const VIEW_SPACING = 20;

/** Width of a legend at the right of a chart: symbol, the longest label or title, padding. */
export function legendWidth(labels: readonly string[], title = ""): number {
  const longest = Math.max(title.length, ...labels.map((l) => String(l).length), 0);
  return 18 + 8 + longest * CHAR_PX + 20;
}

/** Width of a title line, px (13 px bold). */
export function titleWidth(title: string | undefined): number {
  return title ? Math.ceil(title.length * CHAR_PX * 1.25) : 0;
}

/**
 * Facet columns and panel width so that `panels` panels (each with its own y axis) and a legend of
 * `legendPx` at the right fit in `budget`: all in one row at the requested width if they fit; in
 * one row narrowed if that keeps each panel at least MIN_PANEL_PX and 60% of the request; else
 * wrapped onto balanced rows (5 panels -> 3 + 2) at the requested width, narrowed if needed.
 */
export function facetLayout(panels: number, panelWidth: number, legendPx: number, budget = PLAN_WIDTH): { columns: number; width: number } {
  if (!(panels >= 1)) throw new Error(`facetLayout: panels must be at least 1, got ${panels}`);
  const room = budget - legendPx + VIEW_SPACING;
  const widthFor = (columns: number) => Math.floor(room / columns) - Y_AXIS_PX - VIEW_SPACING;
  const oneRow = widthFor(panels);
  if (oneRow >= panelWidth) return { columns: panels, width: panelWidth };
  if (oneRow >= Math.max(MIN_PANEL_PX, 0.6 * panelWidth)) return { columns: panels, width: oneRow };
  const fit = Math.max(1, Math.floor(room / (panelWidth + Y_AXIS_PX + VIEW_SPACING)));
  const rows = Math.ceil(panels / Math.max(1, fit));
  const columns = Math.max(1, Math.ceil(panels / rows));
  return { columns, width: Math.max(MIN_PANEL_PX, Math.min(panelWidth, widthFor(columns))) };
}

/** The narrowest panel a layout makes, px. */
export const MIN_PANEL_PX = 140;

/** Panel width for `n` views side by side (each with a y axis) and a legend of `legendPx` at the right. */
export function sideBySideWidth(n: number, legendPx: number, budget = PLAN_WIDTH): number {
  if (!(n >= 1)) throw new Error(`sideBySideWidth: n must be at least 1, got ${n}`);
  return Math.floor((budget - legendPx - (n - 1) * VIEW_SPACING) / n) - Y_AXIS_PX;
}

/** The longest legend label (or title), px. */
function longestLabelPx(labels: readonly string[], title = ""): number {
  return Math.max(title.length, ...labels.map((l) => String(l).length), 0) * CHAR_PX;
}

/**
 * A legend under the chart, in as many columns as fit `areaWidth` px (a legend at the right of a
 * chart that has no room for it would push the chart past the output area).
 */
export function bottomLegend(labels: readonly string[], areaWidth: number, title?: string | null): Record<string, unknown> {
  const entry = longestLabelPx(labels) + 18 + 16; // symbol, gap, column padding
  const columns = Math.max(1, Math.min(labels.length, Math.floor(areaWidth / entry)));
  return { orient: "bottom", direction: "horizontal", columns, labelLimit: Math.max(80, Math.floor(areaWidth / columns) - 34), ...(title ? { title } : { title: null }) };
}

/** Every object in a spec (inline data skipped). */
function* specObjects(v: unknown, key?: string): Generator<Record<string, unknown>> {
  if (key === "data") return;
  if (Array.isArray(v)) for (const x of v) yield* specObjects(x);
  else if (v && typeof v === "object") {
    yield v as Record<string, unknown>;
    for (const [k, x] of Object.entries(v)) yield* specObjects(x, k);
  }
}

/** The legend entries of a spec: the domains of its colour and dash scales (set by every builder). */
export function legendLabels(spec: unknown): { labels: string[]; title: string } {
  const labels = new Set<string>();
  let title = "";
  for (const o of specObjects(spec)) {
    const enc = o.encoding as Record<string, { legend?: unknown; scale?: { domain?: unknown[] }; title?: unknown }> | undefined;
    for (const ch of ["color", "strokeDash"]) {
      const e = enc?.[ch];
      if (!e || e.legend === null) continue;
      for (const d of e.scale?.domain ?? []) labels.add(String(d));
      if (typeof e.title === "string" && e.title.length > title.length) title = e.title;
    }
  }
  return { labels: [...labels], title };
}

/** Sets the legend of every colour and dash encoding of a spec (in place): undefined = at the right. */
export function setLegends(spec: unknown, legend: Record<string, unknown> | undefined): void {
  for (const o of specObjects(spec)) {
    const enc = o.encoding as Record<string, Record<string, unknown>> | undefined;
    for (const ch of ["color", "strokeDash"]) {
      const e = enc?.[ch];
      if (!e || e.legend === null) continue;
      if (legend) e.legend = { ...legend, ...(typeof e.title === "string" && e.title ? { title: e.title } : {}) };
      else delete e.legend;
    }
  }
}
