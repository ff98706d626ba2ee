import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildModel } from "../../lib/models";
import { traverse, decodeLatents, encodeBatch, reconstructionErrors, activeLatents, linspace } from "../../lib/analysis/inspect";
import type { ImageBatch } from "../../lib/data/dataset";
import { finalKlPerLatent } from "../../lib/train/history";

function randomImages(n: number, seed: number): ImageBatch {
  const data = new Float32Array(n * 64 * 64);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    data[i] = s / 2147483648 > 0.8 ? 1 : 0;
  }
  return { data, n, height: 64, width: 64, channels: 1 };
}

test("traversal rows decode the seed's posterior mean with one latent replaced", async () => {
  await tf.setBackend("cpu");
  const model = buildModel({ architecture: "tiny", numLatents: 4, initSeed: 1 });
  try {
    const seed = randomImages(1, 3);
    const { rows, values, latents } = traverse(model, seed, { values: [-3, 0, 3], latents: [2, 0] });
    assert.deepEqual(latents, [2, 0]);
    assert.equal(rows.length, 2);
    assert.equal(rows[0].n, 3);
    const mean = encodeBatch(model, seed).mean;
    const code = Float32Array.from(mean);
    code[2] = values[2];
    const expected = decodeLatents(model, code, 1).data;
    const got = rows[0].data.subarray(2 * 4096, 3 * 4096);
    assert.ok(got.every((v, i) => Math.abs(v - expected[i]) < 1e-6));
    // A different latent value gives a different image (the tiny decoder depends on every latent).
    assert.ok(rows[0].data.subarray(0, 4096).some((v, i) => Math.abs(v - got[i]) > 1e-4));
    assert.throws(() => traverse(model, seed, { latents: [4] }), /latent 4 is not in 0..3/);
  } finally {
    model.dispose();
  }
});

test("reconstruction errors: the Bernoulli NLL and the true squared error, per image", async () => {
  await tf.setBackend("cpu");
  const model = buildModel({ architecture: "tiny", numLatents: 3, initSeed: 2 });
  try {
    const images = randomImages(5, 7);
    const r = reconstructionErrors(model, images, "bernoulli");
    const x = tf.tensor4d(images.data, [5, 64, 64, 1]);
    const logits = model.decode(model.encode(x).zMean);
    const p = await tf.sigmoid(logits).data();
    const l = await logits.data();
    let nll = 0, se = 0;
    for (let i = 0; i < p.length; i++) {
      const t = images.data[i];
      nll += Math.max(l[i], 0) - l[i] * t + Math.log1p(Math.exp(-Math.abs(l[i])));
      se += (p[i] - t) ** 2;
    }
    assert.ok(Math.abs(r.nll - nll / 5) < 1e-3 * (nll / 5));
    assert.ok(Math.abs(r.squaredError - se / 5) < 1e-3 * (se / 5));
    tf.dispose([x, logits]);
  } finally {
    model.dispose();
  }
});

test("active latents and linspace", () => {
  assert.deepEqual(activeLatents([0.01, 2, 0.1, 0.11]), [1, 3]);
  assert.deepEqual(linspace(-3, 3, 4), [-3, -1, 1, 3]);
});

test("active latents: mean KL over the last rows above 0.1 nats", () => {
  const row = (kl: number[]) => ({ step: 0, seconds: 0, recon: 0, kl: 0, loss: 0, capacity: 0, klPerLatent: kl, mu: [], muSd: [], var: [] });
  const rows = [row([5, 0.05, 0.3]), row([7, 0.12, 0.01]), row([6, 0.1, 0.02])];
  assert.deepEqual(finalKlPerLatent(rows, 2), [6.5, 0.11, 0.015]);
  assert.deepEqual(activeLatents(finalKlPerLatent(rows, 2)), [0, 1]);
  assert.deepEqual(activeLatents(finalKlPerLatent(rows, 3)), [0, 2]);
});
