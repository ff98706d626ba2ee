/**
 * The wasm training kernels (lib/backend/wasm) against the pure-JS cpu backend: values and gradients of
 * every convolution the models use, conv2d and conv2dTranspose, at batch 1, 7 and 64.
 *
 * Error measure: max |wasm - cpu| / max |cpu| over the whole tensor (elementwise relative error
 * is meaningless where a value crosses zero). Must stay below 1e-4.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend/init";
import { layoutImplementation, relaxedSimdInUse, setLayoutImplementation } from "../../../lib/backend/wasm/layout";
import { asWasm } from "../../../lib/backend/wasm/heap";
import { backpropInputPlan } from "../../../lib/backend/wasm/conv2d-backprop-input";
import { backpropFilterPlan } from "../../../lib/backend/wasm/conv2d-backprop-filter";
import { conv2dPlan } from "../../../lib/backend/wasm/conv2d";
import { convGeometry } from "../../../lib/backend/wasm/conv-geometry";
import { wasmTrainingKernelsRegistered } from "../../../lib/backend/wasm/register";
import { lcgValues } from "../../lcg-values";
import { relError } from "../../rel-error";

const TOLERANCE = 1e-4;

type Pad = "same" | "valid" | number;
interface ConvCase {
  readonly x: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly strides: number;
  readonly pad: Pad;
  readonly what: string;
}

/** Deterministic values in [-0.5, 0.5) (no RNG state shared with other tests). */
const values = (n: number, seed: number): Float32Array => lcgValues(n, seed);

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Forward and backward of conv2d and conv2dTranspose for one geometry, on the current backend. */
function convResults(c: ConvCase): Record<string, Float32Array> {
  return tf.tidy(() => {
    const x = tf.tensor4d(values(size(c.x), 1), c.x);
    const w = tf.tensor4d(values(size(c.filter), 2), c.filter);
    const y = tf.conv2d(x, w, c.strides, c.pad);
    const r = tf.tensor(values(y.size, 3), y.shape);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), r)))([x, w]);
    // The transposed conv maps y-shaped inputs back to x's shape (decoders; conv input gradients).
    const u = tf.tensor4d(values(y.size, 4), y.shape as [number, number, number, number]);
    const yt = tf.conv2dTranspose(u, w, c.x, c.strides, c.pad);
    const rt = tf.tensor(values(yt.size, 5), yt.shape);
    const [du, dwt] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, c.x, c.strides, c.pad), rt)),
    )([u, w]);
    return {
      "conv2d": y.dataSync() as Float32Array,
      "conv2d dx": dx.dataSync() as Float32Array,
      "conv2d dfilter": dw.dataSync() as Float32Array,
      "conv2dTranspose": yt.dataSync() as Float32Array,
      "conv2dTranspose dinput": du.dataSync() as Float32Array,
      "conv2dTranspose dfilter": dwt.dataSync() as Float32Array,
    };
  });
}

async function onBackend<T>(name: "cpu" | "wasm", f: () => T): Promise<T> {
  await tf.setBackend(name);
  return f();
}

function assertClose(got: Record<string, Float32Array>, want: Record<string, Float32Array>, what: string): void {
  for (const key of Object.keys(want)) {
    const err = relError(got[key], want[key]);
    assert.ok(err < TOLERANCE, `${what}: ${key} relative error ${err.toExponential(2)} >= ${TOLERANCE}`);
  }
}

async function compare(c: ConvCase): Promise<void> {
  const want = await onBackend("cpu", () => convResults(c));
  const got = await onBackend("wasm", () => convResults(c));
  assertClose(got, want, c.what);
}

/** As compare, for denseResults(m, k, n). */
async function compareDense(m: number, k: number, n: number, what: string): Promise<void> {
  const want = await onBackend("cpu", () => denseResults(m, k, n));
  assertClose(await onBackend("wasm", () => denseResults(m, k, n)), want, `dense ${m}x${k}x${n}, ${what}`);
}

/** The case's convolution geometry (lib/backend/wasm/conv-geometry.ts). */
function geometryOf(c: ConvCase): ReturnType<typeof convGeometry> {
  return convGeometry(c.x, c.filter, { strides: c.strides, pad: c.pad }, "test");
}

const MODEL_CASES: readonly ConvCase[] = [
  // The real shapes of the models (Burgess and the report's conv net), at batch 1 (the cpu
  // backend's conv gradients are slow).
  { what: "64x64x1 -> 32 (4x4 s2 p1), batch 1", x: [1, 64, 64, 1], filter: [4, 4, 1, 32], strides: 2, pad: "same" },
  { what: "64x64x3 -> 32 (4x4 s2 p1), batch 1", x: [1, 64, 64, 3], filter: [4, 4, 3, 32], strides: 2, pad: "same" },
  { what: "32x32x32 -> 32 (4x4 s2 p1), batch 1", x: [1, 32, 32, 32], filter: [4, 4, 32, 32], strides: 2, pad: "same" },
  { what: "16x16x32 -> 64 (4x4 s2 p1), batch 1", x: [1, 16, 16, 32], filter: [4, 4, 32, 64], strides: 2, pad: "same" },
  { what: "8x8x64 -> 64 (4x4 s2 p1), batch 1", x: [1, 8, 8, 64], filter: [4, 4, 64, 64], strides: 2, pad: "same" },
  { what: "4x4x64 -> 1x1x256 (4x4 valid), batch 1", x: [1, 4, 4, 64], filter: [4, 4, 64, 256], strides: 1, pad: "valid" },
  // Batch 7 and 64 on smaller images and channels.
  { what: "16x16x3 -> 16 (4x4 s2 p1), batch 7", x: [7, 16, 16, 3], filter: [4, 4, 3, 16], strides: 2, pad: "same" },
  { what: "8x8x8 -> 8 (4x4 s2, explicit pad 1), batch 7", x: [7, 8, 8, 8], filter: [4, 4, 8, 8], strides: 2, pad: 1 },
  { what: "4x4x16 -> 1x1x32 (4x4 valid), batch 7", x: [7, 4, 4, 16], filter: [4, 4, 16, 32], strides: 1, pad: "valid" },
  { what: "16x16x1 -> 8 (4x4 s2 p1), batch 64", x: [64, 16, 16, 1], filter: [4, 4, 1, 8], strides: 2, pad: "same" },
  { what: "8x8x3 -> 8 (4x4 s2 p1), batch 64", x: [64, 8, 8, 3], filter: [4, 4, 3, 8], strides: 2, pad: "same" },
  { what: "4x4x16 -> 1x1x32 (4x4 valid), batch 64", x: [64, 4, 4, 16], filter: [4, 4, 16, 32], strides: 1, pad: "valid" },
];

const OTHER_CASES: readonly ConvCase[] = [
  // Geometries the models do not use: the kernels are general, not special-cased.
  { what: "3x3 same stride 1", x: [2, 9, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: "same" },
  { what: "3x3 same stride 2, odd sizes", x: [2, 9, 7, 3], filter: [3, 3, 3, 4], strides: 2, pad: "same" },
  { what: "5x5 valid stride 3 (all-phases-in-one-conv dx: 3 filters)", x: [2, 10, 11, 2], filter: [5, 5, 2, 3], strides: 3, pad: "valid" },
  { what: "5x5 same stride 3", x: [2, 10, 11, 2], filter: [5, 5, 2, 3], strides: 3, pad: "same" },
  { what: "4x4 valid stride 2", x: [3, 6, 6, 2], filter: [4, 4, 2, 3], strides: 2, pad: "valid" },
  { what: "1x1 stride 1", x: [2, 5, 5, 4], filter: [1, 1, 4, 6], strides: 1, pad: "valid" },
  { what: "4x4 s2 p1, fewer patch columns than filters", x: [3, 12, 10, 1], filter: [4, 4, 1, 24], strides: 2, pad: "same" },
  { what: "1x1 stride 2 (phases without filter taps get zeros)", x: [2, 7, 6, 8], filter: [1, 1, 8, 4], strides: 2, pad: "valid" },
  { what: "3x3 stride 2 pad 2 (direct-narrow dx: 3 channels)", x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides: 2, pad: 2 },
  { what: "2x2 pad 1 stride 1 (padding equal to the filter: fallback)", x: [2, 5, 5, 2], filter: [2, 2, 2, 3], strides: 1, pad: 2 },
  // The direct filter-gradient kernels (4 input x 8 output channel tiles; padded rows for 1-3
  // input channels) at borders, odd sizes, other strides and unused input rows (outputs at least
  // 4 pixels wide: narrower ones take im2col).
  { what: "3x3 same stride 2, odd sizes, 4 -> 8 channels (direct dW)", x: [2, 9, 7, 4], filter: [3, 3, 4, 8], strides: 2, pad: "same" },
  { what: "5x5 valid stride 3, 8 -> 16 channels (direct dW, unused last rows)", x: [2, 16, 17, 8], filter: [5, 5, 8, 16], strides: 3, pad: "valid" },
  { what: "4x4 same stride 3, odd sizes, 1 -> 8 channels (padded dW)", x: [3, 11, 13, 1], filter: [4, 4, 1, 8], strides: 3, pad: "same" },
  { what: "2x2 valid stride 3, 2 -> 8 channels (padded dW, unused last rows)", x: [2, 10, 14, 2], filter: [2, 2, 2, 8], strides: 3, pad: "valid" },
  // The direct transposed conv (tiles of 4 pixels of a row phase x 8 channels, single pixels at
  // the end of a row) and the per-phase convs it replaces for multiples of 8 channels.
  { what: "5x5 same stride 3, odd sizes, 16 -> 8 channels (direct dx, partial tiles)", x: [2, 13, 11, 16], filter: [5, 5, 16, 8], strides: 3, pad: "same" },
  { what: "3x3 same stride 1, 8 -> 4 channels (direct dx, stride 1)", x: [2, 7, 9, 8], filter: [3, 3, 8, 4], strides: 1, pad: "same" },
  { what: "4x4 s2 p1, 12 -> 8 channels (per-phase convs)", x: [2, 8, 10, 12], filter: [4, 4, 12, 8], strides: 2, pad: "same" },
  // The compiled-in strides (layout.c tile_madd_k) in a combination the models do not use: conv
  // pixel stride 2 * 64, transposed-conv dy stride 32; an odd batch.
  { what: "8x8x64 -> 32 (4x4 s2 p1), batch 7 (fixed strides)", x: [7, 8, 8, 64], filter: [4, 4, 64, 32], strides: 2, pad: "same" },
];

before(async () => {
  await initBackend({ quiet: true, env: { BVAE_BACKEND: "wasm" } });
});

test("initBackend registers the wasm training kernels; the SIMD layout module loads", () => {
  assert.ok(wasmTrainingKernelsRegistered());
  assert.equal(layoutImplementation(asWasm(tf.engine().findBackend("wasm"))), "simd");
  assert.ok(tf.getKernel("Conv2DBackpropFilter", "wasm"));
  assert.equal(tf.getKernel("Conv2DBackpropFilter", "cpu")?.backendName, "cpu", "cpu kernels untouched");
});

test("every Conv2DBackpropInput plan is exercised by the cases below", () => {
  const plans = new Set([...MODEL_CASES, ...OTHER_CASES].map((c) => backpropInputPlan(geometryOf(c))));
  assert.deepEqual([...plans].sort(), ["direct", "direct-narrow", "fallback", "matmul", "phase-conv", "phase-convs"]);
});

test("every Conv2DBackpropFilter plan is exercised by the cases below (both the conv's and the transposed conv's)", () => {
  const plans = new Set<string>();
  for (const c of [...MODEL_CASES, ...OTHER_CASES]) {
    const g = geometryOf(c);
    plans.add(backpropFilterPlan(g, {}));
  }
  assert.deepEqual([...plans].sort(), ["direct", "im2col", "padded"]);
  const batch64 = MODEL_CASES.filter((c) => c.x[0] === 64).map((c) => backpropFilterPlan(geometryOf(c), {}));
  assert.deepEqual(batch64, ["padded", "padded", "im2col"]);
});

test("both Conv2D plans are exercised, and the models' stride-2 layers take the direct one", () => {
  const plan = (c: ConvCase): string => conv2dPlan(geometryOf(c), 1, {});
  assert.deepEqual([...new Set([...MODEL_CASES, ...OTHER_CASES].map(plan))].sort(), ["backend", "direct"]);
  assert.deepEqual(MODEL_CASES.slice(0, 6).map(plan), ["direct", "direct", "direct", "direct", "direct", "backend"]);
});

for (const c of MODEL_CASES) {
  test(`model conv: ${c.what}`, async () => compare(c));
}
for (const c of OTHER_CASES) {
  test(`other conv: ${c.what}`, async () => compare(c));
}

test("the TypeScript fallback of the layout kernels gives the same results as the SIMD module", async () => {
  try {
    setLayoutImplementation("js");
    const cases = [
      OTHER_CASES[1], OTHER_CASES[6], OTHER_CASES[7], OTHER_CASES[8], MODEL_CASES[7], MODEL_CASES[8],
      MODEL_CASES[9], // padded dW
      OTHER_CASES[10], // direct dW at borders
      OTHER_CASES[12], // padded dW, odd sizes
      OTHER_CASES[14], // direct dx, partial tiles
    ];
    for (const c of cases) await compare(c);
    await compareDense(8, 300, 500, "TypeScript layout");
    await compareDense(6, 37, 24, "TypeScript layout (gemm)");
  } finally {
    setLayoutImplementation("simd");
  }
});

/** Matrix products with every transpose combination, and sums over leading axes (dense layers, biases). */
function denseResults(m: number, k: number, n: number): Record<string, Float32Array> {
  return tf.tidy(() => {
    const out: Record<string, Float32Array> = {};
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        const a = tf.tensor2d(values(m * k, 7), tA ? [k, m] : [m, k]);
        const b = tf.tensor2d(values(k * n, 8), tB ? [n, k] : [k, n]);
        out[`matMul tA=${tA} tB=${tB}`] = tf.matMul(a, b, tA, tB).dataSync() as Float32Array;
      }
    }
    const a = tf.tensor2d(values(m * k, 10), [m, k]);
    const b = tf.tensor2d(values(k * n, 11), [k, n]);
    const bias = tf.tensor1d(values(n, 12));
    for (const activation of ["linear", "relu", "elu"] as const) {
      out[`fused matMul + bias, ${activation}`] = tf.fused.matMul({ a, b, bias, activation }).dataSync() as Float32Array;
    }
    out["fused matMul, no bias"] = tf.fused.matMul({ a, b }).dataSync() as Float32Array;
    const x = tf.tensor4d(values(7 * 5 * 6 * 9, 9), [7, 5, 6, 9]);
    const c = tf.tensor1d(values(9, 13));
    out["bias add [7,5,6,9] + [9]"] = tf.add(x, c).dataSync() as Float32Array;
    out["bias add [1,1,1,9] + [7,5,6,9]"] = tf.add(tf.reshape(c, [1, 1, 1, 9]), x).dataSync() as Float32Array;
    out["add same shape"] = tf.add(x, x).dataSync() as Float32Array;
    out["add scalar"] = tf.add(x, 2).dataSync() as Float32Array;
    out["add [7,5,6,9] + [6,9] (not a bias)"] = tf.add(x, tf.ones([6, 9])).dataSync() as Float32Array;
    out["bias add, 8 channels"] = tf.add(tf.ones([3, 8]), tf.range(0, 8)).dataSync() as Float32Array;
    out["cast float32 -> float32"] = tf.cast(x, "float32").dataSync() as Float32Array;
    out["cast float32 -> int32 -> float32"] = tf.cast(tf.cast(tf.mul(x, 10), "int32"), "float32").dataSync() as Float32Array;
    out["clone"] = tf.clone(x).dataSync() as Float32Array;
    out["sum axes 0,1,2"] = tf.sum(x, [0, 1, 2]).dataSync() as Float32Array;
    out["sum axes 0 keepDims"] = tf.sum(x, 0, true).dataSync() as Float32Array;
    out["sum axes 2,0,1 (unordered)"] = tf.sum(x, [2, 0, 1]).dataSync() as Float32Array;
    out["sum axis 3 (not leading)"] = tf.sum(x, 3).dataSync() as Float32Array;
    out["sum all"] = tf.sum(x).dataSync() as Float32Array;
    return out;
  });
}

// [6, 37, 24]: the SIMD gemm (N % 8 == 0) with rows left over after its 4-row tiles;
// [6, 2100, 128]: B of 2100 x 128 floats taken in two K blocks (2048 + 52 rows).
for (const [m, k, n] of [[64, 512, 256], [64, 37, 1200], [6, 37, 24], [6, 2100, 128], [8, 300, 500], [3, 5, 2]] as const) {
  test(`BatchMatMul (all transposes), _FusedMatMul, Sum and bias Add on wasm equal cpu: ${m}x${k}x${n}`, async () => {
    await compareDense(m, k, n, "SIMD layout");
    const shapes = await onBackend("wasm", () => tf.tidy(() => tf.sum(tf.ones([2, 3, 4]), [0, 1], true).shape));
    assert.deepEqual(shapes, [1, 1, 4]);
  });
}

test("Exp and Log1p (SIMD polynomials) equal the cpu backend to 1e-6 per element, special values included", async () => {
  // 3 scales x 333 values + specials: an odd count, so the 1-3 values after the last SIMD group are covered too.
  const xs: number[] = [];
  for (const scale of [1e-6, 1, 90]) for (const v of values(333, 21)) xs.push(2 * v * scale);
  xs.push(0, -0, -1, -1.5, 88.7, 89, -87.5, -104, -120, Infinity, -Infinity, NaN, 1e-30);
  const run = (): Float32Array[] => tf.tidy(() => {
    const x = tf.tensor1d(xs);
    return [tf.exp(x).dataSync() as Float32Array, tf.log1p(x).dataSync() as Float32Array];
  });
  const want = await onBackend("cpu", run);
  const got = await onBackend("wasm", run);
  for (const [k, name] of [[0, "exp"], [1, "log1p"]] as const) {
    for (let i = 0; i < xs.length; i++) {
      const w = want[k][i];
      const g = got[k][i];
      if (Number.isNaN(w) || !Number.isFinite(w) || Math.abs(w) < 1e-37) {
        assert.ok(Object.is(g, w) || (Math.abs(w) < 1e-37 && Math.abs(g) < 1e-37) || (w === 0 && g === 0), `${name}(${xs[i]}) = ${g}, cpu ${w}`);
      } else {
        assert.ok(Math.abs(g - w) <= 1e-6 * Math.abs(w), `${name}(${xs[i]}) = ${g}, cpu ${w}`);
      }
    }
  }
});

test("BVAE_WASM_FIXED_STRIDES=0 (the run-time-stride kernel loops) gives the same floats as the default", async () => {
  // The compiled-in strides of tile_madd_k: conv pixel strides 2, 6, 64 and 128, transposed-conv
  // dy strides 32 and 64, and the filter-gradient kernels; the same operations in the same order.
  const cases = [...MODEL_CASES.slice(0, 5), OTHER_CASES[OTHER_CASES.length - 1]];
  const saved = process.env.BVAE_WASM_FIXED_STRIDES;
  try {
    for (const c of cases) {
      delete process.env.BVAE_WASM_FIXED_STRIDES;
      const fixed = await onBackend("wasm", () => convResults(c));
      process.env.BVAE_WASM_FIXED_STRIDES = "0";
      const runTime = await onBackend("wasm", () => convResults(c));
      for (const key of Object.keys(fixed)) {
        const i = fixed[key].findIndex((v, j) => !Object.is(v, runTime[key][j]));
        assert.equal(i, -1, `${c.what}: ${key}[${i}] = ${fixed[key][i]} with fixed strides, ${runTime[key][i]} without`);
      }
    }
  } finally {
    if (saved === undefined) delete process.env.BVAE_WASM_FIXED_STRIDES;
    else process.env.BVAE_WASM_FIXED_STRIDES = saved;
  }
});

for (const mode of ["1", "0"] as const) {
  const what = mode === "1" ? "the Relaxed SIMD module (fused multiply-adds, the default)" : "the plain module (BVAE_WASM_RELAXED=0)";
  test(`${what} agrees with the cpu backend`, async (t) => {
    const saved = process.env.BVAE_WASM_RELAXED;
    try {
      process.env.BVAE_WASM_RELAXED = mode;
      if (mode === "1" && !relaxedSimdInUse()) {
        t.skip("this engine accepts no Relaxed SIMD");
        return;
      }
      assert.equal(relaxedSimdInUse(), mode === "1");
      // The rest of this file runs with the default module; here every model convolution with the other.
      for (const c of [...MODEL_CASES, OTHER_CASES[10], OTHER_CASES[14]]) await compare(c);
      for (const [m, k, n] of [[64, 512, 256], [6, 2100, 128]] as const) await compareDense(m, k, n, mode === "1" ? "relaxed" : "plain");
    } finally {
      if (saved === undefined) delete process.env.BVAE_WASM_RELAXED;
      else process.env.BVAE_WASM_RELAXED = saved;
    }
  });
}
