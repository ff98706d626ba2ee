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
import { assertFusedMatchesOps, assertRestoreAcrossPaths, cpuStep, MODULES, ODD_SHAPES, runSteps, underModule, type RunResult } from "./fused-update-fixtures";

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

// The second configuration: large steps, other betas and epsilon (1 - beta rounds differently).
const OTHER: AdamConfig = { learningRate: 0.3, beta1: 0.7, beta2: 0.95, epsilon: 1e-3 };

for (const m of MODULES) {
  test(`fused Adam is bit-identical to the tf-op path: ${m.what}, Burgess shapes + odd sizes, ${STEPS} steps`, async (t) => {
    if (!(await underModule(m, () => assertFusedMatchesOps(run, ADAM_UPDATE_KERNEL, SLOTS, SHAPES, [DEFAULT_ADAM, OTHER], m.what)))) t.skip("this engine accepts no Relaxed SIMD");
  });
}

test("Adam state saved by the tf-op path continues bit for bit in the fused path", () =>
  assertRestoreAcrossPaths("BVAE_WASM_ADAM", (params) => new Adam(DEFAULT_ADAM, params), SHAPES.slice(-4)));

test("the cpu backend keeps the tf-op path", async () => {
  const w = await cpuStep(ADAM_UPDATE_KERNEL, () => fusedAdamInUse({}), (params) => new Adam(DEFAULT_ADAM, params));
  // Adam's first step moves each weight with a nonzero gradient by the learning rate, against its sign.
  assert.deepEqual(w.map((x) => Math.round(x * 1e6) / 1e6), [1 - 5e-4, -2, 3 + 5e-4]);
});
