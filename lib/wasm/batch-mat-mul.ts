/**
 * BatchMatMul for the wasm backend with transposed operands, for Dense layer gradients.
 *
 * The backend's kernel uses XNNPACK only for a single matrix product without transposes; with
 * transposeA or transposeB (dW = x^T dy and dx = dy W^T in every dense layer's backward pass) it
 * runs a scalar loop ~15x slower. This kernel transposes operands explicitly and calls the fast
 * path. XNNPACK also packs the right operand afresh whenever it is a new tensor (~4-6 ns per
 * float), so the product is computed as C or as C^T = B^T A^T, whichever moves fewer floats.
 *
 *   C [M, N] = op(A) [M, K] x op(B) [K, N]
 */
import * as tf from "@tensorflow/tfjs";
import { alloc, asWasm, callKernel, free, offsetOf, reshaped, sizeOf, type WasmBackend } from "./heap";
import { transposeInHeap } from "./layout";

/** Cost of packing one float of the right operand relative to transposing one (SIMD) float. */
const PACK_COST = 6;

export function makeBatchMatMulWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const batchA = sizeOf(a.shape.slice(0, -2));
    const batchB = sizeOf(b.shape.slice(0, -2));
    if (batchA !== 1 || batchB !== 1 || a.dtype !== "float32" || b.dtype !== "float32") return original(args);
    const backend = asWasm(args.backend);
    const ra = a.shape.length;
    const rb = b.shape.length;
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
    if (k !== kb) {
      throw new Error(`BatchMatMul (lib/wasm): inner sizes differ: [${a.shape}] x [${b.shape}], transposeA=${transposeA}, transposeB=${transposeB}`);
    }
    const outShape = [...a.shape.slice(0, -2), m, n];
    // Floats moved: direct = transposes of A and/or B + packing op(B) [K, N];
    // swapped = transposes of B and/or A + packing op(A)^T [K, M] + transposing C.
    const direct = (transposeA ? m * k : 0) + (transposeB ? k * n : 0) + PACK_COST * k * n;
    const swapped = (transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + PACK_COST * k * m + m * n;
    if (!transposeA && !transposeB && direct <= swapped) return original(args);
    const out = direct <= swapped
      ? productDirect(backend, a, b, m, k, n, transposeA, transposeB)
      : productSwapped(backend, a, b, m, k, n, transposeA, transposeB);
    return reshaped(out, outShape);
  };
}

/** a x b with both as plain [rows, cols] matrices, no transposes (XNNPACK path). */
function plainProduct(backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo, m: number, k: number, n: number): tf.TensorInfo {
  const out = callKernel(
    "BatchMatMul",
    backend,
    { a: reshaped(a, [1, m, k]), b: reshaped(b, [1, k, n]) },
    { transposeA: false, transposeB: false },
  );
  return reshaped(out, [m, n]);
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
