/**
 * Looking inside a trained model: posterior means of a dataset, reconstructions, latent
 * traversals (Figures 2, 3, 5, 9 and the appendix GIFs) and held-out reconstruction errors (Table 1).
 */
import * as tf from "@tensorflow/tfjs";
import type { ImageBatch } from "../data/dataset";
import type { VaeModel } from "../models/types";
import type { DecoderDistribution } from "../models/objectives";
import { reconstructionLoss } from "../models/objectives";

/** Batches of at most this many images go through the model at once (memory, not speed). */
const CHUNK = 256;

function toTensor(batch: ImageBatch): tf.Tensor4D {
  return tf.tensor4d(batch.data, [batch.n, batch.height, batch.width, batch.channels]);
}

function sliceBatch(batch: ImageBatch, start: number, end: number): ImageBatch {
  const per = batch.height * batch.width * batch.channels;
  return { ...batch, n: end - start, data: batch.data.subarray(start * per, end * per) };
}

export interface Posteriors {
  /** [n * numLatents] */
  readonly mean: Float32Array;
  /** [n * numLatents] */
  readonly logVar: Float32Array;
  readonly n: number;
  readonly numLatents: number;
}

/** Posterior means and log-variances of a batch of images, in chunks. */
export function encodeBatch(model: VaeModel, images: ImageBatch): Posteriors {
  const z = model.config.numLatents;
  const mean = new Float32Array(images.n * z);
  const logVar = new Float32Array(images.n * z);
  for (let s = 0; s < images.n; s += CHUNK) {
    const e = Math.min(images.n, s + CHUNK);
    const [m, l] = tf.tidy(() => {
      const p = model.encode(toTensor(sliceBatch(images, s, e)));
      return [p.zMean.dataSync(), p.zLogVar.dataSync()];
    });
    mean.set(m, s * z);
    logVar.set(l, s * z);
  }
  return { mean, logVar, n: images.n, numLatents: z };
}

/** Decodes latents [n * numLatents] to images: sigmoid of the logits (the Bernoulli mean). */
export function decodeLatents(model: VaeModel, latents: Float32Array, n: number): ImageBatch {
  const z = model.config.numLatents;
  if (latents.length !== n * z) throw new Error(`decodeLatents: ${latents.length} values for ${n} x ${z} latents`);
  const c = model.config.channels;
  const data = tf.tidy(() => tf.sigmoid(model.decode(tf.tensor2d(latents, [n, z]))).dataSync() as Float32Array);
  return { data: Float32Array.from(data), n, height: 64, width: 64, channels: c };
}

/** Reconstructions from the posterior means (no sampling), as in the report's Figure 2. */
export function reconstruct(model: VaeModel, images: ImageBatch): ImageBatch {
  const { mean, n } = encodeBatch(model, images);
  return decodeLatents(model, mean, n);
}

export interface TraversalOptions {
  /** Values each latent takes: default 10 evenly spaced in [-3, 3] (the report's traversals). */
  readonly values?: readonly number[];
  /** Which latents to sweep (default all), in display order. */
  readonly latents?: readonly number[];
}

export function linspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1)));
}

/**
 * Latent traversals from one seed image: for each latent, its posterior mean is replaced by each
 * value in turn, the others held at the seed's posterior mean. One ImageBatch per latent (a row).
 */
export function traverse(model: VaeModel, seed: ImageBatch, opts: TraversalOptions = {}): { rows: ImageBatch[]; latents: number[]; values: number[] } {
  if (seed.n < 1) throw new Error("traverse: the seed batch is empty");
  const z = model.config.numLatents;
  const values = [...(opts.values ?? linspace(-3, 3, 10))];
  const latents = [...(opts.latents ?? Array.from({ length: z }, (_, i) => i))];
  for (const l of latents) if (!(Number.isInteger(l) && l >= 0 && l < z)) throw new Error(`traverse: latent ${l} is not in 0..${z - 1}`);
  const base = encodeBatch(model, sliceBatch(seed, 0, 1)).mean;
  const codes = new Float32Array(latents.length * values.length * z);
  latents.forEach((l, r) =>
    values.forEach((v, c) => {
      const o = (r * values.length + c) * z;
      codes.set(base, o);
      codes[o + l] = v;
    }),
  );
  const all = decodeLatents(model, codes, latents.length * values.length);
  const rows = latents.map((_, r) => sliceBatch(all, r * values.length, (r + 1) * values.length));
  return { rows: rows.map((b) => ({ ...b, data: Float32Array.from(b.data) })), latents, values };
}

export interface ReconstructionErrors {
  /** The decoder's negative log-likelihood summed over pixels, averaged over images: the
   * quantity the report's Table 1 calls "MSE" (Bernoulli for dSprites). */
  readonly nll: number;
  /** True squared error of the decoder mean sigmoid(logits), summed over pixels, averaged over images. */
  readonly squaredError: number;
  readonly n: number;
}

/** Reconstruction errors from the posterior means, on (held-out) images. */
export function reconstructionErrors(model: VaeModel, images: ImageBatch, decoder: DecoderDistribution): ReconstructionErrors {
  let nll = 0;
  let se = 0;
  for (let s = 0; s < images.n; s += CHUNK) {
    const e = Math.min(images.n, s + CHUNK);
    const [a, b] = tf.tidy(() => {
      const x = toTensor(sliceBatch(images, s, e));
      const logits = model.decode(model.encode(x).zMean);
      const sum = (t: tf.Tensor) => tf.mul(t, e - s).dataSync()[0];
      return [sum(reconstructionLoss(logits, x, decoder)), tf.sum(tf.squaredDifference(tf.sigmoid(logits), x)).dataSync()[0]];
    });
    nll += a;
    se += b;
  }
  return { nll: nll / images.n, squaredError: se / images.n, n: images.n };
}

/** Latents whose mean KL exceeds `threshold` nats (0.1 by default). */
export function activeLatents(klPerLatent: readonly number[], threshold = 0.1): number[] {
  return klPerLatent.flatMap((k, i) => (k > threshold ? [i] : []));
}

/** Latents whose mean KL is at most `threshold` nats: the complement of activeLatents. */
export function inactiveLatents(klPerLatent: readonly number[], threshold = 0.1): number[] {
  return klPerLatent.flatMap((k, i) => (k > threshold ? [] : [i]));
}
