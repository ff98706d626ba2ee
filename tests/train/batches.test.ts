/**
 * Batches (train/batches.ts): a function of (seed, step), without replacement within an epoch, held-out items excluded.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { makeToyDataset } from "../../lib/data/toy";
import { BatchSchedule, streamSeed } from "../../lib/train/batches";

before(async () => {
  await tf.setBackend("cpu");
});

test("batches are a function of (seed, step), without replacement within an epoch, held-out items excluded", () => {
  const ds = makeToyDataset(); // 128 items
  const a = new BatchSchedule(ds, 1, 8, 16);
  const b = new BatchSchedule(ds, 1, 8, 16);
  const c = new BatchSchedule(ds, 2, 8, 16);
  assert.equal(a.batchesPerEpoch, 14); // floor(112 / 8)
  // b jumps straight to step 20 (epoch 1): same items as a reaching it step by step.
  for (let s = 0; s < 20; s++) a.itemsAt(s);
  assert.deepEqual(Array.from(a.itemsAt(20)), Array.from(b.itemsAt(20)));
  assert.notDeepEqual(Array.from(a.itemsAt(3)), Array.from(c.itemsAt(3)));
  const epoch0 = new Set<number>();
  for (let s = 0; s < 14; s++) for (const i of a.itemsAt(s)) epoch0.add(i);
  assert.equal(epoch0.size, 112, "one epoch visits 112 distinct items");
  const train = new Set(a.trainItems);
  for (const i of epoch0) assert.ok(train.has(i), `item ${i} is held out`);
  assert.notEqual(streamSeed(1, 5, "batch"), streamSeed(1, 5, "noise"));
  assert.notEqual(streamSeed(1, 5, "batch"), streamSeed(1, 6, "batch"));
});
