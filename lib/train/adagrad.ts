/**
 * Adagrad (Duchi et al. 2011), the optimiser Higgins et al. (2017) trained their dSprites MLP with
 * (learning rate 1e-2). Written out, like ./adam, so that its whole state (the step count and the
 * sum of squared gradients) is saved and restored exactly: a resumed run takes the same steps.
 *
 * The update is PyTorch's (torch.optim.Adagrad with lr_decay 0, weight_decay 0):
 *   s = s + g^2;   w -= lr * g / (sqrt(s) + eps),   s starting at `initialAccumulator`.
 * TensorFlow's tf.train.AdagradOptimizer starts s at 0.1 and adds no eps; either is "Adagrad at
 * 1e-2". We take PyTorch's defaults (s0 = 0, eps = 1e-10), as the report's code was PyTorch.
 *
 * On the wasm backend (with lib/backend/wasm's training kernels registered) each variable's update is one
 * fused kernel (lib/backend/wasm/adagrad.ts) instead of seven tf ops: the same float32 operations in
 * the same order, so the same bits. BVAE_WASM_ADAGRAD=ops keeps the tf ops there; other backends
 * always use them.
 */
import * as tf from "@tensorflow/tfjs";
import type { NamedVariable } from "../models/types";
import { adagradUpdateWasm, fusedAdagradInUse } from "../backend/wasm/adagrad";

export interface AdagradConfig {
  readonly kind: "adagrad";
  /** Step size; 1e-2 in Higgins et al. (2017) for dSprites. */
  readonly learningRate: number;
  /** Added to sqrt(s) in the denominator; PyTorch's default 1e-10. */
  readonly epsilon: number;
  /** Starting value of every squared-gradient sum; PyTorch's default 0 (TensorFlow's 0.1). */
  readonly initialAccumulator: number;
}

export const DEFAULT_ADAGRAD: AdagradConfig = { kind: "adagrad", learningRate: 1e-2, epsilon: 1e-10, initialAccumulator: 0 };

export class Adagrad {
  /** Number of updates applied so far. */
  t = 0;
  /** Per-variable running sums of squared gradients. */
  readonly s: tf.Variable[];

  constructor(readonly config: AdagradConfig, readonly params: readonly NamedVariable[]) {
    this.s = params.map((p) => tf.variable(tf.fill(p.variable.shape, config.initialAccumulator), false));
  }

  /** Applies one update; grads are in the order of `params`. Does not dispose grads. */
  apply(grads: readonly tf.Tensor[]): void {
    if (grads.length !== this.params.length) throw new Error(`Adagrad.apply: ${grads.length} gradients for ${this.params.length} parameters`);
    this.t += 1;
    const { learningRate, epsilon } = this.config;
    if (fusedAdagradInUse()) {
      tf.tidy(() => {
        for (let i = 0; i < grads.length; i++) {
          const [w, s] = adagradUpdateWasm(this.params[i].variable, this.s[i], grads[i], epsilon, learningRate);
          this.params[i].variable.assign(w);
          this.s[i].assign(s);
        }
      });
      return;
    }
    tf.tidy(() => {
      for (let i = 0; i < grads.length; i++) {
        const g = grads[i];
        const s = tf.add(this.s[i], tf.square(g));
        this.s[i].assign(s);
        const w = this.params[i].variable;
        w.assign(tf.sub(w, tf.mul(tf.div(g, tf.add(tf.sqrt(s), epsilon)), learningRate)));
      }
    });
  }

  /** The squared-gradient sums as named tensors (views of the variables; do not dispose). */
  stateTensors(): { name: string; tensor: tf.Tensor }[] {
    return this.params.map((p, i) => ({ name: `s/${p.name}`, tensor: this.s[i] as tf.Tensor }));
  }

  /** Restores the sums from named tensors (as saved by stateTensors) and the step count. */
  restore(t: number, tensors: Record<string, tf.Tensor>): void {
    this.params.forEach((p, i) => {
      const src = tensors[`s/${p.name}`];
      if (!src) throw new Error(`optimizer state: missing "s/${p.name}" (an Adagrad checkpoint holds one sum per weight)`);
      if (src.shape.join("x") !== this.s[i].shape.join("x")) {
        throw new Error(`optimizer state: "s/${p.name}" has shape [${src.shape}], expected [${this.s[i].shape}]`);
      }
      this.s[i].assign(src);
    });
    this.t = t;
  }

  dispose(): void {
    tf.dispose(this.s);
  }
}
