/**
 * The traversal explorer's frames (traversal-explorer.ts): every seed image decoded with every
 * swept latent set to every value, the others at the seed's posterior mean (analysis/inspect.ts's
 * traverse, the same decoding as the static traversal figures), each frame a small PNG data: URI.
 * 4 seeds x 10 latents x 13 values of a dSprites model: 520 frames, a few hundred bytes each.
 */
import type { ImageBatch } from "../data/dataset";
import type { VaeModel } from "../models/types";
import { traverse, linspace } from "../analysis/inspect";
import type { ExplorerFrames } from "./traversal-explorer";
import { pngDataUri } from "./png";

export interface ExplorerFrameOptions {
  /** The slider's stops. Default 13 values from -3 to 3 (steps of 0.5). */
  readonly values?: readonly number[];
  /** Latents to sweep, in menu order. Default all. */
  readonly latents?: readonly number[];
}

/** Decoded traversals: rows[s][k] is seed s with latents[k] swept over `values` (a batch of values.length). */
export interface DecodedTraversals {
  readonly values: readonly number[];
  readonly latents: readonly number[];
  readonly rows: readonly (readonly ImageBatch[])[];
}

function pick(batch: ImageBatch, i: number): ImageBatch {
  const per = batch.height * batch.width * batch.channels;
  return { ...batch, n: 1, data: batch.data.slice(i * per, (i + 1) * per) };
}

/** Every seed's traversals, decoded (one traverse call per seed). */
export function decodeTraversals(model: VaeModel, seeds: ImageBatch, opts: ExplorerFrameOptions = {}): DecodedTraversals {
  if (seeds.n < 1) throw new Error("traversal explorer: no seed images");
  const values = [...(opts.values ?? linspace(-3, 3, 13))];
  let latents: number[] = [];
  const rows = Array.from({ length: seeds.n }, (_, s) => {
    const t = traverse(model, pick(seeds, s), { values, latents: opts.latents });
    latents = t.latents;
    return t.rows;
  });
  return { values, latents, rows };
}

/** The frames as PNG data: URIs, with the seed images themselves. */
export function explorerFrames(decoded: DecodedTraversals, seeds: ImageBatch): ExplorerFrames {
  return {
    values: decoded.values,
    latents: decoded.latents,
    seeds: Array.from({ length: seeds.n }, (_, s) => pngDataUri(seeds, s)),
    frames: decoded.rows.map((perSeed) => perSeed.map((row) => Array.from({ length: row.n }, (_, v) => pngDataUri(row, v)))),
  };
}

/** Decodes and encodes in one call: model + seed images -> the explorer's frames. */
export function traversalFrames(model: VaeModel, seeds: ImageBatch, opts: ExplorerFrameOptions = {}): ExplorerFrames {
  return explorerFrames(decodeTraversals(model, seeds, opts), seeds);
}
