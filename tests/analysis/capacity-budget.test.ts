/** capacityBudget: the factors' entropies and where the KL went, on hand-made inputs with known sums. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { capacityBudget } from "../../lib/analysis/capacity-budget";

const NAMES = ["shape", "scale", "orientation", "posX", "posY"];
const SIZES = [3, 6, 40, 32, 32]; // dSprites

test("capacityBudget: dSprites carries ln(737280) nats; KL summed per factor, the rest unassigned or excess", () => {
  const kl = [10.8, 0.01, 10.7, 8.5, 0.02, 0.4];
  const b = capacityBudget(NAMES, SIZES, kl, ["posX", "-", "posY", "scale", "-", "posX"]);
  assert.ok(Math.abs(b.dataEntropyNats - Math.log(737280)) < 1e-9);
  assert.ok(Math.abs(b.dataEntropyNats - 13.5107) < 1e-4);
  const byName = Object.fromEntries(b.factors.map((f) => [f.factor, f]));
  assert.deepEqual(byName.posX.latents, [0, 5]);
  assert.ok(Math.abs(byName.posX.klNats - 11.2) < 1e-12);
  assert.ok(Math.abs(byName.posX.entropyNats - Math.log(32)) < 1e-12);
  assert.deepEqual([byName.shape.latents, byName.shape.klNats, byName.shape.values], [[], 0, 3]);
  assert.ok(Math.abs(b.totalKlNats - 30.43) < 1e-9);
  assert.ok(Math.abs(b.unassignedKlNats - 0.03) < 1e-12);
  assert.ok(Math.abs(b.excessKlNats - (30.43 - Math.log(737280))) < 1e-9);
  // Below the data's entropy nothing is excess.
  assert.equal(capacityBudget(NAMES, SIZES, [1, 2], ["posX", "posY"]).excessKlNats, 0);
});

test("capacityBudget: bad input is named", () => {
  assert.throws(() => capacityBudget(NAMES, [3, 6], [1], ["posX"]), /5 factor names for 2 factor sizes/);
  assert.throws(() => capacityBudget(NAMES, SIZES, [1, 2], ["posX"]), /1 factors given for 2 latents/);
  assert.throws(() => capacityBudget(NAMES, [3, 0, 40, 32, 32], [1], ["posX"]), /factor "scale" has 0 values/);
  assert.throws(() => capacityBudget(NAMES, SIZES, [1], ["colour"]), /latent z0 is mapped to "colour", not one of shape, scale/);
});
