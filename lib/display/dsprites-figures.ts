/**
 * Figures that let a reader check the generator against the specification: a grid of random
 * samples labelled with their factor values, one traversal per factor (each factor swept, the
 * others fixed), and a GIF that walks the factors like the official dsprites.gif.
 */
import type { DspritesDataset } from "../data/dsprites";
import { DSPRITES_FACTOR_NAMES, DSPRITES_FACTOR_SIZES, DSPRITES_FACTOR_VALUES, DSPRITES_SHAPES } from "../data/dsprites-spec";
import { gifFromFrames, imageGridPng } from "./images";
import { makeRng } from "../rng";

/** Short text for one factor value, e.g. "heart", "s0.8", "r1.93", "x0.23". */
export function dspritesFactorLabel(factor: number, cls: number): string {
  const v = DSPRITES_FACTOR_VALUES[factor][cls];
  switch (DSPRITES_FACTOR_NAMES[factor]) {
    case "color":
      return "white";
    case "shape":
      return DSPRITES_SHAPES[cls];
    case "scale":
      return `s${v.toFixed(1)}`;
    case "orientation":
      return `r${v.toFixed(2)}`;
    case "posX":
      return `x${v.toFixed(2)}`;
    case "posY":
      return `y${v.toFixed(2)}`;
    default:
      throw new Error(`unknown factor ${factor}`);
  }
}

/** A grid of n random samples, each labelled with its factor values. */
export function dspritesSamplesPng(ds: DspritesDataset, opts: { n?: number; seed?: number; cols?: number } = {}): Buffer {
  const n = opts.n ?? 24;
  const factors = ds.sampleFactors(n, makeRng(opts.seed ?? 0));
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = (f: number) => dspritesFactorLabel(f, factors[i * 6 + f]);
    labels.push(`${c(1)} ${c(2)}\n${c(3)} ${c(4)} ${c(5)}`);
  }
  return imageGridPng(ds.observe(factors), {
    cols: opts.cols ?? 8,
    labels,
    title: `dSprites samples (${ds.source}), factors: shape, scale, orientation (rad), posX, posY`,
  });
}

/** Evenly spaced classes of a factor, at most `max` of them, always including both ends. */
export function sweepClasses(size: number, max: number): number[] {
  const k = Math.min(size, max);
  return Array.from({ length: k }, (_, i) => Math.round((i * (size - 1)) / Math.max(1, k - 1)));
}

/** One row per varying factor: that factor swept over its values, the others fixed at `base`. */
export function dspritesTraversalsPng(ds: DspritesDataset, opts: { base?: readonly number[]; maxSteps?: number } = {}): Buffer {
  const base = opts.base ?? [0, 2, 5, 6, 16, 16];
  const maxSteps = opts.maxSteps ?? 11;
  const rows: Int32Array[] = [];
  const labels: string[] = [];
  const rowLabels: string[] = [];
  for (let f = 1; f < 6; f++) {
    const sweep = sweepClasses(DSPRITES_FACTOR_SIZES[f], maxSteps);
    const factors = new Int32Array(maxSteps * 6);
    // pad short rows (shape: 3, scale: 6) by repeating the last value, so the grid stays rectangular
    for (let j = 0; j < maxSteps; j++) {
      factors.set(base, j * 6);
      const cls = sweep[Math.min(j, sweep.length - 1)];
      factors[j * 6 + f] = cls;
      labels.push(j < sweep.length ? dspritesFactorLabel(f, cls) : "");
    }
    rows.push(factors);
    rowLabels.push(DSPRITES_FACTOR_NAMES[f]);
  }
  const all = new Int32Array(rows.length * maxSteps * 6);
  rows.forEach((r, i) => all.set(r, i * maxSteps * 6));
  const fixed = [1, 2, 3, 4, 5].map((f) => `${DSPRITES_FACTOR_NAMES[f]}=${dspritesFactorLabel(f, base[f])}`).join(", ");
  const batch = ds.observe(all);
  // blank the padding cells
  for (let k = 0; k < labels.length; k++) if (labels[k] === "") batch.data.fill(0.85, k * 4096, (k + 1) * 4096);
  return imageGridPng(batch, { cols: maxSteps, labels, rowLabels, title: `dSprites traversals (${ds.source}); fixed: ${fixed}` });
}

/**
 * The factor walk of the official dsprites.gif for one shape: scale up, orientation 0..2pi,
 * posY down, posX right, posY up, posX left. Frames are single 64x64 images (pixelScale 2).
 */
export function dspritesWalkGif(ds: DspritesDataset, opts: { shape?: number; pixelScale?: number } = {}): Uint8Array {
  const shape = opts.shape ?? 2;
  const seq: number[][] = [];
  for (let s = 0; s < 6; s++) seq.push([0, shape, s, 0, 0, 0]);
  for (let o = 0; o < 40; o++) seq.push([0, shape, 5, o, 0, 0]);
  for (let y = 0; y < 32; y++) seq.push([0, shape, 5, 0, 0, y]);
  for (let x = 0; x < 32; x++) seq.push([0, shape, 5, 0, x, 31]);
  for (let y = 31; y >= 0; y--) seq.push([0, shape, 5, 0, 31, y]);
  for (let x = 31; x >= 0; x--) seq.push([0, shape, 5, 0, x, 0]);
  const frames = seq.map((c) => ds.observe(Int32Array.from(c)));
  return gifFromFrames(frames, { pixelScale: opts.pixelScale ?? 2, gap: 0, cols: 1 });
}
