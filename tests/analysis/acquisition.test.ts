/** acquisitionOrder on hand-made histories with a known order. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { acquisitionOrder } from "../../lib/analysis/acquisition";

const row = (step: number, klPerLatent: number[]) => ({ step, klPerLatent });

test("acquisitionOrder: latents sorted by their first step above the threshold, factors deduplicated", () => {
  const history = [
    row(0, [0, 0, 0, 0]),
    row(10, [0.2, 1.5, 0, 0]),
    row(20, [0.5, 2.0, 1.2, 0.9]),
    row(30, [3.0, 2.5, 1.4, 0.95]),
  ];
  const a = acquisitionOrder(history, ["scale", "posX", "posX", "shape"]);
  assert.deepEqual(a.latents.map((l) => [l.latent, l.firstStep, l.finalKl]), [[1, 10, 2.5], [2, 20, 1.4], [0, 30, 3.0]]);
  assert.deepEqual(a.factors, ["posX", "scale"]);
  // A lower threshold lets the shape latent in, at step 20, after z1 and before z0.
  assert.deepEqual(acquisitionOrder(history, ["scale", "posX", "posX", "shape"], 0.8).factors, ["posX", "shape", "scale"]);
  // Inactive latents ("-") take no place in the factor order.
  assert.deepEqual(acquisitionOrder(history, ["-", "posY", "-", "-"]).factors, ["posY"]);
});

test("acquisitionOrder: bad input is named", () => {
  assert.throws(() => acquisitionOrder([], []), /history is empty/);
  assert.throws(() => acquisitionOrder([row(0, [1, 2])], ["posX"]), /1 factors given for 2 latents/);
});
