/**
 * One colour per model and one per latent index, the same in every chart of the project.
 *
 * Vega-Lite's default colour scale assigns its ten colours to a chart's series in alphabetical
 * order, so the VAE was blue in one chart and red in the next. Every builder here sets the colour
 * scale's domain and range explicitly from this palette instead: a model keeps its colour whatever
 * other series share the chart, and latent z3 is the same colour in Figures 7, 8, 3 and 4.
 *
 * A series label names a model when it matches one of MODEL_COLORS' patterns (run labels like
 * "beta-VAE (beta = 4)", preset names like "dsprites-capacity-report", "5-latent VAE"); the first
 * match wins, so the more specific patterns come first. Labels that name no model (known-answer
 * codes, curves of section 2) take OTHER_COLORS in order of appearance, skipping every model's colour
 * (so "identity" in one chart is never mistaken for the VAE of the next).
 */

/** The model families the report compares. */
export type ModelFamily = "capacity-paper" | "capacity" | "beta" | "untrained" | "vae";

export interface ModelColor {
  readonly family: ModelFamily;
  readonly color: string;
  /** Tested against a series label, case-insensitive. */
  readonly pattern: RegExp;
}

/** Most specific first: "beta-VAE [Burgess] (capacity, gamma 100)" is a capacity model, not a beta-VAE. */
export const MODEL_COLORS: readonly ModelColor[] = [
  // Burgess et al.'s own setting (gamma 1000, Cmax 25) beside the report's (gamma 100, Cmax 30).
  { family: "capacity-paper", color: "#b279a2", pattern: /capacity-paper|paper: gamma|gamma\s*=?\s*1000\b|cmax\s*=?\s*25\b/i },
  { family: "capacity", color: "#54a24b", pattern: /capacity|gamma\s*=?\s*100\b|burgess/i },
  { family: "beta", color: "#f58518", pattern: /beta|higgins/i },
  { family: "untrained", color: "#9d9d9d", pattern: /untrained/i },
  { family: "vae", color: "#4c78a8", pattern: /(^|[^a-z])vae([^a-z]|$)/i },
];

/** Latent z_i's colour: d3's category10, then the lighter half of category20 (up to 20 latents). */
export const LATENT_COLORS: readonly string[] = [
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
  "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
];

/** For series that name no model, in order of appearance. */
export const OTHER_COLORS: readonly string[] = [
  "#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac",
  "#439894", "#d67195", "#83bcb6", "#a2c8ec", "#ffbf79", "#8cd17d", "#f1ce63", "#d4a6c8", "#fabfd2", "#d7b5a6",
];

/** The model family a series label names, if any. */
export function modelFamily(label: string): ModelFamily | undefined {
  return MODEL_COLORS.find((m) => m.pattern.test(label))?.family;
}

/** The colour of the model a label names; undefined when it names none. */
export function modelColor(label: string): string | undefined {
  return MODEL_COLORS.find((m) => m.pattern.test(label))?.color;
}

/** "z3" -> 3; undefined for anything else. */
export function latentIndex(label: string): number | undefined {
  const m = /^z(\d+)$/.exec(label);
  return m ? Number(m[1]) : undefined;
}

/** The colour of latent z_index. */
export function latentColor(index: number): string {
  if (!(Number.isInteger(index) && index >= 0)) throw new Error(`latentColor: index must be a non-negative integer, got ${index}`);
  return LATENT_COLORS[index % LATENT_COLORS.length];
}

/** A colour scale with the palette's colours for `domain` (in that order). */
export interface ColorScale {
  readonly domain: string[];
  readonly range: string[];
}

/**
 * The colour of each series in `domain`: latents ("z0", "z1", ...) by index when every series is
 * a latent, else models by family, and the rest from OTHER_COLORS (never a model's colour).
 */
export function paletteScale(domain: readonly string[]): ColorScale {
  const labels = [...new Set(domain.map(String))];
  if (labels.length > 0 && labels.every((l) => latentIndex(l) !== undefined)) {
    return { domain: labels, range: labels.map((l) => latentColor(latentIndex(l) as number)) };
  }
  const fixed = labels.map((l) => modelColor(l));
  const models = new Set(MODEL_COLORS.map((m) => m.color));
  const free = OTHER_COLORS.filter((c) => !models.has(c));
  let next = 0;
  const range = fixed.map((c) => c ?? free[next++ % free.length]);
  return { domain: labels, range };
}
