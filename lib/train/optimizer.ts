/**
 * The optimisers a run can name: Adam (the default: every conv experiment of the report and its
 * sources) or Adagrad (Higgins et al.'s dSprites MLP). An Adam config carries no `kind` field, so
 * the configs -- and keys -- of every run made before Adagrad existed are unchanged.
 */
import type { NamedVariable } from "../models/types";
import * as tf from "@tensorflow/tfjs";
import { Adam, type AdamConfig } from "./adam";
import { Adagrad, type AdagradConfig } from "./adagrad";

export type OptimizerConfig = AdamConfig | AdagradConfig;

/** What the trainer and checkpoints need of an optimiser. */
export interface Optimizer {
  /** Number of updates applied so far (saved with each checkpoint). */
  readonly t: number;
  apply(grads: readonly tf.Tensor[]): void;
  /** The whole state but `t`, as named tensors (views; do not dispose). */
  stateTensors(): { name: string; tensor: tf.Tensor }[];
  restore(t: number, tensors: Record<string, tf.Tensor>): void;
  dispose(): void;
}

export function isAdagrad(c: OptimizerConfig): c is AdagradConfig {
  return (c as { kind?: string }).kind === "adagrad";
}

export function makeOptimizer(config: OptimizerConfig, params: readonly NamedVariable[]): Optimizer {
  return isAdagrad(config) ? new Adagrad(config, params) : new Adam(config, params);
}

/** What a listing adds to a run's model column: nothing for Adam (every run's default), else its name and rate. */
export function optimizerNote(c: OptimizerConfig | undefined): string {
  return c !== undefined && isAdagrad(c) ? ` adagrad lr=${c.learningRate}` : "";
}
