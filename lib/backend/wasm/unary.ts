/**
 * Exp and Log1p for the wasm backend as one SIMD pass (layout.c exp4 / log1p4, Cephes-style
 * polynomials, ~1 ulp). The backend's kernels call the scalar libm functions, ~10 ns per value:
 * the Bernoulli loss's log1p(exp(-|logits|)) over 64x64x64 logits took 2.5-3.5 ms per Exp and
 * 2.4 ms per Log1p at batch 64. Other dtypes, and runs without the SIMD module, use the backend's
 * kernels.
 */
import * as tf from "@tensorflow/tfjs";
import { alloc, asWasm, free, offsetOf, sizeOf } from "./heap";
import { unaryInHeap } from "./layout";

export function makeUnaryWasm(op: "exp" | "log1p", original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype !== "float32" || process.env.BVAE_WASM_UNARY === "backend") return original(args);
    const backend = asWasm(args.backend);
    const out = alloc(backend, x.shape.slice());
    if (!unaryInHeap(backend, op, offsetOf(backend, x), offsetOf(backend, out), sizeOf(x.shape))) {
      free(backend, out);
      return original(args);
    }
    return out;
  };
}
