/**
 * The layer stacks of each architecture (see ArchitectureName in ./types for sources).
 *
 * Convolutions are 4x4. PyTorch's "stride 2, pad 1" is tf.layers' padding "same" at stride 2
 * (64 -> 32 -> 16 -> 8 -> 4, one pixel of padding on each side), and its transposed version doubles
 * the size. Kernels are He-normal initialised with a seed per layer, biases start at zero (the
 * report's code used kaiming_normal with zero biases).
 */
import * as tf from "@tensorflow/tfjs";
import { IMAGE_SIZE, type ArchitectureName, type ModelConfig } from "./types";

/** Builds seeded initialisers: layer i of a model gets its own seed derived from the run's. */
class Seeds {
  private next = 0;
  constructor(private readonly base: number, private readonly offset: number) {}
  kernel(): ReturnType<typeof tf.initializers.heNormal> {
    // Distinct, reproducible seeds per layer; tfjs initialisers are deterministic given a seed.
    const seed = ((this.base >>> 0) * 1009 + this.offset * 101 + this.next++) % 2147483647;
    return tf.initializers.heNormal({ seed });
  }
}

type Act = "relu" | "tanh" | "linear";

function conv(s: Seeds, name: string, filters: number, padding: "same" | "valid", strides: number, act: Act, inputShape?: number[]): tf.layers.Layer {
  return tf.layers.conv2d({ name, filters, kernelSize: 4, strides, padding, activation: act, kernelInitializer: s.kernel(), inputShape });
}

function convT(s: Seeds, name: string, filters: number, padding: "same" | "valid", strides: number, act: Act): tf.layers.Layer {
  return tf.layers.conv2dTranspose({ name, filters, kernelSize: 4, strides, padding, activation: act, kernelInitializer: s.kernel() });
}

function dense(s: Seeds, name: string, units: number, act: Act, inputShape?: number[]): tf.layers.Layer {
  return tf.layers.dense({ name, units, activation: act, kernelInitializer: s.kernel(), inputShape });
}

/** Encoder layers: [batch, 64, 64, nc] -> [batch, 2 * numLatents] (means first, then log-variances). */
export function encoderLayers(cfg: ModelConfig): tf.layers.Layer[] {
  const s = new Seeds(cfg.initSeed, 1);
  const z2 = 2 * cfg.numLatents;
  const input = [IMAGE_SIZE, IMAGE_SIZE, cfg.channels];
  const arch: ArchitectureName = cfg.architecture;
  switch (arch) {
    case "burgess":
      return [
        conv(s, "conv1", 32, "same", 2, "relu", input), // [b, 32, 32, 32]
        conv(s, "conv2", 32, "same", 2, "relu"), // [b, 16, 16, 32]
        conv(s, "conv3", 32, "same", 2, "relu"), // [b, 8, 8, 32]
        conv(s, "conv4", 32, "same", 2, "relu"), // [b, 4, 4, 32]
        tf.layers.flatten({ name: "flatten" }), // [b, 512]
        dense(s, "fc1", 256, "relu"),
        dense(s, "fc2", 256, "relu"),
        dense(s, "fc_z", z2, "linear"), // [b, 2z]
      ];
    case "chairs":
      return [
        conv(s, "conv1", 32, "same", 2, "relu", input), // [b, 32, 32, 32]
        conv(s, "conv2", 32, "same", 2, "relu"), // [b, 16, 16, 32]
        conv(s, "conv3", 64, "same", 2, "relu"), // [b, 8, 8, 64]
        conv(s, "conv4", 64, "same", 2, "relu"), // [b, 4, 4, 64]
        conv(s, "conv5", 256, "valid", 1, "relu"), // [b, 1, 1, 256]
        tf.layers.flatten({ name: "flatten" }), // [b, 256]
        dense(s, "fc_z", z2, "linear"), // [b, 2z]
      ];
    case "mlp":
      return [
        tf.layers.flatten({ name: "flatten", inputShape: input }), // [b, 4096 * nc]
        dense(s, "fc1", 1200, "relu"),
        dense(s, "fc2", 1200, "relu"),
        dense(s, "fc_z", z2, "linear"),
      ];
    case "tiny":
      return [
        tf.layers.flatten({ name: "flatten", inputShape: input }), // [b, 4096 * nc]
        dense(s, "fc1", 32, "relu"),
        dense(s, "fc_z", z2, "linear"),
      ];
    default: {
      const never: never = arch;
      throw new Error(`unknown architecture "${String(never)}"`);
    }
  }
}

/** Decoder layers: [batch, numLatents] -> logits [batch, 64, 64, nc]. */
export function decoderLayers(cfg: ModelConfig): tf.layers.Layer[] {
  const s = new Seeds(cfg.initSeed, 2);
  const z = [cfg.numLatents];
  const nc = cfg.channels;
  const arch: ArchitectureName = cfg.architecture;
  switch (arch) {
    case "burgess":
      return [
        dense(s, "fc1", 256, "relu", z),
        dense(s, "fc2", 256, "relu"),
        dense(s, "fc3", 512, "relu"),
        tf.layers.reshape({ name: "reshape", targetShape: [4, 4, 32] }),
        convT(s, "deconv1", 32, "same", 2, "relu"), // [b, 8, 8, 32]
        convT(s, "deconv2", 32, "same", 2, "relu"), // [b, 16, 16, 32]
        convT(s, "deconv3", 32, "same", 2, "relu"), // [b, 32, 32, 32]
        convT(s, "deconv4", nc, "same", 2, "linear"), // [b, 64, 64, nc] logits
      ];
    case "chairs":
      return [
        dense(s, "fc1", 256, "relu", z),
        tf.layers.reshape({ name: "reshape", targetShape: [1, 1, 256] }),
        convT(s, "deconv1", 64, "valid", 1, "relu"), // [b, 4, 4, 64]
        convT(s, "deconv2", 64, "same", 2, "relu"), // [b, 8, 8, 64]
        convT(s, "deconv3", 32, "same", 2, "relu"), // [b, 16, 16, 32]
        convT(s, "deconv4", 32, "same", 2, "relu"), // [b, 32, 32, 32]
        convT(s, "deconv5", nc, "same", 2, "linear"), // [b, 64, 64, nc] logits
      ];
    case "mlp":
      return [
        dense(s, "fc1", 1200, "tanh", z),
        dense(s, "fc2", 1200, "tanh"),
        dense(s, "fc3", 1200, "tanh"),
        dense(s, "fc_x", IMAGE_SIZE * IMAGE_SIZE * nc, "linear"),
        tf.layers.reshape({ name: "reshape", targetShape: [IMAGE_SIZE, IMAGE_SIZE, nc] }),
      ];
    case "tiny":
      return [
        dense(s, "fc1", 32, "relu", z),
        dense(s, "fc_x", IMAGE_SIZE * IMAGE_SIZE * nc, "linear"),
        tf.layers.reshape({ name: "reshape", targetShape: [IMAGE_SIZE, IMAGE_SIZE, nc] }),
      ];
    default: {
      const never: never = arch;
      throw new Error(`unknown architecture "${String(never)}"`);
    }
  }
}
