/**
 * Sum over leading axes for the wasm backend: the bias gradient of every conv and dense layer
 * (dy [N, H, W, C] summed to [C]). The backend's Sum first transposes the reduced axes to the end
 * with its generic (slow) Transpose; a column sum reads dy once, in order. Other reductions go to
 * the backend's own kernel.
 */
import * as tf from "@tensorflow/tfjs";
import { alloc, asWasm, offsetOf, sizeOf } from "./heap";
import { columnSumsInHeap } from "./layout";

export function makeSumWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
    // Only a reduction over the leading axes 0..k-1 (k < rank) of a float32 tensor.
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (!leading || x.dtype !== "float32") return original(args);
    const backend = asWasm(args.backend);
    const kept = x.shape.slice(axes.length);
    const rows = sizeOf(x.shape.slice(0, axes.length));
    const cols = sizeOf(kept);
    const outShape = keepDims ? [...x.shape.slice(0, axes.length).map(() => 1), ...kept] : kept;
    const out = alloc(backend, outShape);
    columnSumsInHeap(backend, offsetOf(backend, x), offsetOf(backend, out), rows, cols);
    return out;
  };
}
