/**
 * The metrics' encoder (lib/metrics/model-encoder.ts) and its blank-background convolutions
 * (lib/backend/wasm/blank-conv.ts) on the wasm backend: recomputing only the windows an image's
 * pixels reach gives the same bits as recomputing every output; the codes agree with model.encode
 * (XNNPACK's fused convolutions) to float32 rounding; the windows are the receptive fields.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/backend/init";
import { blankConvStack, nonzeroBox, outputWindow } from "../../lib/backend/wasm/blank-conv";
import { convGeometry } from "../../lib/backend/wasm/conv-geometry";
import { openDsprites } from "../../lib/data/dsprites";
import type { ImageBatch } from "../../lib/data/dataset";
import { leadingConvStack, modelEncoder } from "../../lib/metrics/model-encoder";
import { buildModel } from "../../lib/models/vae";
import type { ArchitectureName } from "../../lib/models/types";
import { makeRng } from "../../lib/rng";
import { lcgValues } from "../lcg-values";
import { relError } from "../rel-error";

const wasm = () => initBackend({ quiet: true, env: { BVAE_BACKEND: "wasm" } });

/** n dSprites images (seeded), plus a blank one, one with a single pixel in each corner, and one of noise. */
function images(n: number): ImageBatch {
  const ds = openDsprites();
  const some = ds.observe(ds.sampleFactors(n, makeRng(3)));
  const per = 64 * 64;
  const data = new Float32Array((n + 6) * per);
  data.set(some.data);
  const corners = [0, 63, 63 * 64, 64 * 64 - 1];
  corners.forEach((p, i) => { data[(n + 1 + i) * per + p] = 1; });
  const noise = lcgValues(per, 9);
  for (let i = 0; i < per; i++) data[(n + 5) * per + i] = noise[i] > 0.3 ? 1 : 0;
  return { n: n + 6, height: 64, width: 64, channels: 1, data };
}

for (const [arch, convs] of [["burgess", 4], ["chairs", 4]] as [ArchitectureName, number][]) {
  test(`${arch}: the blank-background convolutions equal full ones bit for bit; codes match model.encode`, async () => {
    await wasm();
    const model = buildModel({ architecture: arch, numLatents: 10, channels: 1, initSeed: 5 });
    // Larger biases than the initialiser's zeros, so the blank image's outputs are not all zero.
    for (const layer of model.encoder.layers.slice(0, convs)) {
      const [kernel, bias] = layer.getWeights();
      layer.setWeights([kernel, tf.tensor1d(lcgValues(bias.size, 11))]);
    }
    const batch = images(40);
    const stack = leadingConvStack(model, [64, 64, 1]);
    assert.ok(stack, "the stack is built on wasm");
    assert.equal(stack.layers, convs);
    try {
      const fast = stack.apply(batch.data, batch.n);
      const full = stack.apply(batch.data, batch.n, "full");
      assert.equal(fast.length, batch.n * stack.outShape.reduce((a, b) => a * b, 1));
      assert.ok(fast.every((v, i) => Object.is(v, full[i])), "bit-identical to recomputing every output");
      // Same bits again (scratch restored between images and calls).
      assert.ok(stack.apply(batch.data, batch.n).every((v, i) => Object.is(v, fast[i])));
    } finally {
      stack.dispose();
    }
    const codes = modelEncoder(model, 16)(batch);
    const reference = modelEncoder(model, 16, { BVAE_ENCODE_BLANK: "0" })(batch);
    const err = relError(codes, reference);
    assert.ok(err < 1e-5, `codes vs model.encode: max relative error ${err.toExponential(2)}`);
    model.dispose();
  });
}

test("the MLP has no leading convolution: modelEncoder encodes with model.encode", async () => {
  await wasm();
  const model = buildModel({ architecture: "mlp", numLatents: 4, channels: 1, initSeed: 1 });
  assert.equal(leadingConvStack(model, [64, 64, 1]), undefined);
  model.dispose();
});

test("blankConvStack stops at the first geometry the direct kernel does not cover", async () => {
  await wasm();
  const spec = (inC: number, outC: number, pad: "same" | "valid") => ({
    filter: tf.zeros([4, 4, inC, outC]) as tf.Tensor4D, bias: tf.zeros([outC]) as tf.Tensor1D,
    strides: [2, 2] as const, pad, activation: "relu" as const,
  });
  // outC 12 is not a multiple of 8.
  const specs = [spec(1, 8, "same"), spec(8, 12, "same"), spec(12, 16, "same")];
  const stack = blankConvStack(specs, [16, 16, 1]);
  assert.ok(stack);
  assert.equal(stack.layers, 1);
  assert.deepEqual(stack.outShape, [8, 8, 8]);
  stack.dispose();
  assert.throws(() => stack.apply(new Float32Array(256), 1), /after dispose/);
  for (const s of specs) tf.dispose([s.filter, s.bias]);
});

test("outputWindow: the outputs whose receptive field meets the box, columns in 4-pixel tiles", () => {
  // 64 -> 32, 4x4 stride 2, 'same': padTop = padLeft = 1; output o sees input rows 2o-1 .. 2o+2.
  const g = convGeometry([1, 64, 64, 1], [4, 4, 1, 32], { strides: 2, pad: "same" }, "test");
  assert.equal(g.padTop, 1);
  assert.deepEqual(outputWindow(g, { r0: 10, r1: 12, c0: 10, c1: 12 }), { r0: 4, r1: 6, c0: 4, c1: 7 });
  assert.deepEqual(outputWindow(g, { r0: 0, r1: 0, c0: 63, c1: 63 }), { r0: 0, r1: 0, c0: 28, c1: 31 });
  // 4x4 'valid' to 1x1: every input pixel reaches the one output.
  const v = convGeometry([1, 4, 4, 8], [4, 4, 8, 8], { strides: 1, pad: "valid" }, "test");
  assert.deepEqual(outputWindow(v, { r0: 2, r1: 2, c0: 3, c1: 3 }), { r0: 0, r1: 0, c0: 0, c1: 0 });
});

test("nonzeroBox: the bounding box of pixels with any nonzero channel", () => {
  const img = new Float32Array(5 * 6 * 3);
  assert.ok(nonzeroBox(img, 5, 6, 3).r0 > nonzeroBox(img, 5, 6, 3).r1, "blank: empty");
  img[(1 * 6 + 4) * 3 + 2] = 0.5; // row 1, column 4, channel 2
  img[(3 * 6 + 2) * 3 + 0] = -1; // row 3, column 2
  assert.deepEqual(nonzeroBox(img, 5, 6, 3), { r0: 1, r1: 3, c0: 2, c1: 4 });
});
