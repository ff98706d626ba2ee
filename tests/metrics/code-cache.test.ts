/**
 * The code cache (lib/metrics/code-cache.ts) changes no score: each distinct image is encoded
 * once, and the scores equal those of encoding every draw, bit for bit, and the values the code
 * gave before the cache existed (pinned below).
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { GroundTruthDataset } from "../../lib/data/dataset";
import { openDsprites } from "../../lib/data/dsprites";
import { dspritesIndex } from "../../lib/data/dsprites-spec";
import { buildModel } from "../../lib/models/vae";
import { evaluateAll, sampleHigginsPoints } from "../../lib/metrics/adapter";
import { cachedEncoder, gridIndex } from "../../lib/metrics/code-cache";
import { isFactorEncoder } from "../../lib/metrics/encoder";
import { modelEncoder } from "../../lib/metrics/model-encoder";
import { syntheticDataset, syntheticEncoder } from "../../lib/metrics/synthetic";
import { higginsBaselineTable } from "../../lib/baselines/higgins-table";
import { makeRng, type Rng } from "../../lib/rng";

before(async () => {
  await tf.setBackend("cpu");
});

const dsprites = openDsprites({ source: "generated" });

/** dSprites drawing only 3 x 2 x 2 x 4 x 4 = 192 factor combinations, so draws repeat a lot. */
function fewSprites(): GroundTruthDataset {
  const limit = [1, 3, 2, 2, 4, 4];
  return {
    ...dsprites,
    name: "dsprites-few",
    factorSizes: dsprites.factorSizes,
    factorNames: dsprites.factorNames,
    numFactors: dsprites.numFactors,
    size: dsprites.size,
    imageShape: dsprites.imageShape,
    sampleFactors(n: number, rng: Rng): Int32Array {
      const out = new Int32Array(n * 6);
      for (let i = 0; i < n * 6; i++) out[i] = rng.int(limit[i % 6]);
      return out;
    },
    observe: (f: Int32Array) => dsprites.observe(f),
  };
}

test("grid index is dSprites' official index", () => {
  const rng = makeRng(1);
  const f = dsprites.sampleFactors(200, rng);
  for (let i = 0; i < 200; i++) assert.equal(gridIndex(dsprites.factorSizes, f, i * 6), dspritesIndex(f, i * 6));
  assert.throws(() => gridIndex(dsprites.factorSizes, Int32Array.from([0, 3, 0, 0, 0, 0]), 0), /factor 1 class 3 is out of range/);
});

test("a model's codes through the cache equal encoding every draw, bit for bit; each image is encoded once", () => {
  const model = buildModel({ architecture: "tiny", numLatents: 4, channels: 1, initSeed: 2 });
  const ds = fewSprites();
  const enc = cachedEncoder(ds, modelEncoder(model), { chunk: 50 });
  const sizes = { numTrain: 30, numEval: 20, batchSize: 8 };
  const a = sampleHigginsPoints(ds, enc, 60, 8, makeRng(4), 256);
  const b = sampleHigginsPoints(ds, modelEncoder(model), 60, 8, makeRng(4), 256);
  assert.deepEqual(a.labels, b.labels);
  assert.deepEqual(a.features, b.features); // bitwise (Float32Array element equality)
  // The progress callback sees every chunk of points (256 codes = 16 pairs of batches of 8 a call), and changes nothing.
  const seen: [number, number][] = [];
  const c = sampleHigginsPoints(ds, modelEncoder(model), 60, 8, makeRng(4), 256, (done, total) => seen.push([done, total]));
  assert.deepEqual(seen, [[16, 60], [32, 60], [48, 60], [60, 60]]);
  assert.deepEqual(c.features, b.features);
  const { encoded, served } = enc.stats();
  assert.equal(served, 60 * 16);
  assert.ok(encoded <= 192, `encoded ${encoded} distinct images`);
  // Every metric, cached (default) and not.
  const cached = evaluateAll(ds, modelEncoder(model), { ...sizes, numVarianceSamples: 50, seed: 3 });
  const plain = evaluateAll(ds, modelEncoder(model), { ...sizes, numVarianceSamples: 50, seed: 3, cacheCodes: false });
  assert.deepEqual(cached, plain);
  model.dispose();
});

test("scores on dSprites equal those of the code before the cache (pinned)", () => {
  const model = buildModel({ architecture: "tiny", numLatents: 4, channels: 1, initSeed: 2 });
  const scores = evaluateAll(dsprites, modelEncoder(model), { numTrain: 40, numEval: 20, batchSize: 8, numVarianceSamples: 100, seed: 7 });
  model.dispose();
  // Computed with the adapter of commit a22b874 (no cache), cpu backend.
  const pinned: Record<string, number> = { higgins: 0.15, factorvae: 0.25, mig: 0.047989043135743106, dci: 0.006340279387094417, sap: 0 };
  for (const s of scores) assert.equal(s.value, pinned[s.metric], s.metric);
});

test("stochastic encoders are not cached; a cache too large for memory steps aside", () => {
  const ds = syntheticDataset([1, 3, 4, 5]);
  const sizes = { numTrain: 50, numEval: 30, batchSize: 8, numVarianceSamples: 60, seed: 2 };
  const noisy = evaluateAll(ds, syntheticEncoder(ds, "padded", 1), sizes, { metrics: ["higgins", "mig"] });
  const noisyPlain = evaluateAll(ds, syntheticEncoder(ds, "padded", 1), { ...sizes, cacheCodes: false }, { metrics: ["higgins", "mig"] });
  assert.deepEqual(noisy, noisyPlain);
  const big = cachedEncoder(ds, syntheticEncoder(ds, "rotated", 1), { maxBytes: 16 });
  assert.ok(isFactorEncoder(big));
  const f = ds.sampleFactors(40, makeRng(9));
  assert.deepEqual(big.byFactors(f), syntheticEncoder(ds, "rotated", 1)(ds.observe(f)));
  assert.equal(big.stats().bypassed, true);
  const small = cachedEncoder(ds, syntheticEncoder(ds, "rotated", 1));
  assert.deepEqual(small.byFactors(f), syntheticEncoder(ds, "rotated", 1)(ds.observe(f)));
  assert.deepEqual(small.byFactors(f), syntheticEncoder(ds, "rotated", 1)(ds.observe(f)));
  assert.equal(small.stats().bypassed, false);
  assert.ok(small.stats().encoded <= 60);
});

test("the Higgins baseline table gives the same rows with and without the cache", () => {
  const model = buildModel({ architecture: "tiny", numLatents: 4, channels: 1, initSeed: 0 });
  const cfg = { numTrain: 20, numEval: 10, batchSize: 4, numFitImages: 200, numComponents: 3, seed: 1, baselines: ["raw-pixels", "pca", "untrained-vae"] as const };
  const cached = higginsBaselineTable(dsprites, { ...cfg, untrainedVae: modelEncoder(model) });
  const plain = higginsBaselineTable(dsprites, { ...cfg, untrainedVae: modelEncoder(model), cacheCodes: false });
  model.dispose();
  assert.deepEqual(cached, plain);
  assert.deepEqual(cached.map((r) => r.baseline), ["raw-pixels", "pca", "untrained-vae"]);
});
