/**
 * The training engine on the toy dataset with the tiny MLP (cpu backend): the loss falls, the
 * tensor count stays flat, a non-finite loss stops training at the step it happens without
 * touching the weights, the data order is a function of (seed, step), and the history and
 * progress line carry what they promise.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { makeToyDataset } from "../../lib/data/toy";
import type { GroundTruthDataset } from "../../lib/data/dataset";
import { makeConfig } from "../../lib/train/config";
import { NonFiniteLossError, Trainer } from "../../lib/train/trainer";
import { History, historyColumns } from "../../lib/train/history";

before(async () => {
  await tf.setBackend("cpu");
});

const toyConfig = (over: Parameters<typeof makeConfig>[0] = {}) =>
  makeConfig({ preset: "test", profile: "smoke", dataset: "toy", architecture: "tiny", numLatents: 4, batchSize: 8, heldOut: 0, steps: 30, historyEvery: 5, optimizer: { learningRate: 3e-3 }, ...over });

test("training on the toy set lowers the loss", () => {
  const cfg = toyConfig({ steps: 30 });
  const tr = new Trainer(cfg, makeToyDataset());
  const losses: number[] = [];
  while (tr.step < cfg.steps) losses.push(tr.trainStep().loss);
  const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
  const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
  assert.ok(last < 0.8 * first, `mean loss of the first 5 steps ${first}, of the last 5 ${last}`);
  // History: rows at 0, 5, ..., 25 and the last step (29).
  assert.deepEqual(tr.history.rows.map((r) => r.step), [0, 5, 10, 15, 20, 25, 29]);
  const df = tr.history.toDataFrame();
  assert.deepEqual(df.columns, historyColumns(4));
  const row = tr.history.rows[6];
  const klSum = row.klPerLatent.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(klSum - row.kl) < 1e-3 * Math.max(1, row.kl), `kl ${row.kl} vs sum of per-latent ${klSum}`);
  assert.ok(Math.abs(row.recon + row.kl - row.loss) < 1e-2, "VAE loss = recon + kl");
  assert.ok(row.var.every((v) => v > 0) && row.muSd.every((v) => v >= 0));
  tr.dispose();
});

test("no tensor leaks across training steps", () => {
  const cfg = toyConfig({ steps: 12, historyEvery: 2, regulariser: { kind: "capacity", gamma: 100, cMax: 5, cStopStep: 10 } });
  const tr = new Trainer(cfg, makeToyDataset());
  tr.trainStep();
  tr.trainStep(); // first steps may create lazily cached tensors
  const counts: number[] = [];
  for (let i = 0; i < 6; i++) {
    tr.trainStep();
    counts.push(tf.memory().numTensors);
  }
  assert.ok(counts.every((c) => c === counts[0]), `tensor counts ${counts.join(", ")}`);
  tr.dispose();
});

test("a NaN loss stops training with an error naming the step; the weights are those before it", () => {
  const toy = makeToyDataset();
  let calls = 0;
  const poisoned: GroundTruthDataset = {
    ...toy,
    observe(f: Int32Array) {
      const b = toy.observe(f);
      if (++calls === 4) b.data[0] = NaN; // the batch of step 3
      return b;
    },
  };
  const tr = new Trainer(toyConfig(), poisoned);
  for (let i = 0; i < 3; i++) tr.trainStep();
  const before = tr.model.variables.map((v) => Array.from(v.variable.dataSync()));
  assert.throws(() => tr.trainStep(), (e: unknown) => e instanceof NonFiniteLossError && e.step === 3 && /step 3/.test(e.message));
  const after = tr.model.variables.map((v) => Array.from(v.variable.dataSync()));
  assert.deepEqual(after, before);
  assert.equal(tr.step, 3);
  tr.dispose();
});
