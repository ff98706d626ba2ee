/**
 * The untrained-VAE row of the Higgins table: the encoder means of a VAE at initialisation (10
 * latents, one channel, weights from `seed`). Needs a TensorFlow.js backend, hence apart from the
 * tf-free baselines; storedHigginsTable builds it only when that row must be computed.
 */
import * as tf from "@tensorflow/tfjs";
import type { Encoder } from "../metrics/encoder";
import { modelEncoder } from "../metrics/model-encoder";
import { buildModel } from "../models/vae";
import type { ArchitectureName } from "../models/types";

export function untrainedVaeEncoder(architecture: ArchitectureName, seed: number): { encoder: Encoder; dispose(): void; backend: string } {
  const model = buildModel({ architecture, numLatents: 10, channels: 1, initSeed: seed });
  return { encoder: modelEncoder(model), dispose: () => model.dispose(), backend: tf.getBackend() };
}
