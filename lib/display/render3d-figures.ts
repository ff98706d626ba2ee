/**
 * Figures of a rendered dataset (lib/data/render3d/), as PNG (display/images.ts): random samples labelled with their
 * factors, one sweep per factor (that factor over its values, the others fixed), and a grid of two
 * factors (e.g. every view of one chair: elevations down, azimuths across). Notebook 04 and
 * `bvae data chairs3d|faces3d --figures` call these.
 */
import type { ImageBatch } from "../data/dataset";
import type { RenderedDataset } from "../data/render3d/rendered-dataset";
import { imageGridPng } from "./images";
import { makeRng } from "../rng";

/** Evenly spaced classes of a factor, at most `max`, both ends included. */
export function evenClasses(size: number, max: number): number[] {
  const k = Math.min(size, max);
  return Array.from({ length: k }, (_, i) => Math.round((i * (size - 1)) / Math.max(1, k - 1)));
}

function label(ds: RenderedDataset, f: number, c: number): string {
  return ds.spec.grid.factors[f].labels[c];
}

/** The classes figures hold fixed by default: the spec's preview, else the middle class of every factor. */
export function previewClasses(ds: RenderedDataset): Int32Array {
  return Int32Array.from(ds.spec.preview ?? ds.factorSizes.map((s) => Math.floor((s - 1) / 2)));
}

/** A grid of `n` random images, each labelled with its factors (two or three short lines). */
export function renderedSamplesPng(ds: RenderedDataset, opts: { n?: number; seed?: number; cols?: number } = {}): Buffer {
  const n = opts.n ?? 32;
  const F = ds.numFactors;
  const factors = ds.sampleFactors(n, makeRng(opts.seed ?? 0));
  const labels: string[] = [];
  const perLine = Math.ceil(F / 3);
  for (let i = 0; i < n; i++) {
    const parts = Array.from({ length: F }, (_, f) => label(ds, f, factors[i * F + f]));
    const lines: string[] = [];
    for (let s = 0; s < F; s += perLine) lines.push(parts.slice(s, s + perLine).join(", "));
    labels.push(lines.join("\n"));
  }
  return imageGridPng(ds.observe(factors), {
    cols: opts.cols ?? 8,
    labels,
    fontSize: 9,
    title: `${ds.name}: ${n} random samples of ${ds.size.toLocaleString("en-US")} (${ds.spec.grid.describe()})`,
  });
}

/**
 * One row per factor: that factor swept over (up to `maxSteps` of) its values, the others fixed at
 * `base` (default: previewClasses). Short rows are padded with white cells.
 */
export function renderedSweepPng(ds: RenderedDataset, opts: { base?: ArrayLike<number>; maxSteps?: number } = {}): Buffer {
  const F = ds.numFactors;
  const base = Int32Array.from(opts.base ?? previewClasses(ds));
  ds.spec.grid.check(base);
  const steps = opts.maxSteps ?? 11;
  const all = new Int32Array(F * steps * F);
  const labels: string[] = [];
  const padding: number[] = [];
  for (let f = 0; f < F; f++) {
    const sweep = evenClasses(ds.factorSizes[f], steps);
    for (let j = 0; j < steps; j++) {
      const k = f * steps + j;
      all.set(base, k * F);
      all[k * F + f] = sweep[Math.min(j, sweep.length - 1)];
      if (j < sweep.length) labels.push(label(ds, f, sweep[j]));
      else {
        labels.push("");
        padding.push(k);
      }
    }
  }
  const batch = ds.observe(all);
  const per = ds.per;
  for (const k of padding) batch.data.fill(1, k * per, (k + 1) * per);
  const fixed = Array.from({ length: F }, (_, f) => label(ds, f, base[f])).join(", ");
  return imageGridPng(batch, { cols: steps, labels, rowLabels: [...ds.factorNames], fontSize: 9, title: `${ds.name}: each factor swept, the others fixed at ${fixed}` });
}

/** Two factors at once: rowFactor down, colFactor across (all values), the others at `base`. */
export function renderedFactorGridPng(ds: RenderedDataset, rowFactor: string, colFactor: string, opts: { base?: ArrayLike<number>; pixelScale?: number } = {}): Buffer {
  const grid = ds.spec.grid;
  const fr = grid.factorIndex(rowFactor);
  const fc = grid.factorIndex(colFactor);
  const base = Int32Array.from(opts.base ?? previewClasses(ds));
  grid.check(base);
  const F = ds.numFactors;
  const rows = ds.factorSizes[fr];
  const cols = ds.factorSizes[fc];
  const all = new Int32Array(rows * cols * F);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = r * cols + c;
      all.set(base, k * F);
      all[k * F + fr] = r;
      all[k * F + fc] = c;
    }
  }
  const batch: ImageBatch = ds.observe(all);
  const others = Array.from({ length: F }, (_, f) => f)
    .filter((f) => f !== fr && f !== fc)
    .map((f) => label(ds, f, base[f]))
    .join(", ");
  return imageGridPng(batch, {
    cols,
    pixelScale: opts.pixelScale ?? 1,
    gap: 2,
    labels: Array.from({ length: rows * cols }, (_, k) => (k < cols ? label(ds, fc, k).replace(/^\w+ /, "") : "")),
    rowLabels: Array.from({ length: rows }, (_, r) => label(ds, fr, r)),
    fontSize: 8,
    title: `${ds.name}: ${rowFactor} down, ${colFactor} across (${others})`,
  });
}
