/**
 * Adagrad's update of one variable as one wasm kernel (`BvaeAdagradUpdate`, layout.c
 * adagrad_update) instead of seven tf ops (Square, Add, Sqrt, Add, RealDiv, Multiply, Sub): one
 * pass over w, s and g. On Higgins et al.'s MLP (14.2 M weights) the ops cost 73-84 ms of CPU per
 * step (about a fifth of it), the kernel 12-14 ms. lib/train/adagrad.ts uses it on the wasm backend with the training
 * kernels registered; the result is bit-identical to its tf-op path (the same float32 operations
 * in the same order, no fused multiply-add; tests/backend/wasm/adagrad.test.ts).
 * BVAE_WASM_ADAGRAD=ops keeps the tf-op path (for A/B measurements).
 *
 * The kernel writes fresh buffers that Adagrad assigns, never the variables' own: see ./adam for why.
 */
import * as tf from "@tensorflow/tfjs";
import { checkUpdateOperands, fusedUpdateInUse } from "./fused-update";
import { alloc, asWasm, offsetOf } from "./heap";
import { adagradUpdateInHeap } from "./layout";

/** Kernel name (as it appears in profiles and `bvae bench`'s kernel list). */
export const ADAGRAD_UPDATE_KERNEL = "BvaeAdagradUpdate";

/**
 * True if Adagrad should use the fused kernel: wasm backend, its kernel registered (by
 * registerWasmTrainingKernels), not BVAE_WASM_ADAGRAD=ops.
 */
export function fusedAdagradInUse(env: NodeJS.ProcessEnv = process.env): boolean {
  return fusedUpdateInUse("BVAE_WASM_ADAGRAD", ADAGRAD_UPDATE_KERNEL, env);
}

/** inputs w, s, g (same size, float32) -> [w', s'] in new buffers; attrs: epsilon, learningRate. */
export function adagradUpdateKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const backend = asWasm(args.backend);
  const { w, s, g } = args.inputs as Record<"w" | "s" | "g", tf.TensorInfo>;
  const n = checkUpdateOperands(ADAGRAD_UPDATE_KERNEL, { w, s, g });
  const [wOut, sOut] = [w, s].map((x) => alloc(backend, x.shape.slice()));
  const at = (x: tf.TensorInfo): number => offsetOf(backend, x);
  const { epsilon, learningRate } = args.attrs as { epsilon: number; learningRate: number };
  adagradUpdateInHeap(backend, { w: at(w), s: at(s), g: at(g), wOut: at(wOut), sOut: at(sOut) }, n, epsilon, learningRate);
  return [wOut, sOut];
}

/**
 * One Adagrad step of one variable on the wasm backend: [w', s'] as new tensors (the caller
 * assigns and disposes them). g is not disposed.
 */
export function adagradUpdateWasm(w: tf.Tensor, s: tf.Tensor, g: tf.Tensor, epsilon: number, learningRate: number): [tf.Tensor, tf.Tensor] {
  const out = tf.engine().runKernel(ADAGRAD_UPDATE_KERNEL, { w, s, g }, { epsilon, learningRate }) as tf.Tensor[];
  return [out[0], out[1]];
}
