/**
 * A tiny ground-truth dataset and known-answer "encoders" for testing and benchmarking the metrics
 * without a renderer or a model.
 *
 * The dataset has dSprites' factor sizes [1, 3, 6, 40, 32, 32] by default; its "image" of a point
 * is the factor classes themselves, as one row of numFactors pixels: [n, 1, numFactors, 1]
 * (values are class indices, not in [0, 1]: it only feeds the encoders below).
 */
import type { GroundTruthDataset, ImageBatch } from "../data/dataset";
import { makeRng, type Rng } from "../rng";
import { markStochastic, type Encoder } from "./encoder";

export const DSPRITES_FACTOR_SIZES: readonly number[] = [1, 3, 6, 40, 32, 32];
export const DSPRITES_FACTOR_NAMES: readonly string[] = ["color", "shape", "scale", "orientation", "posX", "posY"];

export function syntheticDataset(
  factorSizes: readonly number[] = DSPRITES_FACTOR_SIZES, factorNames: readonly string[] = DSPRITES_FACTOR_NAMES,
): GroundTruthDataset {
  const numFactors = factorSizes.length;
  const names = factorNames.length === numFactors ? factorNames : factorSizes.map((_, i) => `factor${i}`);
  return {
    name: "synthetic-factors",
    source: "generated",
    numFactors,
    factorSizes,
    factorNames: names,
    size: factorSizes.reduce((a, b) => a * b, 1),
    imageShape: [1, numFactors, 1],
    sampleFactors(n: number, rng: Rng): Int32Array {
      const out = new Int32Array(n * numFactors);
      for (let i = 0; i < n; i++) for (let f = 0; f < numFactors; f++) out[i * numFactors + f] = rng.int(factorSizes[f]);
      return out;
    },
    observe(factors: Int32Array): ImageBatch {
      if (factors.length % numFactors !== 0) throw new Error(`observe: ${factors.length} values is not a multiple of ${numFactors} factors`);
      return { data: Float32Array.from(factors), n: factors.length / numFactors, height: 1, width: numFactors, channels: 1 };
    },
  };
}

/** The kinds of known-answer codes the tests use. */
export type SyntheticCodeKind = "identity" | "random" | "constant" | "duplicated" | "rotated" | "padded";

/**
 * An encoder over the synthetic "images" (factor classes) of a dataset:
 * - identity: the varying factors, each scaled to [0, 1] (ground truth as codes);
 * - random: independent N(0, 1) noise, numFactors latents (a seeded stream: calls differ);
 * - constant: zeros;
 * - duplicated: the identity codes twice ([f, f]: every factor in two latents);
 * - rotated: the standardised identity codes times a fixed random rotation (every latent mixes all factors);
 * - padded: the identity codes plus as many N(0, 1) noise latents (model-like: 10 latents for dSprites, half unused).
 * random and padded draw fresh noise per call: they are marked stochastic, so no code cache
 * (code-cache.ts) fixes one code per image.
 */
export function syntheticEncoder(ds: GroundTruthDataset, kind: SyntheticCodeKind, seed = 1): Encoder {
  const varying = ds.factorSizes.map((s, i) => (s > 1 ? i : -1)).filter((i) => i >= 0);
  const k = varying.length;
  const rng = makeRng(seed);
  const rotation = randomRotation(k, makeRng(seed + 7919));
  const encode = (images: ImageBatch): Float32Array => {
    const n = images.n;
    const nf = ds.numFactors;
    const scaled = (i: number, j: number) => images.data[i * nf + varying[j]] / (ds.factorSizes[varying[j]] - 1);
    switch (kind) {
      case "identity": {
        const out = new Float32Array(n * k);
        for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[i * k + j] = scaled(i, j);
        return out;
      }
      case "random": {
        const out = new Float32Array(n * k);
        for (let i = 0; i < out.length; i++) out[i] = rng.normal();
        return out;
      }
      case "constant":
        return new Float32Array(n * k);
      case "duplicated": {
        const out = new Float32Array(n * 2 * k);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < k; j++) {
            out[i * 2 * k + j] = scaled(i, j);
            out[i * 2 * k + k + j] = scaled(i, j);
          }
        }
        return out;
      }
      case "padded": {
        const out = new Float32Array(n * 2 * k);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < k; j++) {
            out[i * 2 * k + j] = scaled(i, j);
            out[i * 2 * k + k + j] = rng.normal();
          }
        }
        return out;
      }
      case "rotated": {
        const out = new Float32Array(n * k);
        const v = new Float64Array(k);
        for (let i = 0; i < n; i++) {
          // Uniform classes in [0, 1] have std ~ 1/sqrt(12): standardise before mixing.
          for (let j = 0; j < k; j++) v[j] = (scaled(i, j) - 0.5) * Math.sqrt(12);
          for (let a = 0; a < k; a++) {
            let s = 0;
            for (let b = 0; b < k; b++) s += rotation[a * k + b] * v[b];
            out[i * k + a] = s;
          }
        }
        return out;
      }
    }
  };
  return kind === "random" || kind === "padded" ? markStochastic(encode) : encode;
}

/** A random k x k rotation (Gram-Schmidt on a Gaussian matrix), row-major. */
export function randomRotation(k: number, rng: Rng): Float64Array {
  const q = new Float64Array(k * k);
  for (let i = 0; i < k * k; i++) q[i] = rng.normal();
  for (let r = 0; r < k; r++) {
    for (let p = 0; p < r; p++) {
      let dot = 0;
      for (let c = 0; c < k; c++) dot += q[r * k + c] * q[p * k + c];
      for (let c = 0; c < k; c++) q[r * k + c] -= dot * q[p * k + c];
    }
    let norm = 0;
    for (let c = 0; c < k; c++) norm += q[r * k + c] ** 2;
    norm = Math.sqrt(norm);
    for (let c = 0; c < k; c++) q[r * k + c] /= norm;
  }
  return q;
}
