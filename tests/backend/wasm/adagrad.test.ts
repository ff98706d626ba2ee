/**
 * The fused wasm Adagrad update (lib/backend/wasm/adagrad.ts) against Adagrad's tf-op path
 * (BVAE_WASM_ADAGRAD=ops) on the wasm backend: identical float32 bits of w and s after several
 * steps, for every variable shape of Higgins et al.'s MLP (the network Adagrad trains) plus sizes
 * that are not multiples of 4, with the Relaxed SIMD module, the plain module and the TypeScript
 * fallback. Also: the fused kernel is what runs, state saved by one path continues bit for bit in
 * the other, and the cpu backend keeps the tf ops.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend/init";
import { buildModel } from "../../../lib/models";
import type { NamedVariable } from "../../../lib/models/types";
import { Adagrad, DEFAULT_ADAGRAD, type AdagradConfig } from "../../../lib/train/adagrad";
import { ADAGRAD_UPDATE_KERNEL, fusedAdagradInUse } from "../../../lib/backend/wasm/adagrad";
import { assertSameBits, gradient, MODULES, ODD_SHAPES, runSteps, underModule, values, sizeOf, withEnv, type RunResult } from "./fused-update-fixtures";

const STEPS = 4;
const SLOTS = ["w", "s"];

function run(mode: "fused" | "ops", config: AdagradConfig, shapeList: number[][]): Promise<RunResult> {
  const make = (params: NamedVariable[]) => {
    const opt = new Adagrad(config, params);
    return { apply: (g: readonly tf.Tensor[]) => opt.apply(g), state: (i: number) => [opt.s[i]], dispose: () => opt.dispose() };
  };
  return runSteps("BVAE_WASM_ADAGRAD", mode, make, shapeList, STEPS);
}

let SHAPES: number[][] = [];

before(async () => {
  await initBackend({ quiet: true, env: { BVAE_BACKEND: "wasm" } });
  const model = buildModel({ architecture: "mlp" });
  SHAPES = [...model.variables.map((v) => v.variable.shape.slice()), ...ODD_SHAPES];
  model.dispose();
});

test("BVAE_WASM_ADAGRAD: fused by default, ops on request, a clear error otherwise", () => {
  assert.equal(fusedAdagradInUse({}), true);
  assert.equal(fusedAdagradInUse({ BVAE_WASM_ADAGRAD: "ops" }), false);
  assert.throws(() => fusedAdagradInUse({ BVAE_WASM_ADAGRAD: "fast" }), /BVAE_WASM_ADAGRAD: expected "fused" or "ops", got "fast"/);
});

for (const m of MODULES) {
  test(`fused Adagrad is bit-identical to the tf-op path: ${m.what}, MLP shapes + odd sizes, ${STEPS} steps`, async (t) => {
    const ran = await underModule(m, async () => {
      const want = await run("ops", DEFAULT_ADAGRAD, SHAPES);
      const got = await run("fused", DEFAULT_ADAGRAD, SHAPES);
      assert.ok(!want.kernels.includes(ADAGRAD_UPDATE_KERNEL) && want.kernels.includes("Sqrt"), `ops path ran ${want.kernels}`);
      assert.deepEqual([...new Set(got.kernels)], [ADAGRAD_UPDATE_KERNEL], "fused path runs only its kernel");
      assert.equal(got.kernels.length, SHAPES.length, "one kernel call per variable");
      assertSameBits(got, want, SHAPES, SLOTS, m.what);
      // Another configuration: a large step, a starting sum and an epsilon that matters.
      const config: AdagradConfig = { kind: "adagrad", learningRate: 0.7, epsilon: 1e-3, initialAccumulator: 0.1 };
      const odd = SHAPES.slice(-ODD_SHAPES.length);
      assertSameBits(await run("fused", config, odd), await run("ops", config, odd), odd, SLOTS, `${m.what}, ${JSON.stringify(config)}`);
    });
    if (!ran) t.skip("this engine accepts no Relaxed SIMD");
  });
}

test("Adagrad state saved by the tf-op path continues bit for bit in the fused path", async () => {
  const shapeList = ODD_SHAPES.slice(-4);
  const make = (tag: string) => {
    const params = shapeList.map((shape, i) => ({ name: `p${i}`, variable: tf.variable(tf.tensor(values(sizeOf(shape), 300 + i), shape), true, `adagrad-restore-${tag}-${i}`) }));
    return { params, opt: new Adagrad(DEFAULT_ADAGRAD, params) };
  };
  const step = (opt: Adagrad, seed: number) => {
    const grads = shapeList.map((shape, i) => gradient(shape, seed + i));
    opt.apply(grads);
    tf.dispose(grads);
  };
  const a = make("a");
  await withEnv("BVAE_WASM_ADAGRAD", "ops", () => [0, 50, 100].forEach((seed) => step(a.opt, seed)));
  const b = make("b");
  const saved = Object.fromEntries(a.opt.stateTensors().map(({ name, tensor }) => [name, tensor.clone()]));
  const savedValues = Object.fromEntries(Object.entries(saved).map(([name, tensor]) => [name, Array.from(tensor.dataSync())]));
  b.opt.restore(a.opt.t, saved);
  b.params.forEach((p, i) => p.variable.assign(a.params[i].variable));
  await withEnv("BVAE_WASM_ADAGRAD", "ops", () => step(a.opt, 999));
  await withEnv("BVAE_WASM_ADAGRAD", "fused", () => step(b.opt, 999));
  const bits = ({ params, opt }: typeof a) => [...params.map((p) => p.variable), ...opt.s].map((x) => Array.from(new Uint32Array(Float32Array.from(x.dataSync()).buffer)));
  assert.deepEqual(bits(b), bits(a));
  // The restored tensors are untouched by b's fused step (new buffers, not writes in place).
  for (const [name, tensor] of Object.entries(saved)) assert.deepEqual(Array.from(tensor.dataSync()), savedValues[name], `${name} kept its saved value`);
  tf.dispose(Object.values(saved));
  for (const { params, opt } of [a, b]) {
    opt.dispose();
    tf.dispose(params.map((p) => p.variable));
  }
});

test("the cpu backend keeps Adagrad's tf-op path", async () => {
  await tf.setBackend("cpu");
  try {
    assert.equal(fusedAdagradInUse({}), false);
    const w = tf.variable(tf.tensor1d([1, -2, 3]), true, "adagrad-fused-cpu");
    const opt = new Adagrad(DEFAULT_ADAGRAD, [{ name: "w", variable: w }]);
    const g = tf.tensor1d([0.5, 0, -1]);
    const profile = await tf.profile(() => opt.apply([g]));
    assert.ok(!profile.kernelNames.includes(ADAGRAD_UPDATE_KERNEL));
    const lr = Math.fround(0.01);
    assert.deepEqual(Array.from(w.dataSync()), [Math.fround(1 - lr), -2, Math.fround(3 + lr)]);
    tf.dispose([g, w]);
    opt.dispose();
  } finally {
    await tf.setBackend("wasm");
  }
});
