/**
 * Figure helpers for the notebooks: each builds one picture of the report from a trained model
 * (traversals, reconstruction grids, traversal GIFs) and shows + saves it, so the notebooks stay
 * one call per figure. Which latent encodes which factor is computed in analysis/latent-factors.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ImageBatch } from "../data/dataset";
import type { VaeModel } from "../models/types";
import { imageGridPng, gifFromFrames } from "./images";
import { showPng, showGif, displayBundle, figuresDir, VEGA_LITE_MIME, explorerText } from "./show";
import { decodeTraversals, explorerFrames, type DecodedTraversals, type ExplorerFrameOptions } from "./explorer-frames";
import { traversalExplorerSpec } from "./traversal-explorer";
import { traverse, reconstruct, linspace } from "../analysis/inspect";
import { samplePrior } from "../analysis/prior";

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
export function showTraversalGif(model: VaeModel, seeds: ImageBatch, name: string, opts: { values?: readonly number[]; title?: string; delayMs?: number; caption?: string } = {}): void {
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
    // 128 px cells: a 64 px dSprites image is too small to judge a traversal by eye.
    pixelScale: 2,
    gap: 4,
  });
  const caption = opts.caption ?? `${opts.title ?? name}: one frame per latent value (${values[0].toFixed(1)} to ${values[values.length - 1].toFixed(1)} and back); ` +
    `row z_i sets latent i to that value, the others stay at each seed image's posterior mean; columns: ${seeds.n} held-out seed images`;
  showGif(gif, name, caption);
}

/**
 * Section 3.2.1: for each model, a row of reconstructions of `inputs` and a row of images decoded from
 * the prior N(0, I) (`seed` fixes the draws), labelled by row.
 */
export function showPriorSamples(inputs: ImageBatch, models: readonly { label: string; model: VaeModel }[], name: string, opts: { seed?: number; title?: string } = {}): void {
  const rows: ImageBatch[] = [];
  const rowLabels: string[] = [];
  for (const m of models) {
    const recon = reconstruct(m.model, inputs);
    const prior = samplePrior(m.model, inputs.n, opts.seed ?? 0);
    for (let i = 0; i < inputs.n; i++) rows.push(pick(recon, i));
    for (let i = 0; i < inputs.n; i++) rows.push(pick(prior, i));
    rowLabels.push(`${m.label}: reconstructions`, `${m.label}: prior samples`);
  }
  const title = opts.title ?? "reconstructions of held-out images against samples decoded from the prior N(0, I)";
  showPng(imageGridPng(rows, { cols: inputs.n, rowLabels, title, pixelScale: 1, gap: 2 }), name);
}

/**
 * The interactive traversal explorer (traversal-explorer.ts): menus for the seed image and the
 * latent, a slider for the value. Live in JupyterLab 4, trusted or not (a Vega-Lite output); where
 * Vega-Lite is not rendered (GitHub, nbviewer, classic Notebook) the same output shows the static
 * figure `fallback` (figures/<fallback>.png, e.g. written by showTraversals just before), or, when
 * that figure is a GIF, the first seed's traversal grid. Nothing is saved (the frames stay in the
 * notebook, about 0.5 MB for 4 seeds x 10 latents x 13 values of dSprites).
 */
export function showTraversalExplorer(
  model: VaeModel,
  seeds: ImageBatch,
  fallback: string,
  opts: ExplorerFrameOptions & { title?: string; klPerLatent?: readonly number[]; factorOfLatent?: readonly string[] } = {},
): void {
  const decoded = decodeTraversals(model, seeds, opts);
  const latentLabels = decoded.latents.map((l) => {
    const parts = [`z${l}`];
    if (opts.klPerLatent) parts.push(`KL ${fmt(opts.klPerLatent[l])}`);
    if (opts.factorOfLatent) parts.push(opts.factorOfLatent[l]);
    return parts.join(" ");
  });
  const spec = traversalExplorerSpec(explorerFrames(decoded, seeds), { title: opts.title, latentLabels });
  displayBundle({
    [VEGA_LITE_MIME]: spec,
    "image/png": explorerFallbackPng(fallback, decoded, latentLabels).toString("base64"),
    "text/plain": explorerText(fallback),
  });
}

/** The static picture of an explorer: figures/<fallback>.png, else the first seed's grid. */
export function explorerFallbackPng(fallback: string, decoded: DecodedTraversals, rowLabels: readonly string[]): Buffer {
  const file = path.join(figuresDir(), `${fallback}.png`);
  if (fs.existsSync(file)) return fs.readFileSync(file);
  if (!fs.existsSync(path.join(figuresDir(), `${fallback}.gif`))) {
    throw new Error(`showTraversalExplorer: no figure "${fallback}" (.png or .gif) under ${figuresDir()} to show where Vega-Lite is not rendered`);
  }
  const columns = `columns: ${decoded.values.map((v) => v.toFixed(1)).join(", ")}`;
  return imageGridPng([...decoded.rows[0]], { cols: decoded.values.length, rowLabels, title: columns, pixelScale: 1, gap: 2 });
}
