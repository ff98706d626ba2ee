/**
 * What the fused optimiser kernels (./adam, ./adagrad) share: the A/B switch that keeps an
 * optimiser's tf-op path selectable, the test for whether the fused kernel can run, and the check
 * of a kernel's operands (float32, all of the weight's size).
 */
import * as tf from "@tensorflow/tfjs";
import { sizeOf } from "./heap";

/** "fused" (the default): one kernel per variable; "ops": the optimiser's tf ops (same bits). */
export type FusedUpdateMode = "fused" | "ops";

/** The mode an environment variable (e.g. BVAE_WASM_ADAM) asks for; a clear error for other values. */
export function fusedUpdateMode(variable: string, env: NodeJS.ProcessEnv): FusedUpdateMode {
  const mode = env[variable] ?? "fused";
  switch (mode) {
    case "fused":
    case "ops":
      return mode;
    default:
      throw new Error(`${variable}: expected "fused" or "ops", got "${mode}"`);
  }
}

/**
 * True if the fused kernel should run: the variable does not ask for "ops", the backend is wasm
 * and the kernel is registered (by registerWasmTrainingKernels, with the other training kernels).
 */
export function fusedUpdateInUse(variable: string, kernel: string, env: NodeJS.ProcessEnv): boolean {
  return fusedUpdateMode(variable, env) === "fused" && tf.getBackend() === "wasm" && tf.getKernel(kernel, "wasm") !== undefined;
}

/** Throws unless every operand is float32 with as many values as the first (the weight); returns that count. */
export function checkUpdateOperands(kernel: string, operands: Readonly<Record<string, tf.TensorInfo>>): number {
  const [[first, w]] = Object.entries(operands);
  const n = sizeOf(w.shape);
  for (const [name, x] of Object.entries(operands)) {
    if (x.dtype !== "float32" || sizeOf(x.shape) !== n) {
      throw new Error(`${kernel}: ${name} is ${x.dtype} [${x.shape}], expected float32 with the ${n} values of ${first} [${w.shape}]`);
    }
  }
  return n;
}
