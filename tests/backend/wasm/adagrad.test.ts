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
import { assertFusedMatchesOps, assertRestoreAcrossPaths, cpuStep, MODULES, ODD_SHAPES, runSteps, underModule, type RunResult } from "./fused-update-fixtures";

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

// The second configuration: a large step, a starting sum and an epsilon that matters.
const OTHER: AdagradConfig = { kind: "adagrad", learningRate: 0.7, epsilon: 1e-3, initialAccumulator: 0.1 };

for (const m of MODULES) {
  test(`fused Adagrad is bit-identical to the tf-op path: ${m.what}, MLP shapes + odd sizes, ${STEPS} steps`, async (t) => {
    if (!(await underModule(m, () => assertFusedMatchesOps(run, ADAGRAD_UPDATE_KERNEL, SLOTS, SHAPES, [DEFAULT_ADAGRAD, OTHER], m.what)))) t.skip("this engine accepts no Relaxed SIMD");
  });
}

test("Adagrad state saved by the tf-op path continues bit for bit in the fused path", () =>
  assertRestoreAcrossPaths("BVAE_WASM_ADAGRAD", (params) => new Adagrad(DEFAULT_ADAGRAD, params), ODD_SHAPES.slice(-4)));

test("the cpu backend keeps Adagrad's tf-op path", async () => {
  const w = await cpuStep(ADAGRAD_UPDATE_KERNEL, () => fusedAdagradInUse({}), (params) => new Adagrad(DEFAULT_ADAGRAD, params));
  const lr = Math.fround(0.01);
  assert.deepEqual(w, [Math.fround(1 - lr), -2, Math.fround(3 + lr)]);
});
