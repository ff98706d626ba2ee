/**
 * buildModel(config): the typed factory for every architecture. Returns an encoder and a decoder
 * (tf.LayersModel each) with stable variable names, for training and for saving weights.
 */
import * as tf from "@tensorflow/tfjs";
import { decoderLayers, encoderLayers } from "./architectures";
import { ARCHITECTURES, type ModelConfig, type NamedVariable, type Posterior, type VaeModel } from "./types";

/** Defaults: the report's z = 10, one channel (dSprites), seed 0. */
export const DEFAULT_MODEL: ModelConfig = { architecture: "burgess", numLatents: 10, channels: 1, initSeed: 0 };

function validate(cfg: ModelConfig): void {
  if (!ARCHITECTURES.includes(cfg.architecture)) {
    throw new Error(`model.architecture: expected one of ${ARCHITECTURES.join(", ")}, got "${String(cfg.architecture)}"`);
  }
  if (!Number.isInteger(cfg.numLatents) || cfg.numLatents < 1) {
    throw new Error(`model.numLatents: expected a positive integer, got ${String(cfg.numLatents)}`);
  }
  if (cfg.channels !== 1 && cfg.channels !== 3) throw new Error(`model.channels: expected 1 or 3, got ${String(cfg.channels)}`);
  if (!Number.isInteger(cfg.initSeed)) throw new Error(`model.initSeed: expected an integer, got ${String(cfg.initSeed)}`);
}

function namedVariables(prefix: string, model: tf.LayersModel): NamedVariable[] {
  // originalName is "<layer>/<weight>" without the process-wide uniquifying suffix.
  return model.trainableWeights.map((w) => ({ name: `${prefix}/${w.originalName}`, variable: w.read() as tf.Variable }));
}

export function buildModel(config: Partial<ModelConfig> = {}): VaeModel {
  const cfg: ModelConfig = { ...DEFAULT_MODEL, ...config };
  validate(cfg);
  const encoder = tf.sequential({ name: "encoder", layers: encoderLayers(cfg) });
  const decoder = tf.sequential({ name: "decoder", layers: decoderLayers(cfg) });
  const variables = [...namedVariables("encoder", encoder), ...namedVariables("decoder", decoder)];
  const numParameters = variables.reduce((n, v) => n + v.variable.size, 0);
  const z = cfg.numLatents;
  return {
    config: cfg,
    encoder,
    decoder,
    variables,
    numParameters,
    encode(x: tf.Tensor4D): Posterior {
      return tf.tidy(() => {
        const h = encoder.apply(x) as tf.Tensor2D; // [b, 2z]
        const zMean = tf.slice(h, [0, 0], [-1, z]) as tf.Tensor2D;
        const zLogVar = tf.slice(h, [0, z], [-1, z]) as tf.Tensor2D;
        return { zMean, zLogVar };
      });
    },
    decode(zs: tf.Tensor2D): tf.Tensor4D {
      return decoder.apply(zs) as tf.Tensor4D;
    },
    dispose() {
      encoder.dispose();
      decoder.dispose();
    },
  };
}

/** Parameter count of an architecture without keeping the model. */
export function countParameters(config: Partial<ModelConfig>): number {
  const m = buildModel(config);
  const n = m.numParameters;
  m.dispose();
  return n;
}
