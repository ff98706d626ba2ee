/**
 * A short measurement of the training speed of one config on this machine, for a sweep whose
 * architecture has no earlier run to take the speed from (./speed.ts): a few untimed steps, then
 * timed steps of the real training step (lib/train/trainer.ts) on the real data, at least
 * `minSteps` and `minSeconds`. Nothing is written. Needs an initialised backend (initBackend).
 */
import * as tf from "@tensorflow/tfjs";
import { Trainer } from "../train/trainer";
import { openDataset } from "../train/datasets";
import type { TrainConfig } from "../train/config";
import type { Speed } from "./speed";

export interface MeasureOptions {
  /** Untimed steps first (kernel set-up, JIT). Default 2. */
  readonly warmupSteps?: number;
  /** Timed steps: at least this many... Default 5. */
  readonly minSteps?: number;
  /** ...and at least this long, seconds. Default 5. */
  readonly minSeconds?: number;
}

export function measureSpeed(config: TrainConfig, options: MeasureOptions = {}): Speed {
  const warmup = options.warmupSteps ?? 2;
  const minSteps = options.minSteps ?? 5;
  const minSeconds = options.minSeconds ?? 5;
  const trainer = new Trainer(config, openDataset(config.dataset));
  try {
    for (let i = 0; i < warmup; i++) trainer.trainStep();
    const t0 = process.hrtime.bigint();
    let steps = 0;
    let seconds = 0;
    while (steps < minSteps || seconds < minSeconds) {
      trainer.trainStep();
      steps++;
      seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    }
    const secondsPerImage = seconds / (steps * config.batchSize);
    return {
      dataset: config.dataset, architecture: config.architecture, secondsPerImage, range: [secondsPerImage, secondsPerImage], source: "measurement", samples: [],
      note: `measured now: ${steps} steps of ${config.batchSize} images after ${warmup} untimed, ${seconds.toFixed(1)} s, backend ${tf.getBackend()}`,
    };
  } finally {
    trainer.dispose();
  }
}
