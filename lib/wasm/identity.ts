/**
 * Identity for the wasm backend without a copy. The engine runs Identity to keep every tensor a
 * gradient needs (saveTensorsForBackwardMode -> clone), ~60 times per conv VAE step; the
 * backend's kernel copies the data each time, the cpu backend's shares it. Tensor data is never
 * written after creation (variables get a new buffer on assign), so sharing is safe: the output
 * holds one more reference to the same buffer.
 */
import * as tf from "@tensorflow/tfjs";
import { asWasm } from "./heap";

export function identityWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = asWasm(args.backend);
  const { x } = args.inputs as { x: tf.TensorInfo };
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
}
