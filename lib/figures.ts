/**
 * Figure helpers for the notebooks: each builds one picture of the report from a trained model
 * (traversals, reconstruction grids, traversal GIFs) and shows + saves it, so the notebooks stay
 * one call per figure. Also: which latent encodes which generative factor, computed from the
 * generator's factors (normalised mutual information), never written by hand.
 */
import type { GroundTruthDataset, ImageBatch } from "./data/dataset";
import { heldOutSplit, itemFactors } from "./data/splits";
import type { VaeModel } from "./models/types";
import { makeRng } from "./rng";
import { imageGridPng, gifFromFrames } from "./images";
import { showPng, showGif } from "./display";
import { traverse, reconstruct, encodeBatch, linspace } from "./inspect";
import { computeMig } from "./metrics/mig";

export interface Sample {
  /** Item indices in the dataset. */
  readonly items: Uint32Array;
  /** Factor classes [n * numFactors]. */
  readonly factors: Int32Array;
  readonly images: ImageBatch;
}

/** n images drawn (seeded) from the fixed held-out split that training never sees. */
export function heldOutSample(dataset: GroundTruthDataset, n: number, opts: { heldOut?: number; seed?: number } = {}): Sample {
  const split = heldOutSplit(dataset.size, { heldOut: opts.heldOut ?? 10_000 });
  if (n > split.test.length) throw new Error(`heldOutSample: asked for ${n} images, the held-out split has ${split.test.length}`);
  const rng = makeRng(opts.seed ?? 0);
  const chosen = new Set<number>();
  while (chosen.size < n) chosen.add(split.test[rng.int(split.test.length)]);
  const items = Uint32Array.from(chosen);
  const factors = itemFactors(dataset, items);
  return { items, factors, images: dataset.observe(factors) };
}

function pick(batch: ImageBatch, i: number): ImageBatch {
  const per = batch.height * batch.width * batch.channels;
  return { ...batch, n: 1, data: batch.data.slice(i * per, (i + 1) * per) };
}

const fmt = (v: number) => (Math.abs(v) < 10 ? v.toFixed(2) : v.toFixed(1));

/**
 * Latent traversals (Figures 3, 5, 9): each row one latent swept over `values` (default -3..3,
 * 10 steps) from the seed image's posterior mean. Row labels carry each latent's KL when given.
 */
export function showTraversals(
  model: VaeModel,
  seed: ImageBatch,
  name: string,
  opts: { title?: string; klPerLatent?: readonly number[]; values?: readonly number[]; factorOfLatent?: readonly string[]; order?: readonly number[] } = {},
): void {
  const t = traverse(model, pick(seed, 0), { values: opts.values, latents: opts.order });
  const rowLabels = t.latents.map((l) => {
    const parts = [`z${l}`];
    if (opts.klPerLatent) parts.push(`KL ${fmt(opts.klPerLatent[l])}`);
    if (opts.factorOfLatent) parts.push(opts.factorOfLatent[l]);
    return parts.join("  ");
  });
  const columns = `columns: ${t.values.map((v) => v.toFixed(1)).join(", ")}`;
  const png = imageGridPng(t.rows, { cols: t.values.length, rowLabels, title: opts.title ? `${opts.title}; ${columns}` : columns, pixelScale: 1, gap: 2 });
  showPng(png, name);
}

/**
 * Figure 2: inputs beside each model's reconstructions, as side-by-side 8 x 8 panels
 * (a grey column separates the panels).
 */
export function showReconstructionGrid(inputs: ImageBatch, models: readonly { label: string; model: VaeModel }[], name: string, opts: { cols?: number; title?: string } = {}): void {
  const cols = opts.cols ?? 8;
  const panels: ImageBatch[] = [inputs, ...models.map((m) => reconstruct(m.model, inputs))];
  const per = inputs.height * inputs.width * inputs.channels;
  const grey: ImageBatch = { ...inputs, n: 1, data: new Float32Array(per).fill(0.5) };
  const rows = Math.ceil(inputs.n / cols);
  const cells: ImageBatch[] = [];
  for (let r = 0; r < rows; r++) {
    panels.forEach((p, k) => {
      if (k > 0) cells.push(grey);
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        cells.push(i < p.n ? pick(p, i) : grey);
      }
    });
  }
  const title = opts.title ?? ["inputs (held out)", ...models.map((m) => m.label)].join("   |   ");
  const png = imageGridPng(cells, { cols: panels.length * cols + panels.length - 1, title, pixelScale: 1, gap: 1 });
  showPng(png, name);
}

/**
 * A traversal GIF (the report's appendix): one frame per traversal value; in each frame, row l is
 * latent l set to that value for every seed image (columns), the other latents at the seed's mean.
 */
export function showTraversalGif(model: VaeModel, seeds: ImageBatch, name: string, opts: { values?: readonly number[]; title?: string; delayMs?: number } = {}): void {
  const values = [...(opts.values ?? linspace(-3, 3, 10))];
  const z = model.config.numLatents;
  const perSeed = Array.from({ length: seeds.n }, (_, s) => traverse(model, pick(seeds, s), { values }).rows); // [seed][latent] -> batch over values
  const frames = [...values, ...values.slice(1, -1).reverse()].map((v) => {
    const f = values.indexOf(v);
    const rows: ImageBatch[] = [];
    for (let l = 0; l < z; l++) for (let s = 0; s < seeds.n; s++) rows.push(pick(perSeed[s][l], f));
    return rows;
  });
  const frameTitles = [...values, ...values.slice(1, -1).reverse()].map((v) => `${opts.title ?? name}: latent value ${v.toFixed(2)}`);
  const gif = gifFromFrames(frames, {
    cols: seeds.n,
    rowLabels: Array.from({ length: z }, (_, l) => `z${l}`),
    frameTitles,
    delayMs: opts.delayMs ?? 150,
    pixelScale: 1,
    gap: 2,
  });
  showGif(gif, name);
}

export interface LatentFactorMap {
  /** Normalised mutual information I(z_j; v_k) / H(v_k), [numLatents][numFactors]. */
  readonly nmi: number[][];
  readonly factorNames: readonly string[];
  /** For each latent: the factor it shares most information with, or "-" when it is inactive. */
  readonly factorOfLatent: string[];
}

/**
 * Which latent encodes which factor: the normalised mutual information between each latent's
 * posterior mean (20-bin histogram) and each factor, on `n` images sampled from the dataset.
 * Latents listed in `inactive` are reported as "-".
 */
export function latentFactorMap(model: VaeModel, dataset: GroundTruthDataset, opts: { n?: number; seed?: number; inactive?: readonly number[] } = {}): LatentFactorMap {
  const n = opts.n ?? 5000;
  const factors = dataset.sampleFactors(n, makeRng(opts.seed ?? 0));
  const codes = encodeBatch(model, dataset.observe(factors));
  const mig = computeMig({ data: codes.mean, n, numLatents: codes.numLatents }, { data: factors, n, numFactors: dataset.numFactors });
  const h = mig.details.factorEntropy;
  const nmi = mig.details.mutualInfo.map((row) => row.map((m, k) => (h[k] > 0 ? m / h[k] : 0)));
  const factorOfLatent = nmi.map((row, j) => {
    if (opts.inactive?.includes(j)) return "-";
    let best = -1;
    row.forEach((v, k) => {
      if (h[k] > 0 && (best < 0 || v > row[best])) best = k;
    });
    return best < 0 ? "-" : dataset.factorNames[best];
  });
  return { nmi, factorNames: dataset.factorNames, factorOfLatent };
}
