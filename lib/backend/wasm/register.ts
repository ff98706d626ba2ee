/**
 * Registers the kernels convolutional training needs on the wasm backend:
 *
 * - `Conv2D`: a SIMD kernel on zero-padded x (XNNPACK repacks its operator every training step
 *   and runs far below speed on 1-3 input channels); dilated convs, outC not a multiple of 8 and
 *   outputs narrower than 4 pixels go to the backend's own kernel.
 * - `Conv2DBackpropFilter` (missing from tfjs-backend-wasm 4.22): SIMD kernels straight from x
 *   and dy (im2col + XNNPACK MatMul for other channel counts).
 * - `Conv2DBackpropInput` (present but a scalar loop, ~15x slower than Conv2D): replaced by a
 *   SIMD kernel (multiples of 8 dx channels), a sub-pixel decomposition into XNNPACK Conv2Ds, or
 *   a MatMul for 1x1 inputs. The original kernel stays as the fallback for geometries the fast
 *   paths do not cover.
 *
 * - `Identity` (and `Cast` to the same dtype) share the buffer instead of copying it (the engine
 *   clones every tensor saved for backprop; every ReLU gradient casts float32 to float32).
 * - `Add` of a per-channel bias: one SIMD pass instead of the generic broadcasting loop.
 * - `Exp`, `Log1p` (the Bernoulli loss over every logit): SIMD polynomials instead of scalar libm.
 * - `BatchMatMul` / `_FusedMatMul` with transposed operands (every dense layer's backward pass) or
 *   a large fresh right operand (XNNPACK repacks it per call), and `Sum` over the leading axes
 *   (every bias gradient): the backend's versions take a scalar / transposing / repacking path.
 *
 * - `BvaeAdamUpdate`, `BvaeAdagradUpdate` (new): Adam's and Adagrad's whole update of one variable in
 *   one pass (lib/backend/wasm/adam.ts, adagrad.ts).
 *
 * Only the 'wasm' entries of the kernel registry change; other backends are untouched.
 * `initBackend()` calls this when it picks wasm; code that calls `tf.setBackend("wasm")` itself
 * calls it afterwards (it is idempotent).
 */
import * as tf from "@tensorflow/tfjs";
import { ADAGRAD_UPDATE_KERNEL, adagradUpdateKernel } from "./adagrad";
import { ADAM_UPDATE_KERNEL, adamUpdateKernel } from "./adam";
import { conv2dBackpropFilterWasm } from "./conv2d-backprop-filter";
import { makeBatchMatMulWasm, makeFusedMatMulWasm } from "./batch-mat-mul";
import { makeAddWasm } from "./bias-add";
import { makeConv2dBackpropInputWasm } from "./conv2d-backprop-input";
import { makeConv2dWasm } from "./conv2d";
import { rememberBackendKernel } from "./heap";
import { makeCastWasm, makeIdentityWasm } from "./identity";
import { makeSumWasm } from "./sum";
import { makeUnaryWasm } from "./unary";

/** The kernels this module registers for 'wasm'. */
export const WASM_TRAINING_KERNELS = ["Conv2D", "Conv2DBackpropFilter", "Conv2DBackpropInput", "BatchMatMul", "_FusedMatMul", "Sum", "Identity", "Cast", "Add", "Exp", "Log1p", ADAM_UPDATE_KERNEL, ADAGRAD_UPDATE_KERNEL] as const;

let registered = false;

/** True once `registerWasmTrainingKernels()` has run in this process. */
export function wasmTrainingKernelsRegistered(): boolean {
  return registered;
}

/**
 * Installs the training kernels for the 'wasm' backend. Requires `@tensorflow/tfjs-backend-wasm`
 * to be loaded (its kernels are the building blocks). Safe to call more than once.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  if (!tf.getKernel("Conv2D", "wasm") || !tf.getKernel("BatchMatMul", "wasm")) {
    throw new Error("registerWasmTrainingKernels: load @tensorflow/tfjs-backend-wasm first (its Conv2D/BatchMatMul are missing)");
  }
  replace("Conv2D", (original) => makeConv2dWasm(required(original, "Conv2D")));
  replace("Conv2DBackpropInput", (original) => makeConv2dBackpropInputWasm(original));
  replace("Conv2DBackpropFilter", () => conv2dBackpropFilterWasm as unknown as tf.KernelFunc);
  replace("BatchMatMul", (original) => makeBatchMatMulWasm(required(original, "BatchMatMul")));
  replace("_FusedMatMul", (original) => makeFusedMatMulWasm(required(original, "_FusedMatMul")));
  replace("Sum", (original) => makeSumWasm(required(original, "Sum")));
  replace("Identity", (original) => makeIdentityWasm(required(original, "Identity")));
  replace("Cast", (original) => makeCastWasm(required(original, "Cast")));
  replace("Add", (original) => makeAddWasm(required(original, "Add")));
  replace("Exp", (original) => makeUnaryWasm("exp", required(original, "Exp")));
  replace("Log1p", (original) => makeUnaryWasm("log1p", required(original, "Log1p")));
  replace(ADAM_UPDATE_KERNEL, () => adamUpdateKernel as unknown as tf.KernelFunc);
  replace(ADAGRAD_UPDATE_KERNEL, () => adagradUpdateKernel as unknown as tf.KernelFunc);
  registered = true;
}

/** Registers `make(previous kernelFunc)` as the wasm kernel `name`, replacing the previous one. */
function replace(name: string, make: (original: tf.KernelFunc | undefined) => tf.KernelFunc): void {
  const original = tf.getKernel(name, "wasm");
  if (original) {
    rememberBackendKernel(name, original.kernelFunc);
    tf.unregisterKernel(name, "wasm");
  }
  tf.registerKernel({ kernelName: name, backendName: "wasm", kernelFunc: make(original?.kernelFunc) });
}

function required(f: tf.KernelFunc | undefined, name: string): tf.KernelFunc {
  if (!f) throw new Error(`registerWasmTrainingKernels: the wasm backend has no ${name} kernel to extend`);
  return f;
}
