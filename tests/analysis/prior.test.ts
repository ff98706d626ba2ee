import { test } from "node:test";
import * as assert from "node:assert/strict";
import { buildModel } from "../../lib/models";
import { decodeLatents } from "../../lib/analysis/inspect";
import { samplePrior, pixelEntropy } from "../../lib/analysis/prior";
import { makeRng } from "../../lib/rng";
import type { ImageBatch } from "../../lib/data/dataset";

const batch = (values: number[]): ImageBatch => {
  const data = new Float32Array(64 * 64 * values.length);
  values.forEach((v, i) => data.fill(v, i * 4096, (i + 1) * 4096));
  return { data, n: values.length, height: 64, width: 64, channels: 1 };
};

test("pixelEntropy: 0 for binary images, ln 2 per pixel at 0.5, averaged over images", () => {
  assert.equal(pixelEntropy(batch([0, 1])), 0);
  assert.ok(Math.abs(pixelEntropy(batch([0.5])) - 4096 * Math.LN2) < 1e-6);
  const h = -(0.1 * Math.log(0.1) + 0.9 * Math.log(0.9)) * 4096;
  assert.ok(Math.abs(pixelEntropy(batch([0.1, 1])) - h / 2) < 1e-3);
  assert.throws(() => pixelEntropy(batch([1.5])), /must lie in \[0, 1\], got 1.5/);
});

test("samplePrior decodes seeded N(0, I) draws: the same seed gives the same images as decoding them", () => {
  const model = buildModel({ architecture: "tiny", numLatents: 4, initSeed: 1 });
  const a = samplePrior(model, 3, 7);
  const rng = makeRng(7);
  const z = Float32Array.from({ length: 12 }, () => rng.normal());
  const b = decodeLatents(model, z, 3);
  assert.deepEqual(a.data, b.data);
  assert.notDeepEqual(samplePrior(model, 3, 8).data, a.data);
  assert.throws(() => samplePrior(model, 0), /positive integer, got 0/);
  model.dispose();
});
