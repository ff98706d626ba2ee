import { test } from "node:test";
import * as assert from "node:assert/strict";
import { factorPixelVariance } from "../../lib/data/factor-variance";
import type { GroundTruthDataset } from "../../lib/data/dataset";
import type { Rng } from "../../lib/rng";

/**
 * Three factors with known pixel variance, on 8 x 8 images: `on` (2 values) sets 10 pixels to 0 or 1
 * (variance 1/4 each: 10/4); `grey` (4 values) sets 6 other pixels to 0, 1/3, 2/3 or 1 (variance
 * 5/36 each: 6 * 5/36); `idle` (3 values) changes nothing. The factors touch disjoint pixels, so
 * the total is the sum, 10/4 + 30/36.
 */
function knownDataset(): GroundTruthDataset {
  const sizes = [2, 4, 3];
  return {
    name: "known", source: "test", numFactors: 3, factorSizes: sizes, factorNames: ["on", "grey", "idle"],
    size: 24, imageShape: [8, 8, 1],
    sampleFactors(n: number, rng: Rng): Int32Array {
      const out = new Int32Array(n * 3);
      for (let i = 0; i < n * 3; i++) out[i] = rng.int(sizes[i % 3]);
      return out;
    },
    observe(factors: Int32Array) {
      const n = factors.length / 3;
      const data = new Float32Array(n * 64);
      for (let i = 0; i < n; i++) {
        data.fill(factors[i * 3], i * 64, i * 64 + 10);
        data.fill(factors[i * 3 + 1] / 3, i * 64 + 20, i * 64 + 26);
      }
      return { data, n, height: 8, width: 8, channels: 1 };
    },
  };
}

test("factorPixelVariance recovers each factor's known pixel variance and the total, within 4 standard errors", () => {
  const r = factorPixelVariance(knownDataset(), { pairs: 4000, seed: 3 });
  const exact = { on: 10 / 4, grey: (6 * 5) / 36, idle: 0 };
  assert.deepEqual(r.factors.map((f) => f.factor), ["on", "grey", "idle"]);
  for (const f of r.factors) {
    const want = exact[f.factor as keyof typeof exact];
    assert.ok(Math.abs(f.variance - want) <= 4 * f.standardError + 1e-12, `${f.factor}: ${f.variance} +- ${f.standardError}, want ${want}`);
  }
  // A factor that changes no pixel explains exactly nothing.
  assert.equal(r.factors[2].variance, 0);
  assert.equal(r.factors[2].standardError, 0);
  const total = exact.on + exact.grey;
  assert.ok(Math.abs(r.total - total) <= 4 * r.totalStandardError, `total ${r.total} +- ${r.totalStandardError}, want ${total}`);
  assert.ok(r.factors[0].standardError > 0 && r.factors[0].standardError < 0.05);
  assert.equal(r.factors[0].share, r.factors[0].variance / r.total);
});

test("factorPixelVariance is deterministic for a seed and refuses fewer than two pairs", () => {
  const a = factorPixelVariance(knownDataset(), { pairs: 50, seed: 9 });
  const b = factorPixelVariance(knownDataset(), { pairs: 50, seed: 9 });
  assert.deepEqual(a, b);
  assert.throws(() => factorPixelVariance(knownDataset(), { pairs: 1 }), /pairs must be an integer >= 2, got 1/);
});
