/**
 * The TensorFlow.js backend: which one runs (tensorflow-gpu, tensorflow, wasm or cpu, chosen at run
 * time) and, on wasm, the training kernels it lacks (wasm/).
 */
export { initBackend, currentBackend, onBackendReady, BACKEND_ORDER, type BackendName, type BackendInfo } from "./init";
export { setup, type Setup } from "./setup";
