/**
 * Adam's update of one variable as one wasm kernel (`BvaeAdamUpdate`, layout.c adam_update) instead
 * of ~12 tf ops (Mul, Add, Square, Sqrt, Div, Sub and their scalar tensors): one pass over w, m, v
 * and g. lib/train/adam.ts uses it on the wasm backend with the training kernels registered; the
 * result is bit-identical to its tf-op path (same float32 operations in the same order, no fused
 * multiply-add; tests/backend/wasm/adam.test.ts). BVAE_WASM_ADAM=ops keeps the tf-op path (for A/B
 * measurements).
 *
 * Why new buffers and `assign`, not an in-place update of the variables' data:
 * - buffers are shared: lib/backend/wasm/identity.ts makes Identity and same-dtype Cast return the input's
 *   buffer (tf.clone of a variable, every tensor saved for backprop), `tf.variable(x)` and
 *   `v.assign(x)` keep x's buffer, and Adam.restore assigns the caller's tensors to m and v. A
 *   write into the variable's buffer would change those tensors too;
 * - the backend's XNNPACK operators (Conv2D, BatchMatMul of a dense layer) cache weights packed
 *   from a buffer under its id until that buffer is freed: a weight updated in place would be
 *   multiplied by its stale packed copy in the next forward pass.
 * So the kernel writes three fresh buffers and Adam assigns them, as its tf-op path does (every
 * variable gets a new buffer each step, the invariant identity.ts relies on). The cost is three
 * heap allocations per variable, small beside the 12 kernel calls and scalar tensors it replaces.
 */
import * as tf from "@tensorflow/tfjs";
import { checkUpdateOperands, fusedUpdateInUse, fusedUpdateMode, type FusedUpdateMode } from "./fused-update";
import { alloc, asWasm, offsetOf } from "./heap";
import { adamUpdateInHeap, type AdamStepScalars } from "./layout";

export type { AdamStepScalars } from "./layout";

/** Kernel name (as it appears in profiles and `bvae bench`'s kernel list). */
export const ADAM_UPDATE_KERNEL = "BvaeAdamUpdate";

/** BVAE_WASM_ADAM: "fused" (the default) or "ops" (the tf-op path, for A/B measurements). */
export type WasmAdamMode = FusedUpdateMode;

export function wasmAdamMode(env: NodeJS.ProcessEnv = process.env): WasmAdamMode {
  return fusedUpdateMode("BVAE_WASM_ADAM", env);
}

/**
 * True if Adam should use the fused kernel: wasm backend, its kernel registered (by
 * registerWasmTrainingKernels, with the other training kernels), not BVAE_WASM_ADAM=ops.
 */
export function fusedAdamInUse(env: NodeJS.ProcessEnv = process.env): boolean {
  return fusedUpdateInUse("BVAE_WASM_ADAM", ADAM_UPDATE_KERNEL, env);
}

/** inputs w, m, v, g (same size, float32) -> [w', m', v'] in new buffers; attrs: AdamStepScalars. */
export function adamUpdateKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const backend = asWasm(args.backend);
  const { w, m, v, g } = args.inputs as Record<"w" | "m" | "v" | "g", tf.TensorInfo>;
  const n = checkUpdateOperands(ADAM_UPDATE_KERNEL, { w, m, v, g });
  const [wOut, mOut, vOut] = [w, m, v].map((x) => alloc(backend, x.shape.slice()));
  const at = (x: tf.TensorInfo): number => offsetOf(backend, x);
  const operands = { w: at(w), m: at(m), v: at(v), g: at(g), wOut: at(wOut), mOut: at(mOut), vOut: at(vOut) };
  adamUpdateInHeap(backend, operands, n, args.attrs as unknown as AdamStepScalars);
  return [wOut, mOut, vOut];
}

/**
 * One Adam step of one variable on the wasm backend: [w', m', v'] as new tensors (the caller
 * assigns and disposes them). g is not disposed.
 */
export function adamUpdateWasm(w: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, s: AdamStepScalars): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const attrs: tf.NamedAttrMap = { ...s };
  const out = tf.engine().runKernel(ADAM_UPDATE_KERNEL, { w, m, v, g }, attrs) as tf.Tensor[];
  return [out[0], out[1], out[2]];
}
