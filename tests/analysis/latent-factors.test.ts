import { test } from "node:test";
import assert from "node:assert/strict";
import { latentMixing, MIXING_RATIO, type LatentFactorMap } from "../../lib/analysis";

const map: LatentFactorMap = {
  factorNames: ["color", "shape", "scale", "posX"],
  //        color shape scale posX
  nmi: [
    [0, 0.05, 0.6, 0.02], // z0: scale alone
    [0, 0.3, 0.4, 0.01], // z1: scale and shape (0.3 / 0.4 = 0.75)
    [0, 0.01, 0.02, 0.01], // z2: inactive
    [0, 0.2, 0.1, 0.5], // z3: posX, then shape at exactly 0.4 of it
  ],
  factorOfLatent: ["scale", "scale", "-", "posX"],
};

test("latentMixing ranks each active latent's two most informative factors and skips inactive ones", () => {
  const m = latentMixing(map);
  assert.deepEqual(m.map((x) => x.latent), [0, 1, 3]);
  assert.deepEqual(m.map((x) => [x.first, x.second]), [["scale", "shape"], ["scale", "shape"], ["posX", "shape"]]);
  assert.ok(Math.abs(m[1].ratio - 0.75) < 1e-12);
  assert.ok(Math.abs(m[2].ratio - 0.4) < 1e-12);
  assert.deepEqual(m.map((x) => x.mixed), [false, true, false]);
});

test("latentMixing's threshold is MIXING_RATIO unless given", () => {
  assert.equal(MIXING_RATIO, 0.5);
  assert.deepEqual(latentMixing(map, 0.4).map((x) => x.mixed), [false, true, true]);
  assert.deepEqual(latentMixing(map, 0.8).map((x) => x.mixed), [false, false, false]);
});

test("a latent with one factor to compare is an error that names it", () => {
  const one: LatentFactorMap = { factorNames: ["shape"], nmi: [[0.5]], factorOfLatent: ["shape"] };
  assert.throws(() => latentMixing(one), /z0 has fewer than two factors/);
});
