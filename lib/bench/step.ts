/**
 * One architecture's training step and forward pass, timed on the current backend.
 *
 * The step is the training engine's (lib/train/trainer.ts) without its data pipeline: encoder,
 * reparameterisation, decoder, Bernoulli reconstruction + beta-KL objective, gradients of all
 * variables, the engine's update with the architecture's optimiser in the presets (benchOptimizer:
 * Adam 5e-4; Higgins et al.'s MLP Adagrad 1e-2). The batch is fixed (binary pixels, ~10% on, like dSprites),
 * so the numbers measure compute only; data generation is benchmarked on its own.
 */
import * as tf from "@tensorflow/tfjs";
import { buildModel, type ArchitectureName, type VaeModel } from "../models";
import { objective, reparameterise } from "../models/objectives";
import { DEFAULT_ADAM } from "../train/adam";
import { DEFAULT_ADAGRAD } from "../train/adagrad";
import { makeOptimizer, type Optimizer, type OptimizerConfig } from "../train/optimizer";
import { relaxedSimdInUse } from "../backend/wasm/layout";
import { modelEncoder } from "../metrics/model-encoder";
import { CODE_CACHE_DEFAULTS } from "../metrics/code-cache";
import { openDsprites } from "../data/dsprites";
import { makeRng } from "../rng";

export interface StepBenchOptions {
  readonly architecture: ArchitectureName;
  /** Images per step. Default 64 (the report's batch size). */
  readonly batchSize: number;
  /** Untimed steps first (operator caches, JIT). Default 3. */
  readonly warmupSteps: number;
  /** Timed training steps: at least this many... Default 5. */
  readonly minSteps: number;
  /** ...and at least this long, seconds. Default 8. */
  readonly minSeconds: number;
  /** Latents. Default 10. */
  readonly numLatents: number;
}

export const DEFAULT_STEP_BENCH: StepBenchOptions = {
  architecture: "burgess",
  batchSize: 64,
  warmupSteps: 3,
  minSteps: 5,
  minSeconds: 8,
  numLatents: 10,
};

/** Time spent in one kernel (by name) during one profiled training step. */
export interface KernelShare {
  readonly kernel: string;
  readonly calls: number;
  readonly ms: number;
  /** ms / the sum over all kernels of the profiled step. */
  readonly share: number;
}

/** Time spent in one convolution kernel at one geometry (per layer) during one profiled step. */
export interface ConvCallShare {
  readonly kernel: string;
  /** Shapes of the kernel's inputs, e.g. [[64,32,32,32],[64,16,16,32]] for x and dy. */
  readonly inputShapes: readonly (readonly number[])[];
  readonly calls: number;
  readonly ms: number;
  /** ms / the sum over all kernels of the profiled step. */
  readonly share: number;
}

export interface StepBenchResult {
  readonly architecture: ArchitectureName;
  readonly numParameters: number;
  readonly batchSize: number;
  readonly trainSteps: number;
  /** Mean wall-clock ms per training step (batch). */
  readonly trainStepMs: number;
  readonly trainImagesPerSecond: number;
  /** Same from process CPU time (less sensitive to other processes on the machine). */
  readonly trainImagesPerCpuSecond: number;
  readonly forwardImagesPerSecond: number;
  /**
   * Encoding as the metrics do it: modelEncoder (posterior means, batches of ENCODE_BATCH) on
   * chunks of CODE_CACHE_DEFAULTS.chunk images, from Float32Array to codes read back.
   */
  readonly encodeImagesPerSecond: number;
  readonly encodeBatchSize: number;
  /** Kernels of one profiled step, most expensive first. */
  readonly kernels: readonly KernelShare[];
  /** The convolution kernels (Conv2D*) of that step by input shapes (i.e. per layer), most expensive first. */
  readonly convCalls: readonly ConvCallShare[];
  /** Sum of kernel times of the profiled step / its wall time (the rest is JS overhead). */
  readonly kernelFraction: number;
  /** Peak resident memory of the process so far, MB (from getrusage). */
  readonly peakRssMB: number;
  /** tf.memory().numTensors before and after the timed steps (must be equal). */
  readonly tensorsBefore: number;
  readonly tensorsAfter: number;
  /** On the wasm backend: whether lib/backend/wasm's kernels use fused multiply-adds (Relaxed SIMD). */
  readonly relaxedSimd: boolean;
}

/** The batch modelEncoder uses by default (the metrics' encoder). */
export const ENCODE_BATCH = 256;

/** Binary pixels [b * 64 * 64 * c], ~10% on (deterministic). */
function fixedPixels(batch: number, channels: number): Float32Array {
  const data = new Float32Array(batch * 64 * 64 * channels);
  let s = 12345;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s < 0.1 * 4294967296 ? 1 : 0;
  }
  return data;
}

/** A fixed batch [b, 64, 64, c] of those pixels. */
function fixedBatch(batch: number, channels: number): tf.Tensor4D {
  return tf.tensor4d(fixedPixels(batch, channels), [batch, 64, 64, channels]);
}

/**
 * The optimiser an architecture is trained with in the presets (lib/train/presets.ts), and so timed
 * with here and in bench/reference/torch_vae.py: Adagrad 1e-2 for Higgins et al.'s MLP, Adam 5e-4.
 */
export function benchOptimizer(architecture: ArchitectureName): OptimizerConfig {
  return architecture === "mlp" ? DEFAULT_ADAGRAD : DEFAULT_ADAM;
}

class StepRunner {
  readonly model: VaeModel;
  readonly optimizer: Optimizer;
  readonly x: tf.Tensor4D;
  private step = 0;

  constructor(readonly opts: StepBenchOptions) {
    this.model = buildModel({ architecture: opts.architecture, numLatents: opts.numLatents, channels: 1, initSeed: 0 });
    this.optimizer = makeOptimizer(benchOptimizer(opts.architecture), this.model.variables);
    this.x = fixedBatch(opts.batchSize, 1);
  }

  /** One training step; returns the loss (read back, as the engine does every step). */
  train(): number {
    const vars = this.model.variables.map((v) => v.variable);
    let loss = NaN;
    tf.tidy(() => {
      const eps = tf.randomNormal([this.opts.batchSize, this.opts.numLatents], 0, 1, "float32", this.step) as tf.Tensor2D;
      const { value, grads } = tf.variableGrads(() => {
        const { zMean, zLogVar } = this.model.encode(this.x);
        const logits = this.model.decode(reparameterise(zMean, zLogVar, eps));
        return objective(logits, this.x, zMean, zLogVar, "bernoulli", { kind: "beta", beta: 4 }, this.step).loss;
      }, vars);
      loss = value.dataSync()[0];
      this.optimizer.apply(this.model.variables.map((v) => grads[v.variable.name]));
    });
    this.step++;
    return loss;
  }

  /** Encoder + decoder on the batch (zMean as the code), output read back. */
  forward(): void {
    tf.tidy(() => {
      const { zMean } = this.model.encode(this.x);
      this.model.decode(zMean).dataSync();
    });
  }

  dispose(): void {
    this.optimizer.dispose();
    this.model.dispose();
    this.x.dispose();
  }
}

/** Repeats f until both minSteps and minSeconds are reached; returns [count, wall s, cpu s]. */
function timeLoop(f: () => void, minSteps: number, minSeconds: number): [number, number, number] {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let n = 0;
  let seconds = 0;
  while (n < minSteps || seconds < minSeconds) {
    f();
    n++;
    seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  }
  const cpu = process.cpuUsage(cpu0);
  return [n, seconds, (cpu.user + cpu.system) / 1e6];
}

async function profileStep(runner: StepRunner): Promise<{ kernels: KernelShare[]; convCalls: ConvCallShare[]; fraction: number }> {
  const t0 = process.hrtime.bigint();
  const info = await tf.profile(() => {
    runner.train();
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const byName = new Map<string, { calls: number; ms: number }>();
  const byConv = new Map<string, { kernel: string; inputShapes: number[][]; calls: number; ms: number }>();
  for (const k of info.kernels) {
    // "<op>__op" entries are op scopes (e.g. custom-gradient ops) around kernels listed themselves.
    if (k.name.endsWith("__op")) continue;
    const ms = typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
    const e = byName.get(k.name) ?? { calls: 0, ms: 0 };
    e.calls++;
    e.ms += ms;
    byName.set(k.name, e);
    if (k.name.startsWith("Conv2D")) {
      const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
      const c = byConv.get(key) ?? { kernel: k.name, inputShapes: k.inputShapes, calls: 0, ms: 0 };
      c.calls++;
      c.ms += ms;
      byConv.set(key, c);
    }
  }
  const total = [...byName.values()].reduce((s, e) => s + e.ms, 0);
  const share = (ms: number): number => (total > 0 ? ms / total : 0);
  const kernels = [...byName.entries()]
    .map(([kernel, e]) => ({ kernel, calls: e.calls, ms: e.ms, share: share(e.ms) }))
    .sort((a, b) => b.ms - a.ms);
  const convCalls = [...byConv.values()].map((c) => ({ ...c, share: share(c.ms) })).sort((a, b) => b.ms - a.ms);
  return { kernels, convCalls, fraction: wallMs > 0 ? total / wallMs : 0 };
}

/** The runner's warm-up steps, then its timed training steps (and the tensor count around them). */
function timeTraining(runner: StepRunner): { steps: number; seconds: number; cpuSeconds: number; tensorsBefore: number; tensorsAfter: number } {
  for (let i = 0; i < runner.opts.warmupSteps; i++) runner.train();
  const tensorsBefore = tf.memory().numTensors;
  const [steps, seconds, cpuSeconds] = timeLoop(() => runner.train(), runner.opts.minSteps, runner.opts.minSeconds);
  return { steps, seconds, cpuSeconds, tensorsBefore, tensorsAfter: tf.memory().numTensors };
}

/** Benchmarks one architecture in this process. */
export async function benchStep(options: Partial<StepBenchOptions> = {}): Promise<StepBenchResult> {
  const opts: StepBenchOptions = { ...DEFAULT_STEP_BENCH, ...options };
  const runner = new StepRunner(opts);
  try {
    const { steps, seconds, cpuSeconds, tensorsBefore, tensorsAfter } = timeTraining(runner);
    runner.forward();
    const [fSteps, fSeconds] = timeLoop(() => runner.forward(), opts.minSteps, opts.minSeconds / 4);
    const encodeImagesPerSecond = timeEncoding(runner.model, opts.minSeconds / 4);
    const { kernels, convCalls, fraction } = await profileStep(runner);
    return {
      architecture: opts.architecture,
      numParameters: runner.model.numParameters,
      batchSize: opts.batchSize,
      trainSteps: steps,
      trainStepMs: (1000 * seconds) / steps,
      trainImagesPerSecond: (steps * opts.batchSize) / seconds,
      trainImagesPerCpuSecond: (steps * opts.batchSize) / cpuSeconds,
      forwardImagesPerSecond: (fSteps * opts.batchSize) / fSeconds,
      encodeImagesPerSecond,
      encodeBatchSize: ENCODE_BATCH,
      kernels,
      convCalls,
      kernelFraction: fraction,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      tensorsBefore,
      tensorsAfter,
      relaxedSimd: tf.getBackend() === "wasm" && relaxedSimdInUse(),
    };
  } finally {
    runner.dispose();
  }
}

/**
 * Images/s of the metrics' encoding: modelEncoder (batches of ENCODE_BATCH) on chunks of
 * CODE_CACHE_DEFAULTS.chunk images (as the code cache asks), Float32Array in, codes read back.
 * The images are what the metrics encode: dSprites (a random sample, seeded), where the encoder
 * skips the blank background (lib/backend/wasm/blank-conv.ts); BVAE_ENCODE_BLANK=0 times the
 * plain path.
 */
export function timeEncoding(model: VaeModel, seconds: number): number {
  const chunk = CODE_CACHE_DEFAULTS.chunk;
  const ds = openDsprites();
  const images = ds.observe(ds.sampleFactors(chunk, makeRng(0)));
  const encode = modelEncoder(model, ENCODE_BATCH);
  encode(images);
  const [calls, wall] = timeLoop(() => encode(images), 2, seconds);
  return (calls * chunk) / wall;
}

/** The metrics' encoding of a fresh model of `architecture` (z = 10, one channel), timed alone. */
export function benchEncoding(architecture: ArchitectureName, seconds: number): { encodeImagesPerSecond: number } {
  const model = buildModel({ architecture, numLatents: 10, channels: 1, initSeed: 0 });
  try {
    return { encodeImagesPerSecond: timeEncoding(model, seconds) };
  } finally {
    model.dispose();
  }
}

/** Training images/s of a fresh model of `architecture` (the step above, nothing else timed). */
export function benchTraining(architecture: ArchitectureName, seconds: number): { trainImagesPerSecond: number } {
  const runner = new StepRunner({ ...DEFAULT_STEP_BENCH, architecture, minSeconds: seconds });
  try {
    const { steps, seconds: wall } = timeTraining(runner);
    return { trainImagesPerSecond: (steps * runner.opts.batchSize) / wall };
  } finally {
    runner.dispose();
  }
}
