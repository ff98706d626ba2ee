/**
 * The FactorVAE metric's votes (metrics/factorvae.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { computeFactorVae } from "../../lib/metrics/factorvae";
import { makeRng } from "../../lib/rng";

test("FactorVAE votes: the latent that stays still votes for the fixed factor; pruned latents never vote", () => {
  // Latent 0 is constant within groups fixing factor 0, latent 1 within groups fixing factor 1,
  // latent 2 is constant everywhere (pruned).
  const groupSize = 4;
  const rng = makeRng(1);
  const fixed = Int32Array.from([0, 1, 0, 1, 1]);
  const codes = new Float64Array(fixed.length * groupSize * 3);
  fixed.forEach((f, g) => {
    for (let b = 0; b < groupSize; b++) {
      const row = (g * groupSize + b) * 3;
      codes[row] = f === 0 ? g : rng.normal();
      codes[row + 1] = f === 1 ? g : rng.normal();
      codes[row + 2] = 1;
    }
  });
  const global = new Float64Array(300);
  for (let i = 0; i < 100; i++) {
    global[i * 3] = rng.normal();
    global[i * 3 + 1] = rng.normal();
    global[i * 3 + 2] = 1;
  }
  const groups = { codes: { data: codes, n: codes.length / 3, numLatents: 3 }, groupSize, fixedFactor: fixed };
  const s = computeFactorVae({ data: global, n: 100, numLatents: 3 }, groups, groups, { seed: 9 });
  assert.equal(s.value, 1);
  assert.deepEqual(s.details.activeDims, [0, 1]);
  assert.deepEqual(s.details.classifier, [0, 1, -1]);
  assert.deepEqual(s.details.trainVotes, [[2, 0, 0], [0, 3, 0]]);
  assert.equal(s.seed, 9);
  assert.equal(s.numTrain, 5);
});
