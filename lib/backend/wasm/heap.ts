/**
 * Low-level access to the wasm backend for the training kernels in this folder.
 *
 * The kernels work on `TensorInfo`s (dataId + shape) that live on the wasm heap. They allocate
 * scratch tensors with `makeOutput`, read and write them through Float32Array views of the heap,
 * call the backend's own XNNPACK kernels (Conv2D, BatchMatMul) directly through their kernelFunc
 * (not through the engine, so nothing is recorded on a gradient tape or counted as a tensor), and
 * free every scratch tensor before returning.
 *
 * Heap views must be taken again after every allocation: growing the wasm memory detaches the old
 * ArrayBuffer. `view()` is cheap, so kernels call it right before each loop.
 */
import * as tf from "@tensorflow/tfjs";

/** The parts of tfjs-backend-wasm's BackendWasm used here (structural, so no runtime import). */
export interface WasmBackend {
  readonly wasm: { readonly HEAPF32: Float32Array };
  readonly dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
}

/** Narrows the `backend` handed to a kernelFunc; throws if it is not the wasm backend. */
export function asWasm(backend: unknown): WasmBackend {
  const b = backend as Partial<WasmBackend> | undefined;
  if (!b || !b.wasm || !b.dataIdMap || typeof b.makeOutput !== "function") {
    throw new Error("lib/backend/wasm: kernel called with a backend that is not tfjs-backend-wasm");
  }
  return b as WasmBackend;
}

/** Allocates an uninitialised float32 tensor on the wasm heap. */
export function alloc(backend: WasmBackend, shape: number[]): tf.TensorInfo {
  return backend.makeOutput(shape, "float32");
}

/** Frees scratch tensors made by `alloc` or returned by a kernelFunc. */
export function free(backend: WasmBackend, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** Offset (in float32 elements) of a tensor's data inside `HEAPF32`. */
export function offsetOf(backend: WasmBackend, info: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (!data) throw new Error("lib/backend/wasm: tensor data is not on the wasm backend (disposed?)");
  if (data.memoryOffset % 4 !== 0) throw new Error("lib/backend/wasm: float32 tensor not 4-byte aligned");
  return data.memoryOffset >>> 2;
}

/** The whole heap as float32 (re-read after any allocation). */
export function heap(backend: WasmBackend): Float32Array {
  return backend.wasm.HEAPF32;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Same data, another shape: a new TensorInfo sharing the dataId (caller must not free both). */
export function reshaped(info: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  if (sizeOf(shape) !== sizeOf(info.shape)) {
    throw new Error(`lib/backend/wasm: cannot reshape [${info.shape}] to [${shape}]`);
  }
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** The backend's own kernels that lib/backend/wasm replaced (so building blocks never call a wrapper). */
const backendKernels = new Map<string, tf.KernelFunc>();

/** Records the backend's own kernel before lib/backend/wasm replaces it. */
export function rememberBackendKernel(name: string, kernelFunc: tf.KernelFunc): void {
  if (!backendKernels.has(name)) backendKernels.set(name, kernelFunc);
}

/** Calls one of the backend's own kernels directly (no engine, no tape, no tensor count). */
export function callKernel(
  name: string,
  backend: WasmBackend,
  inputs: Record<string, tf.TensorInfo>,
  attrs: Record<string, unknown>,
): tf.TensorInfo {
  const kernelFunc = backendKernels.get(name) ?? tf.getKernel(name, "wasm")?.kernelFunc;
  if (!kernelFunc) throw new Error(`lib/backend/wasm: the wasm backend has no ${name} kernel`);
  const out = kernelFunc({
    inputs,
    backend: backend as unknown as tf.KernelBackend,
    attrs: attrs as tf.NamedAttrMap,
  });
  if (Array.isArray(out)) throw new Error(`lib/backend/wasm: ${name} returned ${out.length} tensors, expected 1`);
  return out;
}

/** a [M, K] x b [K, N] -> [M, N] with XNNPACK (BatchMatMul without transposes, its fast path). */
export function matMul(backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  const [m, k] = a.shape;
  const [k2, n] = b.shape;
  if (k !== k2) throw new Error(`lib/backend/wasm: matMul inner sizes differ: [${a.shape}] x [${b.shape}]`);
  const out = callKernel(
    "BatchMatMul",
    backend,
    { a: reshaped(a, [1, m, k]), b: reshaped(b, [1, k, n]) },
    { transposeA: false, transposeB: false },
  );
  return reshaped(out, [m, n]);
}
