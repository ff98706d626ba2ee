/**
 * Identity, and Cast to the same dtype, for the wasm backend without a copy. The engine runs
 * Identity to keep every tensor a gradient needs (saveTensorsForBackwardMode -> clone), ~60 times
 * per conv VAE step, and every ReLU gradient casts a float32 step mask to float32; the backend's
 * kernels copy the data each time, the cpu backend's share it. Tensor data is never written after
 * creation (variables get a new buffer on assign), so sharing is safe: the output holds one more
 * reference to the same buffer. Strings and real casts go to the backend's kernels.
 */
import * as tf from "@tensorflow/tfjs";
import { asWasm } from "./heap";

function share(backend: unknown, x: tf.TensorInfo): tf.TensorInfo {
  asWasm(backend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
}

export function makeIdentityWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    return x.dtype === "string" ? original(args) : share(args.backend, x);
  };
}

export function makeCastWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { dtype } = args.attrs as { dtype: tf.DataType };
    return x.dtype === dtype && dtype !== "string" ? share(args.backend, x) : original(args);
  };
}
