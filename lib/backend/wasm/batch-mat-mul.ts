/**
 * BatchMatMul for the wasm backend with transposed operands, for Dense layer gradients.
 *
 * The backend's kernel uses XNNPACK only for a single matrix product without transposes; with
 * transposeA or transposeB (dW = x^T dy and dx = dy W^T in every dense layer's backward pass) it
 * runs a scalar loop ~15x slower. This kernel transposes operands explicitly and calls the fast
 * path. XNNPACK also packs the right operand afresh whenever it is a new tensor (~4-6 ns per
 * float), so the product is computed as C or as C^T = B^T A^T, whichever moves fewer floats.
 *
 * When N % 8 == 0 the SIMD gemm of layout.c runs instead, which packs nothing (op(B) is taken
 * in 1 MB blocks of rows), unless B is transposed and large (then the explicit transpose costs
 * more than XNNPACK's packing). CPU ms per product with fresh tensors at batch 64 (median,
 * load ~5.5-6.4), gemm vs before: Burgess 64x512x256 0.66 vs 1.09; dW 512x64x256 0.64 vs 1.02;
 * 64x256x256 0.33 vs 0.59; dx = dy W^T 64x256x512 0.90 vs 0.89; Higgins MLP 64x4096x1200
 * 32.6 vs 42.8; 64x1200x1200 9.2 vs 14.1 (but with transposeB 12.9 vs 8.8: not taken).
 * BVAE_WASM_MM=xnnpack turns it off.
 *
 *   C [M, N] = op(A) [M, K] x op(B) [K, N]
 */
import * as tf from "@tensorflow/tfjs";
import { alloc, asWasm, callKernel, free, matMul, offsetOf, reshaped, sizeOf, type WasmBackend } from "./heap";
import { gemmInHeap, transposeInHeap } from "./layout";

/** Largest transposed right operand (floats) for the SIMD gemm; larger ones go to XNNPACK. */
const GEMM_MAX_TRANSPOSED_B_FLOATS = 1 << 18;

/** Cost of packing one float of the right operand relative to transposing one (SIMD) float. */
const PACK_COST = 6;

/** How to compute op(A) x op(B): the backend's kernel, or one of ours. */
interface ProductPlan {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly how: "backend" | "direct" | "swapped" | "gemm";
}

function planProduct(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): ProductPlan | undefined {
  if (sizeOf(a.shape.slice(0, -2)) !== 1 || sizeOf(b.shape.slice(0, -2)) !== 1) return undefined;
  if (a.dtype !== "float32" || b.dtype !== "float32") return undefined;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  if (k !== kb) {
    throw new Error(`BatchMatMul (lib/backend/wasm): inner sizes differ: [${a.shape}] x [${b.shape}], transposeA=${transposeA}, transposeB=${transposeB}`);
  }
  // Floats moved: direct = transposes of A and/or B + packing op(B) [K, N];
  // swapped = transposes of B and/or A + packing op(A)^T [K, M] + transposing C.
  const direct = (transposeA ? m * k : 0) + (transposeB ? k * n : 0) + PACK_COST * k * n;
  const swapped = (transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + PACK_COST * k * m + m * n;
  // Our SIMD gemm packs nothing (it takes op(B) in L2-sized blocks of rows). With transposeB it
  // needs an explicit transpose of B first, which only pays while B is small.
  if (n % 8 === 0 && (!transposeB || k * n <= GEMM_MAX_TRANSPOSED_B_FLOATS) && process.env.BVAE_WASM_MM !== "xnnpack") {
    return { m, k, n, how: "gemm" };
  }
  const how = direct <= swapped ? (transposeA || transposeB ? "direct" : "backend") : "swapped";
  return { m, k, n, how };
}

function computeProduct(backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo, p: ProductPlan, tA: boolean, tB: boolean): tf.TensorInfo {
  switch (p.how) {
    case "swapped":
      return productSwapped(backend, a, b, p.m, p.k, p.n, tA, tB);
    case "gemm":
      return productGemm(backend, a, b, p.m, p.k, p.n, tA, tB);
    case "direct":
    case "backend":
      return productDirect(backend, a, b, p.m, p.k, p.n, tA, tB);
    default: {
      const never: never = p.how;
      throw new Error(`unknown product plan ${String(never)}`);
    }
  }
}

/** op(A) x op(B) with the SIMD gemm (explicit transposes first). */
function productGemm(
  backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo, m: number, k: number, n: number, tA: boolean, tB: boolean,
): tf.TensorInfo {
  const left = tA ? transposed(backend, a, k, m) : a; // [M, K]
  const right = tB ? transposed(backend, b, n, k) : b; // [K, N]
  const c = alloc(backend, [m, n]);
  gemmInHeap(backend, offsetOf(backend, left), offsetOf(backend, right), offsetOf(backend, c), m, k, n);
  if (tA) free(backend, left);
  if (tB) free(backend, right);
  return c;
}

export function makeBatchMatMulWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const plan = planProduct(a, b, transposeA, transposeB);
    if (!plan || plan.how === "backend") return original(args);
    const out = computeProduct(asWasm(args.backend), a, b, plan, transposeA, transposeB);
    return reshaped(out, [...a.shape.slice(0, -2), plan.m, plan.n]);
  };
}

/**
 * _FusedMatMul (dense layers outside gradient recording, and linear dense layers inside it) with
 * the same choice of orientation; bias and ReLU are applied with the backend's Add and Relu.
 * Other activations (and PReLU weights) go to the backend's kernel.
 */
export function makeFusedMatMulWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const { transposeA, transposeB, activation } = args.attrs as { transposeA: boolean; transposeB: boolean; activation?: string };
    if (!a || !b || preluActivationWeights) return original(args);
    if (activation !== undefined && activation !== "linear" && activation !== "relu") return original(args);
    const plan = planProduct(a, b, transposeA, transposeB);
    if (!plan || plan.how === "backend") return original(args);
    const backend = asWasm(args.backend);
    let out = reshaped(computeProduct(backend, a, b, plan, transposeA, transposeB), [...a.shape.slice(0, -2), plan.m, plan.n]);
    if (bias) {
      const sum = callKernel("Add", backend, { a: out, b: bias }, {});
      free(backend, out);
      out = sum;
    }
    if (activation === "relu") {
      const r = callKernel("Relu", backend, { x: out }, {});
      free(backend, out);
      out = r;
    }
    return out;
  };
}

/** a x b with both as plain [rows, cols] matrices, no transposes (heap's matMul: XNNPACK's fast path). */
function plainProduct(backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo, m: number, k: number, n: number): tf.TensorInfo {
  return matMul(backend, reshaped(a, [m, k]), reshaped(b, [k, n]));
}

/** A transposed copy of a [rows, cols] matrix. */
function transposed(backend: WasmBackend, x: tf.TensorInfo, rows: number, cols: number): tf.TensorInfo {
  const t = alloc(backend, [cols, rows]);
  transposeInHeap(backend, offsetOf(backend, x), offsetOf(backend, t), rows, cols);
  return t;
}

function productDirect(
  backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo, m: number, k: number, n: number, tA: boolean, tB: boolean,
): tf.TensorInfo {
  const left = tA ? transposed(backend, a, k, m) : a; // [M, K]
  const right = tB ? transposed(backend, b, n, k) : b; // [K, N]
  const c = plainProduct(backend, left, right, m, k, n);
  if (tA) free(backend, left);
  if (tB) free(backend, right);
  return c;
}

function productSwapped(
  backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo, m: number, k: number, n: number, tA: boolean, tB: boolean,
): tf.TensorInfo {
  const left = tB ? b : transposed(backend, b, k, n); // op(B)^T [N, K]
  const right = tA ? a : transposed(backend, a, m, k); // op(A)^T [K, M]
  const cT = plainProduct(backend, left, right, n, k, m); // [N, M]
  if (!tB) free(backend, left);
  if (!tA) free(backend, right);
  const c = transposed(backend, cT, n, m); // [M, N]
  free(backend, cT);
  return c;
}
