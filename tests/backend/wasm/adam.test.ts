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
import type { NamedVariable } from "../../../lib/models/types";
import { assertSameBits, gradient, MODULES, ODD_SHAPES, runSteps, sizeOf, underModule, values, withEnv, type RunResult } from "./fused-update-fixtures";

const STEPS = 5;

/** The Burgess model's variable shapes and odd ones (1, 3, 5x7, 13x3x3x2, 4k+1..3). */
function shapes(): number[][] {
  const model = buildModel({ architecture: "burgess" });
  const out = model.variables.map((v) => v.variable.shape.slice());
  model.dispose();
  return [...out, ...ODD_SHAPES];
}

/** STEPS Adam steps from the same start with BVAE_WASM_ADAM=mode. */
function run(mode: "fused" | "ops", config: AdamConfig, shapeList: number[][]): Promise<RunResult> {
  const make = (params: NamedVariable[]) => {
    const opt = new Adam(config, params);
    return { apply: (g: readonly tf.Tensor[]) => opt.apply(g), state: (i: number) => [opt.m[i], opt.v[i]], dispose: () => opt.dispose() };
  };
  return runSteps("BVAE_WASM_ADAM", mode, make, shapeList, STEPS);
}

const SLOTS = ["w", "m", "v"];

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

for (const m of MODULES) {
  test(`fused Adam is bit-identical to the tf-op path: ${m.what}, Burgess shapes + odd sizes, ${STEPS} steps`, async (t) => {
    const ran = await underModule(m, async () => {
      const want = await run("ops", DEFAULT_ADAM, SHAPES);
      const got = await run("fused", DEFAULT_ADAM, SHAPES);
      assert.ok(!want.kernels.includes(ADAM_UPDATE_KERNEL) && want.kernels.includes("Sqrt"), `ops path ran ${want.kernels}`);
      assert.deepEqual([...new Set(got.kernels)], [ADAM_UPDATE_KERNEL], "fused path runs only its kernel");
      assert.equal(got.kernels.length, SHAPES.length, "one kernel call per variable");
      assertSameBits(got, want, SHAPES, SLOTS, m.what);
      // Another configuration: large steps, other betas and epsilon (1 - beta rounds differently).
      const config: AdamConfig = { learningRate: 0.3, beta1: 0.7, beta2: 0.95, epsilon: 1e-3 };
      assertSameBits(await run("fused", config, SHAPES.slice(-7)), await run("ops", config, SHAPES.slice(-7)), SHAPES.slice(-7), SLOTS, `${m.what}, ${JSON.stringify(config)}`);
    });
    if (!ran) t.skip("this engine accepts no Relaxed SIMD");
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
  await withEnv("BVAE_WASM_ADAM", "ops", () => {
    for (let t = 0; t < 3; t++) {
      const grads = shapeList.map((shape, i) => gradient(shape, 50 * t + i));
      a.opt.apply(grads);
      tf.dispose(grads);
    }
  });
  const b = make("b");
  const saved = Object.fromEntries(a.opt.stateTensors().map(({ name, tensor }) => [name, tensor.clone()]));
  b.opt.restore(a.opt.t, saved);
  b.params.forEach((p, i) => p.variable.assign(a.params[i].variable));
  for (const { opt, mode } of [{ opt: a.opt, mode: "ops" }, { opt: b.opt, mode: "fused" }]) {
    await withEnv("BVAE_WASM_ADAM", mode, () => {
      const grads = shapeList.map((shape, i) => gradient(shape, 999 + i));
      opt.apply(grads);
      tf.dispose(grads);
    });
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
