/**
 * Sampling from the prior against reconstructing: the report (section 3.3) says that, once the used
 * latents' posterior variances approach 0, images decoded from z ~ N(0, I) are no longer usable and one
 * samples around a known encoding instead. Two pure measurements test it: decoded prior samples, and
 * how sure the decoder is of each pixel (a dSprites image is binary, so a decoder that has seen such a
 * code returns probabilities near 0 or 1).
 */
import type { ImageBatch } from "../data/dataset";
import type { VaeModel } from "../models/types";
import { makeRng } from "../rng";
import { decodeLatents } from "./inspect";

/** `n` images decoded (pixel probabilities) from latents drawn from the prior N(0, I), seeded. */
export function samplePrior(model: VaeModel, n: number, seed = 0): ImageBatch {
  if (!Number.isInteger(n) || n < 1) throw new Error(`samplePrior: n must be a positive integer, got ${n}`);
  const rng = makeRng(seed);
  const z = new Float32Array(n * model.config.numLatents);
  for (let i = 0; i < z.length; i++) z[i] = rng.normal();
  return decodeLatents(model, z, n);
}

/**
 * The decoder's uncertainty: the binary entropy of each pixel probability, summed over an image's
 * pixels and averaged over the images (nats per image). 0 for a batch of exactly binary images.
 */
export function pixelEntropy(images: ImageBatch): number {
  const per = images.height * images.width * images.channels;
  if (images.n < 1 || images.data.length !== images.n * per) throw new Error(`pixelEntropy: expected ${images.n} x ${per} values, got ${images.data.length}`);
  let total = 0;
  for (const p of images.data) {
    if (!(p >= 0 && p <= 1)) throw new Error(`pixelEntropy: pixel probabilities must lie in [0, 1], got ${p}`);
    if (p > 0 && p < 1) total -= p * Math.log(p) + (1 - p) * Math.log(1 - p);
  }
  return total / images.n;
}
