/**
 * Types shared by the architectures: what a model is built from and what it offers.
 *
 * Every architecture maps images [batch, 64, 64, channels] in [0, 1] to the posterior's
 * parameters (zMean, zLogVar: [batch, numLatents]) and latents back to decoder logits
 * [batch, 64, 64, channels] (the likelihood, Bernoulli or Gaussian, is applied by the objective).
 */
import type * as tf from "@tensorflow/tfjs";

/**
 * The architectures of the report and its sources.
 * - "burgess": Burgess et al. 2018: 4 conv 32 (4x4 s2 p1) -> FC 256 -> FC 256 -> 2z; mirrored
 *   decoder. ~502k parameters at z = 10, one channel. The default for dSprites (fastest).
 * - "chairs": Higgins et al. 2017's 3D Chairs conv net, used by the report on dSprites:
 *   conv 32,32,64,64 (4x4 s2 p1) -> conv 256 (4x4 valid) -> linear 2z; decoder linear 256 ->
 *   convT 64 (4x4 valid, 1->4) -> convT 64,32,32,nc (4x4 s2 p1). ~763k parameters at z = 10.
 * - "mlp": Higgins et al. 2017's dSprites MLP: 4096-1200-1200-2z (ReLU); decoder
 *   z-1200-1200-1200-4096 (tanh).
 * - "tiny": not from any paper; a 4096-32-2z MLP (decoder z-32-4096) for tests: fast on every
 *   backend, including the pure-JS cpu backend whose conv gradients are very slow.
 */
export type ArchitectureName = "burgess" | "chairs" | "mlp" | "tiny";

export const ARCHITECTURES: readonly ArchitectureName[] = ["burgess", "chairs", "mlp", "tiny"];

/** How the notebooks name each network (the report's own words where it has them). */
export const NETWORK_NAMES: Readonly<Record<ArchitectureName, string>> = {
  burgess: "Burgess network",
  chairs: "H network",
  mlp: "Higgins MLP",
  tiny: "tiny test MLP",
};

/** Input side length: every architecture takes 64 x 64 images. */
export const IMAGE_SIZE = 64;

export interface ModelConfig {
  readonly architecture: ArchitectureName;
  /** Number of latent dimensions z (10 in the report, 5 in its appendix). */
  readonly numLatents: number;
  /** Image channels: 1 (dSprites) or 3 (CelebA, Chairs in colour). */
  readonly channels: 1 | 3;
  /** Seed of the weight initialisers (He normal kernels, zero biases, as in the report's code). */
  readonly initSeed: number;
}

export interface Posterior {
  /** [batch, numLatents] */
  readonly zMean: tf.Tensor2D;
  /** [batch, numLatents] */
  readonly zLogVar: tf.Tensor2D;
}

export interface VaeModel {
  readonly config: ModelConfig;
  /** Images [batch, 64, 64, channels] -> posterior [batch, numLatents] x 2. */
  readonly encoder: tf.LayersModel;
  /** Latents [batch, numLatents] -> logits [batch, 64, 64, channels]. */
  readonly decoder: tf.LayersModel;
  /** Splits the encoder's [batch, 2 * numLatents] output into zMean and zLogVar. */
  encode(x: tf.Tensor4D): Posterior;
  /** Decoder logits [batch, 64, 64, channels]. */
  decode(z: tf.Tensor2D): tf.Tensor4D;
  /** Trainable variables in a fixed order (encoder first), named "encoder/<layer>/<weight>". */
  readonly variables: readonly NamedVariable[];
  /** Total number of trainable parameters. */
  readonly numParameters: number;
  dispose(): void;
}

export interface NamedVariable {
  /** Stable name, independent of how many models the process has built: "encoder/conv1/kernel". */
  readonly name: string;
  readonly variable: tf.Variable;
}
