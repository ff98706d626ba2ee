/**
 * Registers the kernels convolutional training needs on the wasm backend:
 *
 * - `Conv2DBackpropFilter` (missing from tfjs-backend-wasm 4.22): im2col + XNNPACK MatMul.
 * - `Conv2DBackpropInput` (present but a scalar loop, ~15x slower than Conv2D): replaced by a
 *   sub-pixel decomposition into one XNNPACK Conv2D, or a MatMul for 1x1 inputs. The original
 *   kernel stays as the fallback for geometries the fast path does not cover.
 *
 * Only the 'wasm' entries of the kernel registry change; other backends are untouched.
 * `initBackend()` calls this when it picks wasm; code that calls `tf.setBackend("wasm")` itself
 * calls it afterwards (it is idempotent).
 */
import * as tf from "@tensorflow/tfjs";
import { conv2dBackpropFilterWasm } from "./conv2d-backprop-filter";
import { makeConv2dBackpropInputWasm } from "./conv2d-backprop-input";

/** The kernels this module registers for 'wasm'. */
export const WASM_TRAINING_KERNELS = ["Conv2DBackpropFilter", "Conv2DBackpropInput"] as const;

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
  const original = tf.getKernel("Conv2DBackpropInput", "wasm");
  if (original) tf.unregisterKernel("Conv2DBackpropInput", "wasm");
  tf.registerKernel({
    kernelName: "Conv2DBackpropInput",
    backendName: "wasm",
    kernelFunc: makeConv2dBackpropInputWasm(original?.kernelFunc),
  });
  if (tf.getKernel("Conv2DBackpropFilter", "wasm")) tf.unregisterKernel("Conv2DBackpropFilter", "wasm");
  tf.registerKernel({
    kernelName: "Conv2DBackpropFilter",
    backendName: "wasm",
    kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc,
  });
  registered = true;
}
