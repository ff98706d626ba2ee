/**
 * The objectives of the report (section 2), as pure functions on tensors that return named terms.
 *
 *   VAE:       recon + KL
 *   beta-VAE:  recon + beta * KL                       (Higgins et al. 2017)
 *   capacity:  recon + gamma * |KL - C(step)|          (Burgess et al. 2018)
 *
 * The three differ only in the regulariser. Conventions (those of the report's code and of the
 * public reference implementations): the reconstruction term is summed over pixels and averaged
 * over the batch; KL is summed over latents and averaged over the batch; all in nats.
 */
import * as tf from "@tensorflow/tfjs";

/** Likelihood of the decoder. */
export type DecoderDistribution = "bernoulli" | "gaussian";

export type Regulariser =
  | { readonly kind: "vae" }
  | { readonly kind: "beta"; readonly beta: number }
  | {
      readonly kind: "capacity";
      /** Weight of |KL - C|; 1000 in Burgess et al., 100 in the report. */
      readonly gamma: number;
      /** Final capacity in nats; 25 in Burgess et al., 30 in the report. */
      readonly cMax: number;
      /** Step at which C reaches cMax; 1e5 in both. */
      readonly cStopStep: number;
    };

/** Logits are clamped to +-LOGIT_CLAMP inside the Bernoulli loss (gradient passed through):
 * very negative background logits otherwise produce denormal gradients that slow CPU training
 * 2-3x (measured; see docs/platform.md). At |logit| = 30 the loss changes by < 1e-13 per pixel. */
export const LOGIT_CLAMP = 30;

/**
 * Closed-form KL( N(mu, exp(logVar)) || N(0, 1) ) per latent, averaged over the batch.
 * zMean, zLogVar: [batch, numLatents]. Returns [numLatents].
 */
export function klPerLatent(zMean: tf.Tensor2D, zLogVar: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const perItem = tf.mul(-0.5, tf.sub(tf.add(1, zLogVar), tf.add(tf.square(zMean), tf.exp(zLogVar))));
    return tf.mean(perItem, 0) as tf.Tensor1D;
  });
}

/** Clamp in the forward pass, identity in the backward pass. */
const clampLogitsStraightThrough = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.clipByValue(x, -LOGIT_CLAMP, LOGIT_CLAMP),
  gradFunc: (dy: tf.Tensor) => dy,
})) as unknown as Parameters<typeof tf.customGrad>[0]);

/**
 * Negative log-likelihood of the batch under the decoder, summed over pixels, averaged over the batch.
 * - bernoulli: sigmoid cross-entropy with logits (x in [0, 1]).
 * - gaussian: squared error of sigmoid(logits) against x (unit variance, constants dropped).
 * logits and x share a shape [batch, ...].
 */
export function reconstructionLoss(logits: tf.Tensor, x: tf.Tensor, decoder: DecoderDistribution): tf.Scalar {
  return tf.tidy(() => {
    const batch = logits.shape[0] ?? 1;
    let perPixel: tf.Tensor;
    switch (decoder) {
      case "bernoulli": {
        const l = clampLogitsStraightThrough(logits) as tf.Tensor;
        // max(l, 0) - l * x + log(1 + exp(-|l|)): the numerically stable form.
        perPixel = tf.add(tf.sub(tf.relu(l), tf.mul(l, x)), tf.log1p(tf.exp(tf.neg(tf.abs(l)))));
        break;
      }
      case "gaussian":
        perPixel = tf.squaredDifference(tf.sigmoid(logits), x);
        break;
      default: {
        const never: never = decoder;
        throw new Error(`unknown decoder distribution ${String(never)}`);
      }
    }
    return tf.div(tf.sum(perPixel), batch) as tf.Scalar;
  });
}

/** The capacity target C at a training step: min(cMax, cMax * step / cStopStep). */
export function capacityAt(step: number, cMax: number, cStopStep: number): number {
  if (cStopStep <= 0) return cMax;
  return Math.min(cMax, (cMax * step) / cStopStep);
}

export interface ObjectiveTerms {
  /** Reconstruction NLL, nats per image. */
  readonly recon: tf.Scalar;
  /** Total KL, nats per image. */
  readonly kl: tf.Scalar;
  /** KL per latent [numLatents]. */
  readonly klPerLatent: tf.Tensor1D;
  /** The regulariser as it enters the loss (KL, beta*KL or gamma*|KL-C|). */
  readonly regulariser: tf.Scalar;
  /** recon + regulariser: what training minimises. */
  readonly loss: tf.Scalar;
  /** The capacity target C used at this step (0 when not a capacity objective). */
  readonly capacity: number;
}

/** The regulariser alone, from the total KL. */
export function regulariserTerm(kl: tf.Scalar, reg: Regulariser, step: number): { value: tf.Scalar; capacity: number } {
  switch (reg.kind) {
    case "vae":
      return { value: tf.clone(kl), capacity: 0 };
    case "beta":
      return { value: tf.mul(reg.beta, kl), capacity: 0 };
    case "capacity": {
      const c = capacityAt(step, reg.cMax, reg.cStopStep);
      return { value: tf.mul(reg.gamma, tf.abs(tf.sub(kl, c))), capacity: c };
    }
    default: {
      const never: never = reg;
      throw new Error(`unknown regulariser ${JSON.stringify(never)}`);
    }
  }
}

/**
 * All terms of the objective for one batch. The caller owns the returned tensors
 * (call disposeTerms, or use inside tf.tidy).
 */
export function objective(
  logits: tf.Tensor,
  x: tf.Tensor,
  zMean: tf.Tensor2D,
  zLogVar: tf.Tensor2D,
  decoder: DecoderDistribution,
  reg: Regulariser,
  step: number,
): ObjectiveTerms {
  const recon = reconstructionLoss(logits, x, decoder);
  const perLatent = klPerLatent(zMean, zLogVar);
  const kl = tf.sum(perLatent) as tf.Scalar;
  const { value, capacity } = regulariserTerm(kl, reg, step);
  const loss = tf.add(recon, value) as tf.Scalar;
  return { recon, kl, klPerLatent: perLatent, regulariser: value, loss, capacity };
}

export function disposeTerms(t: ObjectiveTerms): void {
  tf.dispose([t.recon, t.kl, t.klPerLatent, t.regulariser, t.loss]);
}

/** Reparameterisation: z = mu + exp(logVar / 2) * eps, eps ~ N(0, I). */
export function reparameterise(zMean: tf.Tensor2D, zLogVar: tf.Tensor2D, eps?: tf.Tensor2D, seed?: number): tf.Tensor2D {
  return tf.tidy(() => {
    const e = eps ?? tf.randomNormal(zMean.shape, 0, 1, "float32", seed);
    return tf.add(zMean, tf.mul(tf.exp(tf.mul(0.5, zLogVar)), e)) as tf.Tensor2D;
  });
}
