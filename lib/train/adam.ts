/**
 * Adam (Kingma & Ba 2015) with the update written out, so that its whole state (the step count
 * and both moment estimates) can be saved and restored exactly: a resumed run then takes the
 * same steps bit for bit. tf.train.adam keeps beta^t as float32 products that setWeights rebuilds
 * with pow(), which differs in the last bits.
 *
 * The update is PyTorch's: m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
 *   w -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps),
 * with the bias corrections computed in float64 on the host.
 *
 * On the wasm backend (with lib/backend/wasm's training kernels registered) each variable's update is one
 * fused kernel (lib/backend/wasm/adam.ts) instead of ~12 tf ops: the same float32 operations in the same
 * order, so the same bits. BVAE_WASM_ADAM=ops keeps the tf ops there; other backends always use them.
 */
import * as tf from "@tensorflow/tfjs";
import type { NamedVariable } from "../models/types";
import { adamUpdateWasm, fusedAdamInUse, type AdamStepScalars } from "../backend/wasm/adam";

export interface AdamConfig {
  /** Absent for Adam (so the configs and keys of runs made before Adagrad existed are unchanged). */
  readonly kind?: "adam";
  /** Step size; 5e-4 for dSprites, 1e-4 for CelebA and Chairs (the report's code). */
  readonly learningRate: number;
  /** 0.9 (the report, and every reference implementation). */
  readonly beta1: number;
  /** 0.999 */
  readonly beta2: number;
  /** 1e-8, PyTorch's default (tf.train.adam uses 1e-7). */
  readonly epsilon: number;
}

export const DEFAULT_ADAM: AdamConfig = { learningRate: 5e-4, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

export class Adam {
  /** Number of updates applied so far. */
  t = 0;
  readonly m: tf.Variable[];
  readonly v: tf.Variable[];

  constructor(readonly config: AdamConfig, readonly params: readonly NamedVariable[]) {
    this.m = params.map((p) => tf.variable(tf.zerosLike(p.variable), false));
    this.v = params.map((p) => tf.variable(tf.zerosLike(p.variable), false));
  }

  /** Applies one update; grads are in the order of `params`. Does not dispose grads. */
  apply(grads: readonly tf.Tensor[]): void {
    if (grads.length !== this.params.length) throw new Error(`Adam.apply: ${grads.length} gradients for ${this.params.length} parameters`);
    this.t += 1;
    const { learningRate, beta1, beta2, epsilon } = this.config;
    const stepSize = learningRate / (1 - Math.pow(beta1, this.t));
    const invSqrtBc2 = 1 / Math.sqrt(1 - Math.pow(beta2, this.t));
    if (fusedAdamInUse()) {
      // The scalars below are the ones the tf ops make into float32 scalar tensors.
      const s: AdamStepScalars = { beta1, oneMinusBeta1: 1 - beta1, beta2, oneMinusBeta2: 1 - beta2, invSqrtBc2, epsilon, stepSize };
      tf.tidy(() => {
        for (let i = 0; i < grads.length; i++) {
          const [w, m, v] = adamUpdateWasm(this.params[i].variable, this.m[i], this.v[i], grads[i], s);
          this.params[i].variable.assign(w);
          this.m[i].assign(m);
          this.v[i].assign(v);
        }
      });
      return;
    }
    tf.tidy(() => {
      for (let i = 0; i < grads.length; i++) {
        const g = grads[i];
        const m = tf.add(tf.mul(this.m[i], beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.v[i], beta2), tf.mul(tf.square(g), 1 - beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        const denom = tf.add(tf.mul(tf.sqrt(v), invSqrtBc2), epsilon);
        const w = this.params[i].variable;
        w.assign(tf.sub(w, tf.mul(tf.div(m, denom), stepSize)));
      }
    });
  }

  /** The moment estimates as named tensors (views of the variables; do not dispose). */
  stateTensors(): { name: string; tensor: tf.Tensor }[] {
    return this.params.flatMap((p, i) => [
      { name: `m/${p.name}`, tensor: this.m[i] as tf.Tensor },
      { name: `v/${p.name}`, tensor: this.v[i] as tf.Tensor },
    ]);
  }

  /** Restores the moments from named tensors (as saved by stateTensors) and the step count. */
  restore(t: number, tensors: Record<string, tf.Tensor>): void {
    this.params.forEach((p, i) => {
      for (const [kind, vars] of [["m", this.m], ["v", this.v]] as const) {
        const src = tensors[`${kind}/${p.name}`];
        if (!src) throw new Error(`optimizer state: missing "${kind}/${p.name}"`);
        if (src.shape.join("x") !== vars[i].shape.join("x")) {
          throw new Error(`optimizer state: "${kind}/${p.name}" has shape [${src.shape}], expected [${vars[i].shape}]`);
        }
        vars[i].assign(src);
      }
    });
    this.t = t;
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
