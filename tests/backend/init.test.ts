/**
 * The backend choice (backend/init.ts): a bad BVAE_BACKEND is named. End to end on the wasm
 * backend with the training kernels: a small tf.layers conv autoencoder (conv2d 4x4 s2 "same", a
 * valid 4x4 conv to 1x1, dense, conv2dTranspose back) trains with
 * optimizer.minimize, its gradients equal the cpu backend's, and neither the tensor count nor the
 * backend's buffers grow across steps.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/backend/init";
import { lcgValues } from "../lcg-values";

/** Deterministic values in [lo, lo + 1). */
const values = (n: number, seed: number, lo = 0): Float32Array => lcgValues(n, seed, lo);

/** [b, 16, 16, 1] -> [b, 16, 16, 1] logits through every kind of conv layer the models use. */
function buildAutoencoder(): tf.Sequential {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [16, 16, 1], filters: 8, kernelSize: 4, strides: 2, padding: "same", activation: "relu", kernelInitializer: init(1) }), // [b, 8, 8, 8]
      tf.layers.conv2d({ filters: 8, kernelSize: 4, strides: 2, padding: "same", activation: "relu", kernelInitializer: init(2) }), // [b, 4, 4, 8]
      tf.layers.conv2d({ filters: 16, kernelSize: 4, padding: "valid", activation: "relu", kernelInitializer: init(3) }), // [b, 1, 1, 16]
      tf.layers.flatten(),
      tf.layers.dense({ units: 4, kernelInitializer: init(4) }), // [b, 4]
      tf.layers.dense({ units: 16, activation: "relu", kernelInitializer: init(5) }),
      tf.layers.reshape({ targetShape: [1, 1, 16] }),
      tf.layers.conv2dTranspose({ filters: 8, kernelSize: 4, padding: "valid", activation: "relu", kernelInitializer: init(6) }), // [b, 4, 4, 8]
      tf.layers.conv2dTranspose({ filters: 8, kernelSize: 4, strides: 2, padding: "same", activation: "relu", kernelInitializer: init(7) }), // [b, 8, 8, 8]
      tf.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: "same", kernelInitializer: init(8) }), // [b, 16, 16, 1]
    ],
  });
}

function loss(model: tf.Sequential, x: tf.Tensor4D): tf.Scalar {
  const logits = model.apply(x) as tf.Tensor4D;
  return tf.losses.sigmoidCrossEntropy(x, logits) as tf.Scalar;
}

// First, while no backend is chosen yet (initBackend keeps its first choice for the process).
test("backend: a bad BVAE_BACKEND is an error that lists the choices", async () => {
  await assert.rejects(initBackend({ env: { BVAE_BACKEND: "gpu" }, quiet: true }), /BVAE_BACKEND="gpu" is not one of/);
});

/** The wasm backend with the training kernels (the first call chooses it; later calls return that choice). */
const wasm = () => initBackend({ quiet: true, env: { BVAE_BACKEND: "wasm" } });

test("tf.layers conv gradients on wasm equal the cpu backend's", async () => {
  await wasm();
  const model = buildAutoencoder();
  const batch = 5;
  const xs = values(batch * 256, 11);
  const grads = async (backend: "cpu" | "wasm"): Promise<Map<string, Float32Array>> => {
    await tf.setBackend(backend);
    const out = new Map<string, Float32Array>();
    tf.tidy(() => {
      const x = tf.tensor4d(xs, [batch, 16, 16, 1]);
      const { grads: g } = tf.variableGrads(() => loss(model, x));
      for (const [k, v] of Object.entries(g)) out.set(k, v.dataSync() as Float32Array);
    });
    return out;
  };
  const want = await grads("cpu");
  const got = await grads("wasm");
  assert.equal(got.size, 16, "8 weighted layers x (kernel, bias)");
  for (const [name, w] of want) {
    const g = got.get(name);
    assert.ok(g, `no gradient for ${name} on wasm`);
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < w.length; i++) {
      diff = Math.max(diff, Math.abs(g[i] - w[i]));
      scale = Math.max(scale, Math.abs(w[i]));
    }
    assert.ok(scale > 0, `${name}: zero gradient, the test would prove nothing`);
    assert.ok(diff / scale < 1e-4, `${name}: relative error ${(diff / scale).toExponential(2)}`);
  }
  model.dispose();
});

test("training steps on wasm: loss falls, tensor count and backend buffers stay flat", async () => {
  await wasm();
  await tf.setBackend("wasm");
  const model = buildAutoencoder();
  const optimizer = tf.train.adam(3e-3);
  const x = tf.tensor4d(values(8 * 256, 5).map((v) => (v > 0.7 ? 1 : 0)), [8, 16, 16, 1]);
  const step = (): number => {
    const l = optimizer.minimize(() => loss(model, x), true) as tf.Scalar;
    const v = l.dataSync()[0];
    l.dispose();
    return v;
  };
  const first = step(); // creates the optimizer's slots
  step();
  const tensors = tf.memory().numTensors;
  const buffers = tf.engine().backend.numDataIds();
  let last = first;
  for (let i = 0; i < 20; i++) last = step();
  assert.equal(tf.memory().numTensors, tensors, "tensor count grew across steps");
  assert.equal(tf.engine().backend.numDataIds(), buffers, "wasm buffers grew across steps (a kernel leaks scratch)");
  assert.ok(Number.isFinite(last) && last < first, `loss did not fall: ${first} -> ${last}`);
  x.dispose();
  optimizer.dispose();
  model.dispose();
});
