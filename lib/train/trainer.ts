/**
 * The training step and loop: the config's optimiser (Adam, or Adagrad) on recon + regulariser, a history row every `historyEvery`
 * steps, a check that the loss is finite before every update (so weights never become NaN).
 */
import * as tf from "@tensorflow/tfjs";
import type { GroundTruthDataset } from "../data/dataset";
import { buildModel } from "../models/vae";
import type { VaeModel } from "../models/types";
import { capacityAt, objective, reparameterise } from "../models/objectives";
import { makeOptimizer, type Optimizer } from "./optimizer";
import { BatchSchedule, streamSeed } from "./batches";
import type { TrainConfig } from "./config";
import { History } from "./history";

/** Thrown when the loss of a step is NaN or infinite; the weights are those before that step. */
export class NonFiniteLossError extends Error {
  constructor(readonly step: number, readonly terms: { recon: number; kl: number; loss: number }) {
    super(`training diverged at step ${step}: loss ${terms.loss} (recon ${terms.recon}, kl ${terms.kl}) is not finite; the weights are those before this step`);
    this.name = "NonFiniteLossError";
  }
}

export interface StepTerms {
  readonly recon: number;
  readonly kl: number;
  readonly loss: number;
}

export class Trainer {
  readonly model: VaeModel;
  readonly optimizer: Optimizer;
  history: History;
  /** Number of updates done so far (the index of the next update). */
  step = 0;
  /** Training seconds before this session (from a checkpoint). */
  secondsBefore = 0;
  private readonly sessionStart = Date.now();
  private readonly channels: number;
  readonly batches: BatchSchedule;

  constructor(readonly config: TrainConfig, readonly dataset: GroundTruthDataset) {
    const [h, w, c] = dataset.imageShape;
    if (h !== 64 || w !== 64) throw new Error(`dataset ${dataset.name}: images are ${h}x${w}, the models take 64x64`);
    if (c !== 1 && c !== 3) throw new Error(`dataset ${dataset.name}: ${c} channels, expected 1 or 3`);
    this.channels = c;
    this.model = buildModel({ architecture: config.architecture, numLatents: config.numLatents, channels: c, initSeed: config.seed });
    this.optimizer = makeOptimizer(config.optimizer, this.model.variables);
    this.history = new History(config.numLatents);
    this.batches = new BatchSchedule(dataset, config.seed, config.batchSize, config.heldOut);
  }

  /** Wall-clock training seconds, checkpointed sessions included. */
  seconds(): number {
    return this.secondsBefore + (Date.now() - this.sessionStart) / 1000;
  }

  private isRecordStep(step: number): boolean {
    return step % this.config.historyEvery === 0 || step === this.config.steps - 1;
  }

  /** One update (index this.step). Returns the batch's loss terms (before the update). */
  trainStep(): StepTerms {
    const cfg = this.config;
    const step = this.step;
    const record = this.isRecordStep(step);
    const batch = this.batches.batchAt(step);
    const z = cfg.numLatents;
    const vars = this.model.variables.map((v) => v.variable);
    let values!: Float32Array;
    tf.tidy(() => {
      const x = tf.tensor4d(batch.data, [batch.n, 64, 64, this.channels]);
      const eps = tf.randomNormal([batch.n, z], 0, 1, "float32", streamSeed(cfg.seed, step, "noise")) as tf.Tensor2D;
      let kept: tf.Tensor[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const { zMean, zLogVar } = this.model.encode(x);
        const logits = this.model.decode(reparameterise(zMean, zLogVar, eps));
        const t = objective(logits, x, zMean, zLogVar, cfg.decoder, cfg.regulariser, step);
        kept = [t.recon, t.kl, t.loss].map((s) => tf.keep(s));
        if (record) kept.push(tf.keep(t.klPerLatent), tf.keep(zMean), tf.keep(zLogVar));
        return t.loss;
      }, vars);
      const [recon, kl, loss] = kept;
      if (record) {
        const [klPer, zMean, zLogVar] = kept.slice(3);
        const { mean, variance } = tf.moments(zMean, 0);
        values = tf.concat([tf.stack([recon, kl, loss]), klPer, mean, tf.sqrt(variance), tf.mean(tf.exp(zLogVar), 0)]).dataSync() as Float32Array;
      } else values = tf.stack([recon, kl, loss]).dataSync() as Float32Array;
      tf.dispose(kept);
      if (!Number.isFinite(values[2])) {
        throw new NonFiniteLossError(step, { recon: values[0], kl: values[1], loss: values[2] });
      }
      this.optimizer.apply(this.model.variables.map((v) => grads[v.variable.name]));
      tf.dispose([value, ...Object.values(grads)]);
    });
    const terms: StepTerms = { recon: values[0], kl: values[1], loss: values[2] };
    if (record) {
      const part = (k: number): number[] => Array.from(values.subarray(3 + k * z, 3 + (k + 1) * z));
      const reg = cfg.regulariser;
      this.history.push({
        step,
        seconds: this.seconds(),
        ...terms,
        capacity: reg.kind === "capacity" ? capacityAt(step, reg.cMax, reg.cStopStep) : 0,
        klPerLatent: part(0),
        mu: part(1),
        muSd: part(2),
        var: part(3),
      });
    }
    this.step += 1;
    return terms;
  }

  dispose(): void {
    this.optimizer.dispose();
    this.model.dispose();
  }
}
