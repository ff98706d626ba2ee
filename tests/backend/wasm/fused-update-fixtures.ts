/**
 * Shared by the fused optimiser tests (adam.test.ts, adagrad.test.ts); not a test file itself: a
 * fused run and a tf-op run of the same optimiser from the same start, compared bit for bit.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { NamedVariable } from "../../../lib/models/types";
import type { Optimizer } from "../../../lib/train/optimizer";
import { relaxedSimdInUse, setLayoutImplementation } from "../../../lib/backend/wasm/layout";
import { lcgValues } from "../../lcg-values";

/** Deterministic values in [-0.5, 0.5) (no RNG state shared with other tests). */
export const values = (n: number, seed: number): Float32Array => lcgValues(n, seed);

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Gradients over many magnitudes (1e-9 .. 1e3 by variable and step), with exact zeros. */
export function gradient(shape: number[], seed: number): tf.Tensor {
  const n = sizeOf(shape);
  const g = values(n, seed);
  const scale = 10 ** ((seed % 13) - 9);
  for (let i = 0; i < n; i++) g[i] = i % 7 === 3 ? 0 : g[i] * scale;
  return tf.tensor(g, shape);
}

/** Sizes that are not multiples of 4 and odd shapes, added to a model's variable shapes. */
export const ODD_SHAPES: number[][] = [[1], [3], [5, 7], [13, 3, 3, 2], [9], [10], [4099]];

/** What the comparison needs of an optimiser: its update and its state, one tensor per weight and slot. */
export interface OptimizerUnderTest {
  apply(grads: readonly tf.Tensor[]): void;
  /** Per weight, its state tensors (Adam: m, v; Adagrad: s). */
  state(i: number): tf.Tensor[];
  dispose(): void;
}

export interface RunResult {
  /** Per weight: w then its state, as float32 bits. */
  readonly bits: Uint32Array[];
  /** Kernels of one more (profiled) step. */
  readonly kernels: readonly string[];
}

let runCount = 0;

/** Runs `fn` with the environment variable set to value (restored afterwards). */
export async function withEnv<T>(name: string, value: string, fn: () => T | Promise<T>): Promise<T> {
  const saved = process.env[name];
  process.env[name] = value;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}

/** `steps` updates from the same start with envVar=mode (the tensor count checked at each step). */
export async function runSteps(envVar: string, mode: "fused" | "ops", make: (params: NamedVariable[]) => OptimizerUnderTest,
  shapeList: number[][], steps: number): Promise<RunResult> {
  runCount += 1;
  const params = shapeList.map((shape, i) => ({
    name: `p${i}`,
    variable: tf.variable(tf.tensor(values(sizeOf(shape), 100 + i), shape), true, `fused-update-${runCount}-${i}`),
  }));
  const opt = make(params);
  try {
    return await withEnv(envVar, mode, async () => {
      for (let t = 0; t < steps; t++) {
        const grads = shapeList.map((shape, i) => gradient(shape, 1000 * t + i));
        const before = tf.memory().numTensors;
        opt.apply(grads);
        assert.equal(tf.memory().numTensors, before, `tensor count after step ${t + 1} (${mode})`);
        tf.dispose(grads);
      }
      const bits = params.flatMap((p, i) => [p.variable, ...opt.state(i)].map((x) => new Uint32Array(Float32Array.from(x.dataSync()).buffer)));
      const grads = shapeList.map((shape, i) => gradient(shape, 7 + i));
      const profile = await tf.profile(() => opt.apply(grads));
      tf.dispose(grads);
      return { bits, kernels: profile.kernels.map((k) => k.name) };
    });
  } finally {
    opt.dispose();
    tf.dispose(params.map((p) => p.variable));
  }
}

/** Asserts identical bits; names the first differing element (slots: e.g. ["w", "m", "v"]). */
export function assertSameBits(got: RunResult, want: RunResult, shapeList: number[][], slots: readonly string[], what: string): void {
  assert.equal(got.bits.length, want.bits.length);
  for (let k = 0; k < want.bits.length; k++) {
    const [a, b] = [got.bits[k], want.bits[k]];
    assert.equal(a.length, b.length);
    let first = -1;
    for (let i = 0; i < a.length && first < 0; i++) if (a[i] !== b[i]) first = i;
    if (first >= 0) {
      const f = (u: Uint32Array): number => new Float32Array(u.buffer)[first];
      const v = Math.floor(k / slots.length);
      assert.fail(`${what}: ${slots[k % slots.length]} of variable ${v} [${shapeList[v]}] differs at ${first}: ${f(a)} vs ${f(b)}`);
    }
  }
}

/** The three ways the layout kernels run; each fused test runs under all of them. */
export const MODULES = [
  { what: "the Relaxed SIMD module (default)", relaxed: "1", impl: "simd" },
  { what: "the plain SIMD module", relaxed: "0", impl: "simd" },
  { what: "the TypeScript fallback", relaxed: "0", impl: "js" },
] as const;

/** Runs `fn` under module m; false (and nothing run) if m needs Relaxed SIMD and the engine has none. */
export async function underModule(m: (typeof MODULES)[number], fn: () => Promise<void>): Promise<boolean> {
  return withEnv("BVAE_WASM_RELAXED", m.relaxed, async () => {
    setLayoutImplementation(m.impl);
    try {
      if (m.relaxed === "1" && !relaxedSimdInUse()) return false;
      await fn();
      return true;
    } finally {
      setLayoutImplementation("simd");
    }
  });
}

/**
 * State written by the tf-op path (3 steps), restored into a second optimiser, continues bit for bit
 * in the fused path (one more step of each); the restored tensors keep their values (the fused
 * kernel writes new buffers, never the state it was given).
 */
export async function assertRestoreAcrossPaths(envVar: string, make: (params: NamedVariable[]) => Optimizer, shapeList: number[][]): Promise<void> {
  const build = (tag: string) => {
    const params = shapeList.map((shape, i) => ({ name: `p${i}`, variable: tf.variable(tf.tensor(values(sizeOf(shape), 300 + i), shape), true, `restore-${envVar}-${tag}-${i}`) }));
    return { params, opt: make(params) };
  };
  const step = (opt: Optimizer, seed: number) => {
    const grads = shapeList.map((shape, i) => gradient(shape, seed + i));
    opt.apply(grads);
    tf.dispose(grads);
  };
  const a = build("a");
  await withEnv(envVar, "ops", () => [0, 50, 100].forEach((seed) => step(a.opt, seed)));
  const b = build("b");
  const saved = Object.fromEntries(a.opt.stateTensors().map(({ name, tensor }) => [name, tensor.clone()]));
  const savedValues = Object.fromEntries(Object.entries(saved).map(([name, tensor]) => [name, Array.from(tensor.dataSync())]));
  b.opt.restore(a.opt.t, saved);
  b.params.forEach((p, i) => p.variable.assign(a.params[i].variable));
  await withEnv(envVar, "ops", () => step(a.opt, 999));
  await withEnv(envVar, "fused", () => step(b.opt, 999));
  const bits = ({ params, opt }: typeof a) => [...params.map((p) => p.variable), ...opt.stateTensors().map((s) => s.tensor)]
    .map((x) => Array.from(new Uint32Array(Float32Array.from(x.dataSync()).buffer)));
  assert.deepEqual(bits(b), bits(a));
  for (const [name, tensor] of Object.entries(saved)) assert.deepEqual(Array.from(tensor.dataSync()), savedValues[name], `${name} kept its saved value`);
  tf.dispose(Object.values(saved));
  for (const { params, opt } of [a, b]) {
    opt.dispose();
    tf.dispose(params.map((p) => p.variable));
  }
}

/**
 * On the cpu backend the fused kernel is not used (inUse() is false, the profile has no `kernel`);
 * one step on w = [1, -2, 3] with g = [0.5, 0, -1]; returns w afterwards.
 */
export async function cpuStep(kernel: string, inUse: () => boolean, make: (params: NamedVariable[]) => Optimizer): Promise<number[]> {
  await tf.setBackend("cpu");
  try {
    assert.equal(inUse(), false);
    const w = tf.variable(tf.tensor1d([1, -2, 3]), true, `cpu-step-${kernel}`);
    const opt = make([{ name: "w", variable: w }]);
    const g = tf.tensor1d([0.5, 0, -1]);
    const profile = await tf.profile(() => opt.apply([g]));
    assert.ok(!profile.kernelNames.includes(kernel), `${kernel} ran on the cpu backend`);
    const after = Array.from(w.dataSync());
    tf.dispose([g, w]);
    opt.dispose();
    return after;
  } finally {
    await tf.setBackend("wasm");
  }
}

/** The tf-op run used tf ops (Sqrt among them), the fused run only `kernel`, once per weight. */
export function assertKernelsRan(got: RunResult, want: RunResult, kernel: string, weights: number): void {
  assert.ok(!want.kernels.includes(kernel) && want.kernels.includes("Sqrt"), `ops path ran ${want.kernels}`);
  assert.deepEqual([...new Set(got.kernels)], [kernel], "fused path runs only its kernel");
  assert.equal(got.kernels.length, weights, "one kernel call per variable");
}

/**
 * The fused path against the tf-op path: the first configuration on every shape (the kernels that ran
 * checked too), the second on the odd shapes (ODD_SHAPES, the last of `shapes`); bits must be equal.
 */
export async function assertFusedMatchesOps<C>(run: (mode: "fused" | "ops", config: C, shapes: number[][]) => Promise<RunResult>,
  kernel: string, slots: readonly string[], shapes: number[][], [config, other]: readonly [C, C], what: string): Promise<void> {
  const want = await run("ops", config, shapes);
  const got = await run("fused", config, shapes);
  assertKernelsRan(got, want, kernel, shapes.length);
  assertSameBits(got, want, shapes, slots, what);
  const odd = shapes.slice(-ODD_SHAPES.length);
  assertSameBits(await run("fused", other, odd), await run("ops", other, odd), odd, slots, `${what}, ${JSON.stringify(other)}`);
}
