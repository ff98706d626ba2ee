/**
 * A trained (or untrained) VAE as a metric encoder: its posterior means zMean. The images of a
 * batch are encoded in slices of `batchSize` (memory bound only); every tensor is disposed.
 *
 * On the wasm backend the encoder's leading convolutions run on lib/backend/wasm/blank-conv.ts,
 * which recomputes only the part of each layer an image's nonzero pixels reach (dSprites: a small
 * shape on black; 2-3x faster encoding) and the remaining layers run as the model's own. Those
 * convolutions then come from the training kernel instead of XNNPACK's fused one: the codes agree
 * with model.encode to float32 rounding, not bit for bit (tests/metrics/model-encoder.test.ts),
 * which moves the Higgins score by up to 0.4 points and DCI by ~1e-3 (docs/metrics.md).
 * BVAE_ENCODE_BLANK=0 encodes with model.encode throughout (for A/B measurements).
 */
import * as tf from "@tensorflow/tfjs";
import { blankConvStack, type BlankConvStack, type ConvLayerSpec } from "../backend/wasm/blank-conv";
import type { ImageBatch } from "../data/dataset";
import type { VaeModel } from "../models/types";
import type { Encoder } from "./encoder";

export function modelEncoder(model: VaeModel, batchSize = 256, env: NodeJS.ProcessEnv = process.env): Encoder {
  return (images: ImageBatch): Float32Array => {
    const { n, height, width, channels } = images;
    if (channels !== model.config.channels) {
      throw new Error(`modelEncoder: images have ${channels} channels, the model expects ${model.config.channels}`);
    }
    const k = model.config.numLatents;
    const out = new Float32Array(n * k);
    const per = height * width * channels;
    // Built per call (a few hundred kB of scratch, freed below), so it always has the current weights.
    const stack = env.BVAE_ENCODE_BLANK === "0" ? undefined : leadingConvStack(model, [height, width, channels]);
    const rest = stack ? model.encoder.layers.slice(stack.layers) : [];
    try {
      for (let start = 0; start < n; start += batchSize) {
        const m = Math.min(batchSize, n - start);
        const pixels = images.data.subarray(start * per, (start + m) * per);
        const zMean = tf.tidy(() => {
          if (!stack) return model.encode(tf.tensor4d(pixels, [m, height, width, channels])).zMean; // [m, k]
          const front = tf.tensor4d(stack.apply(pixels, m), [m, ...stack.outShape]);
          const h = rest.reduce<tf.Tensor>((t, layer) => layer.apply(t) as tf.Tensor, front); // [m, 2k]
          return tf.slice(h, [0, 0], [-1, k]) as tf.Tensor2D;
        });
        out.set(zMean.dataSync() as Float32Array, start * k);
        zMean.dispose();
      }
    } finally {
      stack?.dispose();
    }
    return out;
  };
}

/** The encoder's leading Conv2D layers (ReLU or linear, with a bias) as a blank-background stack. */
export function leadingConvStack(model: VaeModel, inShape: [number, number, number]): BlankConvStack | undefined {
  const specs: ConvLayerSpec[] = [];
  for (const layer of model.encoder.layers) {
    if (layer.getClassName() !== "Conv2D") break;
    const c = layer.getConfig() as { strides?: number[]; padding?: string; activation?: string; useBias?: boolean; dilationRate?: number | number[]; dataFormat?: string };
    const dilations = [c.dilationRate ?? 1].flat();
    const [kernel, bias] = layer.getWeights();
    if (c.useBias === false || !bias || (c.padding !== "same" && c.padding !== "valid") || (c.activation !== "relu" && c.activation !== "linear")
      || dilations.some((d) => d !== 1) || (c.dataFormat !== undefined && c.dataFormat !== "channelsLast")) break;
    const strides = c.strides ?? [1, 1];
    specs.push({ filter: kernel as tf.Tensor4D, bias: bias as tf.Tensor1D, strides: [strides[0], strides[1] ?? strides[0]], pad: c.padding, activation: c.activation });
  }
  return specs.length > 0 ? blankConvStack(specs, inShape) : undefined;
}
