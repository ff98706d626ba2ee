/**
 * The fused wasm Adam update (lib/backend/wasm/adam.ts) against Adam's tf-op path (BVAE_WASM_ADAM=ops) on
 * the wasm backend: identical float32 bits of w, m and v after several steps, for every variable
 * shape of the Burgess model plus sizes that are not multiples of 4, with the Relaxed SIMD module,
 * the plain module and the TypeScript fallback. Also: the fused kernel is what runs, the tensor
 * count stays flat, and the cpu backend keeps the tf ops.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend/init";
import { buildModel } from "../../../lib/models";
import { Adam, DEFAULT_ADAM, type AdamConfig } from "../../../lib/train/adam";
import { ADAM_UPDATE_KERNEL, fusedAdamInUse, wasmAdamMode } from "../../../lib/backend/wasm/adam";
import { relaxedSimdInUse, setLayoutImplementation } from "../../../lib/backend/wasm/layout";
import { lcgValues } from "../../lcg-values";

const STEPS = 5;

/** Deterministic values in [-0.5, 0.5) (no RNG state shared with other tests). */
const values = (n: number, seed: number): Float32Array => lcgValues(n, seed);

/** Gradients over many magnitudes (1e-9 .. 1e3 by variable and step), with exact zeros. */
function gradient(shape: number[], seed: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const g = values(n, seed);
  const scale = 10 ** ((seed % 13) - 9);
  for (let i = 0; i < n; i++) g[i] = i % 7 === 3 ? 0 : g[i] * scale;
  return tf.tensor(g, shape);
}

/** The Burgess model's variable shapes and odd ones (1, 3, 5x7, 13x3x3x2, 4k+1..3). */
function shapes(): number[][] {
  const model = buildModel({ architecture: "burgess" });
  const out = model.variables.map((v) => v.variable.shape.slice());
  model.dispose();
  return [...out, [1], [3], [5, 7], [13, 3, 3, 2], [9], [10], [4099]];
}

interface RunResult {
  /** Per variable: w, m, v as float32 bits. */
  readonly bits: Uint32Array[];
  /** Kernels of one more (profiled) step. */
  readonly kernels: readonly string[];
}

let runCount = 0;

/** STEPS Adam steps from the same start with BVAE_WASM_ADAM=mode (tensor count checked each step). */
async function run(mode: "fused" | "ops", config: AdamConfig, shapeList: number[][]): Promise<RunResult> {
  const saved = process.env.BVAE_WASM_ADAM;
  process.env.BVAE_WASM_ADAM = mode;
  runCount += 1;
  const params = shapeList.map((shape, i) => ({
    name: `p${i}`,
    variable: tf.variable(tf.tensor(values(sizeOf(shape), 100 + i), shape), true, `adam-fused-${runCount}-${i}`),
  }));
  const opt = new Adam(config, params);
  try {
    for (let t = 0; t < STEPS; t++) {
      const grads = shapeList.map((shape, i) => gradient(shape, 1000 * t + i));
      const before = tf.memory().numTensors;
      opt.apply(grads);
      assert.equal(tf.memory().numTensors, before, `tensor count after step ${t + 1} (${mode})`);
      tf.dispose(grads);
    }
    const bits = params.flatMap((p, i) => [p.variable, opt.m[i], opt.v[i]].map((x) => new Uint32Array(Float32Array.from(x.dataSync()).buffer)));
    const grads = shapeList.map((shape, i) => gradient(shape, 7 + i));
    const profile = await tf.profile(() => opt.apply(grads));
    tf.dispose(grads);
    return { bits, kernels: profile.kernels.map((k) => k.name) };
  } finally {
    opt.dispose();
    tf.dispose(params.map((p) => p.variable));
    if (saved === undefined) delete process.env.BVAE_WASM_ADAM;
    else process.env.BVAE_WASM_ADAM = saved;
  }
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Asserts identical bits; names the first differing element. */
function assertSameBits(got: RunResult, want: RunResult, shapeList: number[][], what: string): void {
  assert.equal(got.bits.length, want.bits.length);
  for (let k = 0; k < want.bits.length; k++) {
    const [a, b] = [got.bits[k], want.bits[k]];
    assert.equal(a.length, b.length);
    let first = -1;
    for (let i = 0; i < a.length && first < 0; i++) if (a[i] !== b[i]) first = i;
    if (first >= 0) {
      const f = (u: Uint32Array): number => new Float32Array(u.buffer)[first];
      assert.fail(`${what}: ${["w", "m", "v"][k % 3]} of variable ${Math.floor(k / 3)} [${shapeList[Math.floor(k / 3)]}] differs at ${first}: ${f(a)} vs ${f(b)}`);
    }
  }
}

let SHAPES: number[][] = [];

before(async () => {
  await initBackend({ quiet: true, env: { BVAE_BACKEND: "wasm" } });
  SHAPES = shapes();
});

test("BVAE_WASM_ADAM: fused by default, ops on request, a clear error otherwise", () => {
  assert.equal(wasmAdamMode({}), "fused");
  assert.equal(wasmAdamMode({ BVAE_WASM_ADAM: "ops" }), "ops");
  assert.throws(() => wasmAdamMode({ BVAE_WASM_ADAM: "op" }), /BVAE_WASM_ADAM: expected "fused" or "ops", got "op"/);
  assert.equal(fusedAdamInUse({}), true);
  assert.equal(fusedAdamInUse({ BVAE_WASM_ADAM: "ops" }), false);
});

const MODULES = [
  { what: "the Relaxed SIMD module (default)", relaxed: "1", impl: "simd" },
  { what: "the plain SIMD module", relaxed: "0", impl: "simd" },
  { what: "the TypeScript fallback", relaxed: "0", impl: "js" },
] as const;

for (const m of MODULES) {
  test(`fused Adam is bit-identical to the tf-op path: ${m.what}, Burgess shapes + odd sizes, ${STEPS} steps`, async (t) => {
    const saved = process.env.BVAE_WASM_RELAXED;
    process.env.BVAE_WASM_RELAXED = m.relaxed;
    setLayoutImplementation(m.impl);
    try {
      if (m.relaxed === "1" && !relaxedSimdInUse()) {
        t.skip("this engine accepts no Relaxed SIMD");
        return;
      }
      const want = await run("ops", DEFAULT_ADAM, SHAPES);
      const got = await run("fused", DEFAULT_ADAM, SHAPES);
      assert.ok(!want.kernels.includes(ADAM_UPDATE_KERNEL) && want.kernels.includes("Sqrt"), `ops path ran ${want.kernels}`);
      assert.deepEqual([...new Set(got.kernels)], [ADAM_UPDATE_KERNEL], "fused path runs only its kernel");
      assert.equal(got.kernels.length, SHAPES.length, "one kernel call per variable");
      assertSameBits(got, want, SHAPES, m.what);
      // Another configuration: large steps, other betas and epsilon (1 - beta rounds differently).
      const config: AdamConfig = { learningRate: 0.3, beta1: 0.7, beta2: 0.95, epsilon: 1e-3 };
      assertSameBits(await run("fused", config, SHAPES.slice(-7)), await run("ops", config, SHAPES.slice(-7)), SHAPES.slice(-7), `${m.what}, ${JSON.stringify(config)}`);
    } finally {
      setLayoutImplementation("simd");
      if (saved === undefined) delete process.env.BVAE_WASM_RELAXED;
      else process.env.BVAE_WASM_RELAXED = saved;
    }
  });
}

test("the fused path saves and restores the same optimizer state as the tf-op path", async () => {
  // State written by one path and restored into the other continues bit for bit.
  const shapeList = SHAPES.slice(-4);
  const make = (tag: string) => {
    const params = shapeList.map((shape, i) => ({ name: `p${i}`, variable: tf.variable(tf.tensor(values(sizeOf(shape), 300 + i), shape), true, `adam-restore-${tag}-${i}`) }));
    return { params, opt: new Adam(DEFAULT_ADAM, params) };
  };
  const a = make("a");
  process.env.BVAE_WASM_ADAM = "ops";
  try {
    for (let t = 0; t < 3; t++) {
      const grads = shapeList.map((shape, i) => gradient(shape, 50 * t + i));
      a.opt.apply(grads);
      tf.dispose(grads);
    }
  } finally {
    delete process.env.BVAE_WASM_ADAM;
  }
  const b = make("b");
  const saved = Object.fromEntries(a.opt.stateTensors().map(({ name, tensor }) => [name, tensor.clone()]));
  b.opt.restore(a.opt.t, saved);
  b.params.forEach((p, i) => p.variable.assign(a.params[i].variable));
  for (const { opt, mode } of [{ opt: a.opt, mode: "ops" }, { opt: b.opt, mode: "fused" }]) {
    process.env.BVAE_WASM_ADAM = mode;
    try {
      const grads = shapeList.map((shape, i) => gradient(shape, 999 + i));
      opt.apply(grads);
      tf.dispose(grads);
    } finally {
      delete process.env.BVAE_WASM_ADAM;
    }
  }
  // The restored tensors are untouched by b's fused steps (new buffers, not writes in place).
  const states = [a, b].map(({ params, opt }) => [...params.map((p) => p.variable), ...opt.m, ...opt.v].map((x) => Array.from(new Uint32Array(Float32Array.from(x.dataSync()).buffer))));
  assert.deepEqual(states[1], states[0]);
  for (const [name, tensor] of Object.entries(saved)) {
    const want = a.opt.stateTensors().find((s) => s.name === name);
    assert.ok(want);
    assert.notDeepEqual(Array.from(tensor.dataSync()), Array.from(want.tensor.dataSync()), `${name} kept its saved value`);
  }
  tf.dispose(Object.values(saved));
  for (const { params, opt } of [a, b]) {
    opt.dispose();
    tf.dispose(params.map((p) => p.variable));
  }
});

test("the cpu backend keeps the tf-op path", async () => {
  await tf.setBackend("cpu");
  try {
    assert.equal(fusedAdamInUse({}), false);
    const w = tf.variable(tf.tensor1d([1, -2, 3]), true, "adam-fused-cpu");
    const opt = new Adam(DEFAULT_ADAM, [{ name: "w", variable: w }]);
    const g = tf.tensor1d([0.5, 0, -1]);
    const profile = await tf.profile(() => opt.apply([g]));
    assert.ok(!profile.kernelNames.includes(ADAM_UPDATE_KERNEL));
    tf.dispose([g, w]);
    opt.dispose();
  } finally {
    await tf.setBackend("wasm");
  }
});
