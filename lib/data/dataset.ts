/**
 * The one dataset interface that training and metrics use (after the field's reference
 * disentanglement library: numFactors, factorSizes, sampleFactors, observe).
 *
 * Factor classes are integers: factors[i * numFactors + f] in [0, factorSizes[f]).
 * Images are float32 in [0, 1], laid out NHWC: [n, height, width, channels].
 */
import type { Rng } from "../rng";

export interface ImageBatch {
  /** Pixel values in [0, 1], NHWC, length n * height * width * channels. */
  readonly data: Float32Array;
  readonly n: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

export interface GroundTruthDataset {
  /** A short name, e.g. "dsprites". */
  readonly name: string;
  /** Where the images come from, e.g. "generated" or a file path. */
  readonly source: string;
  readonly numFactors: number;
  readonly factorSizes: readonly number[];
  readonly factorNames: readonly string[];
  /** Total number of images (the product of factorSizes for a full factorial dataset). */
  readonly size: number;
  readonly imageShape: readonly [height: number, width: number, channels: number];
  /** Draws n factor-class vectors uniformly at random: [n * numFactors]. */
  sampleFactors(n: number, rng: Rng): Int32Array;
  /** Renders (or looks up) the images for the given factor classes [n * numFactors]. */
  observe(factors: Int32Array): ImageBatch;
}
