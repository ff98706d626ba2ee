/**
 * One training session in a partial run folder (train/session.ts): it stops early with a
 * checkpoint, resumes from the newest one, keeps the snapshots on the way, and on abort
 * checkpoints the current step before it throws (cpu backend, tiny model).
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { makeToyDataset } from "../../lib/data/toy";
import { checkpointDirs } from "../../lib/train/checkpoint";
import { makeConfig } from "../../lib/train/config";
import { trainSession } from "../../lib/train/session";
import { listSnapshots } from "../../lib/train/snapshots";
import { Trainer } from "../../lib/train/trainer";

before(async () => {
  await tf.setBackend("cpu");
});

const CONFIG = makeConfig({
  preset: "toy-vae", profile: "smoke", dataset: "toy", architecture: "tiny", numLatents: 3, batchSize: 8,
  heldOut: 16, steps: 12, historyEvery: 3, seed: 5, optimizer: { learningRate: 2e-3 },
});
const LABEL = { name: "toy", destination: "/nowhere" };

function dispose(trainer: Trainer): void {
  trainer.optimizer.dispose();
  trainer.model.dispose();
}

test("trainSession: stops early with a checkpoint, resumes from it, keeps snapshots, checkpoints and throws on abort", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-session-"));
  const first = new Trainer(CONFIG, makeToyDataset());
  await trainSession(first, dir, LABEL, { quiet: true, stopAfter: 5, checkpointEvery: 100 });
  assert.equal(first.step, 5);
  assert.deepEqual(checkpointDirs(dir).map((c) => c.step), [5]);
  assert.deepEqual(listSnapshots(dir), [1, 3]); // 5%, 10%, 25% of 12 steps (1, 1, 3); 50% (6) not reached
  dispose(first);

  // Resumed at step 5; the abort (already signalled) is seen after the first step: checkpoint 6, then the error.
  const second = new Trainer(CONFIG, makeToyDataset());
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(trainSession(second, dir, LABEL, { quiet: true, signal: controller.signal }), /^Error: \[toy\] interrupted at step 6; checkpoint saved, run again to resume$/);
  assert.equal(second.step, 6);
  assert.deepEqual(checkpointDirs(dir).map((c) => c.step), [5, 6]);
  assert.deepEqual(listSnapshots(dir), [1, 3, 6]);
  dispose(second);

  // To the end: no checkpoint at the last step (the caller writes the complete run).
  const third = new Trainer(CONFIG, makeToyDataset());
  const log = await trainSession(third, dir, LABEL, { quiet: true, checkpointEvery: 100 });
  assert.equal(third.step, CONFIG.steps);
  assert.equal(checkpointDirs(dir).at(-1)?.step, 6);
  assert.equal(typeof log, "function");
  dispose(third);
  fs.rmSync(dir, { recursive: true });
});
