/**
 * Add for the wasm backend when it is a bias add: x [..., C] + b with b of C values ([C] or
 * [1, ..., 1, C]), as in every conv and dense layer while gradients are recorded (unfused). The
 * backend's broadcasting Add is ~4x slower than one SIMD pass. Every other Add goes to the
 * backend's kernel.
 */
import * as tf from "@tensorflow/tfjs";
import { alloc, asWasm, offsetOf, sizeOf } from "./heap";
import { biasAddInHeap } from "./layout";

/** True if `b` broadcasts as one value per last-axis channel of `a` (and the result has a's shape). */
function isBias(a: tf.TensorInfo, b: tf.TensorInfo): boolean {
  if (a.dtype !== "float32" || b.dtype !== "float32" || a.shape.length < 2 || b.shape.length > a.shape.length) return false;
  const c = a.shape[a.shape.length - 1];
  if (b.shape.length === 0 || b.shape[b.shape.length - 1] !== c || sizeOf(b.shape) !== c) return false;
  return sizeOf(a.shape) > c; // a single row is not worth it
}

export function makeAddWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const [x, bias] = isBias(a, b) ? [a, b] : isBias(b, a) ? [b, a] : [undefined, undefined];
    if (!x || !bias) return original(args);
    const backend = asWasm(args.backend);
    const cols = x.shape[x.shape.length - 1];
    const out = alloc(backend, x.shape.slice());
    biasAddInHeap(backend, offsetOf(backend, x), offsetOf(backend, bias), offsetOf(backend, out), sizeOf(x.shape) / cols, cols);
    return out;
  };
}
