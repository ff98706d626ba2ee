/**
 * What makes a chart interactive in JupyterLab (vega-embed), shared by every builder:
 * a tooltip on each point, a legend that highlights the series clicked (a point selection bound to
 * the legend, the other series faded) and zoom / pan on the x axis (an interval selection bound to
 * the scales, x only: the y axis keeps its range so a zoomed-in curve stays in view). The PNG
 * fallback renders the initial state, so none of this changes the saved figures' content.
 */

/** Name of the legend-bound highlight param. */
export const HIGHLIGHT = "highlight";
/** Name of the x zoom param. */
export const ZOOM = "zoom";
/** Opacity of the series that are not highlighted. */
export const FADED = 0.15;

/** A tooltip entry: a field, its title, and for numbers a d3 format. */
export interface TooltipField {
  readonly field: string;
  readonly type: "quantitative" | "nominal";
  readonly title: string;
  readonly format?: string;
}

/** 4 significant digits, trailing zeros dropped; integers (steps) with a thousands separator. */
export function numberFormat(field: string): string {
  return field === "step" ? ",d" : ".4~g";
}

/** A quantitative tooltip entry with the project's number format. */
export function quantTip(field: string, title: string): TooltipField {
  return { field, type: "quantitative", title, format: numberFormat(field) };
}

/** A nominal tooltip entry. */
export function nominalTip(field: string, title: string): TooltipField {
  return { field, type: "nominal", title };
}

/** The legend-bound highlight param for a colour field. */
export function highlightParam(field: string): Record<string, unknown> {
  return { name: HIGHLIGHT, select: { type: "point", fields: [field] }, bind: "legend" };
}

/** Opacity (or strokeOpacity) encoding: full for the highlighted series (all when none is), faded otherwise. */
export function highlightOpacity(full = 1): Record<string, unknown> {
  return { condition: { param: HIGHLIGHT, value: full, empty: true }, value: FADED };
}

/** Zoom and pan on the x axis (drag, wheel; double-click resets). */
export function zoomParam(): Record<string, unknown> {
  return { name: ZOOM, select: { type: "interval", encodings: ["x"] }, bind: "scales" };
}

/**
 * The same spec with every param name (and every reference to one) suffixed: views side by side
 * each keep their own highlight and zoom (Vega needs distinct signal names).
 */
export function renameParams<T>(spec: T, suffix: string): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (!v || typeof v !== "object") return v;
    if (key === "data") return v; // inline rows are left as they are
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === "params" && Array.isArray(x)) {
        out[k] = x.map((p) => ({ ...(p as Record<string, unknown>), name: `${(p as { name: string }).name}${suffix}` }));
      } else if (k === "param" && typeof x === "string") out[k] = `${x}${suffix}`;
      else out[k] = walk(x, k);
    }
    return out;
  };
  return walk(spec) as T;
}
