/**
 * A trained (or untrained) VAE as a metric encoder: its posterior means zMean. The images of a
 * batch are encoded in slices of `batchSize` (memory bound only); every tensor is disposed.
 */
import * as tf from "@tensorflow/tfjs";
import type { ImageBatch } from "../data/dataset";
import type { VaeModel } from "../models/types";
import type { Encoder } from "./encoder";

export function modelEncoder(model: VaeModel, batchSize = 256): Encoder {
  return (images: ImageBatch): Float32Array => {
    const { n, height, width, channels } = images;
    if (channels !== model.config.channels) {
      throw new Error(`modelEncoder: images have ${channels} channels, the model expects ${model.config.channels}`);
    }
    const k = model.config.numLatents;
    const out = new Float32Array(n * k);
    const per = height * width * channels;
    for (let start = 0; start < n; start += batchSize) {
      const m = Math.min(batchSize, n - start);
      const zMean = tf.tidy(() => {
        const x = tf.tensor4d(images.data.subarray(start * per, (start + m) * per), [m, height, width, channels]);
        const { zMean: mu, zLogVar } = model.encode(x); // [m, k] each
        zLogVar.dispose();
        return mu;
      });
      out.set(zMean.dataSync() as Float32Array, start * k);
      zMean.dispose();
    }
    return out;
  };
}
