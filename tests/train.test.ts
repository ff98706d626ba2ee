/**
 * The training engine on the toy dataset with the tiny MLP (cpu backend): the loss falls, the
 * tensor count stays flat, a non-finite loss stops training at the step it happens without
 * touching the weights, the data order is a function of (seed, step), and the history and
 * progress line carry what they promise.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { makeToyDataset } from "../lib/data/toy";
import type { GroundTruthDataset } from "../lib/data/dataset";
import { makeConfig, canonicalJson } from "../lib/train/config";
import { NonFiniteLossError, Trainer } from "../lib/train/trainer";
import { BatchSchedule, streamSeed } from "../lib/train/batches";
import { History, historyColumns, finalKlPerLatent, finalPerLatent } from "../lib/train/history";
import { activeLatents } from "../lib/analysis/inspect";
import { Progress, formatDuration } from "../lib/train/progress";
import { Adam } from "../lib/train/adam";

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

test("Adam matches a hand-written float64 update on a quadratic", () => {
  tf.tidy(() => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const opt = new Adam({ learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, [{ name: "w", variable: w }]);
    let ref = [1, -2];
    let m = [0, 0];
    let v = [0, 0];
    for (let t = 1; t <= 5; t++) {
      const g = ref.map((x) => 2 * x); // d/dw of w^2
      opt.apply([tf.mul(2, w)]);
      m = m.map((mi, i) => 0.9 * mi + 0.1 * g[i]);
      v = v.map((vi, i) => 0.999 * vi + 0.001 * g[i] ** 2);
      ref = ref.map((x, i) => x - ((0.1 / (1 - 0.9 ** t)) * m[i]) / (Math.sqrt(v[i]) / Math.sqrt(1 - 0.999 ** t) + 1e-8));
    }
    const got = Array.from(w.dataSync());
    got.forEach((x, i) => assert.ok(Math.abs(x - ref[i]) < 1e-5, `w[${i}] ${x} vs ${ref[i]}`));
    opt.dispose();
  });
});

test("history survives a CSV round trip", async () => {
  const h = new History(2);
  h.push({ step: 0, seconds: 0.5, recon: 100.25, kl: 1.5, loss: 101.75, capacity: 0, klPerLatent: [1, 0.5], mu: [0.1, -0.2], muSd: [1, 0.5], var: [0.3, 0.9] });
  h.push({ step: 10, seconds: 1.5, recon: Math.fround(90.1), kl: 2, loss: 92, capacity: 0.25, klPerLatent: [1.5, 0.5], mu: [0, 0], muSd: [1, 1], var: [1e-9, 1] });
  const fs = await import("node:fs");
  const os = await import("node:os");
  const path = await import("node:path");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-hist-"));
  h.save(path.join(dir, "h.csv"));
  const back = History.load(path.join(dir, "h.csv"), 2);
  assert.equal(canonicalJson(back.rows), canonicalJson(h.rows));
  fs.rmSync(dir, { recursive: true });
});

test("progress line: rate, images/s, ETA; plain lines when not a TTY", () => {
  let t = 0;
  const out: string[] = [];
  const p = new Progress({ label: "run", totalSteps: 100, batchSize: 64, everySeconds: 10, stream: { write: (s: string) => out.push(s), isTTY: false }, now: () => t }, 0);
  t = 5000;
  p.update(10, { loss: 1, recon: 0.5, kl: 0.5 });
  t = 6000;
  p.update(12, { loss: 1, recon: 0.5, kl: 0.5 }); // within 10 s of the last line: silent
  t = 20000;
  p.update(40, { loss: 1, recon: 0.5, kl: 0.5 });
  assert.equal(out.length, 2);
  assert.match(out[0], /step 10\/100 \(10\.0%\)\s+2\.00 steps\/s\s+128 img\/s\s+ETA 45s/);
  assert.match(out[1], /step 40\/100 .* ETA 30s/);
  assert.equal(formatDuration(3 * 3600 + 5 * 60), "3h05m");
});

test("active latents: mean KL over the last rows above 0.1 nats", () => {
  const row = (kl: number[]) => ({ step: 0, seconds: 0, recon: 0, kl: 0, loss: 0, capacity: 0, klPerLatent: kl, mu: [], muSd: [], var: [] });
  const rows = [row([5, 0.05, 0.3]), row([7, 0.12, 0.01]), row([6, 0.1, 0.02])];
  assert.deepEqual(finalKlPerLatent(rows, 2), [6.5, 0.11, 0.015]);
  assert.deepEqual(activeLatents(finalKlPerLatent(rows, 2)), [0, 1]);
  assert.deepEqual(activeLatents(finalKlPerLatent(rows, 3)), [0, 2]);
});

test("finalPerLatent: any per-latent column averaged over the last rows", () => {
  const row = (kl: number[], v: number[]) => ({ step: 0, seconds: 0, recon: 0, kl: 0, loss: 0, capacity: 0, klPerLatent: kl, mu: [0, 0], muSd: [0, 0], var: v });
  const rows = [row([9, 9], [0.1, 0.1]), row([1, 0.002], [0.02, 1.1]), row([3, 0.004], [0.04, 0.7])];
  assert.deepEqual(finalPerLatent(rows, "var", 2), [0.03, 0.9]);
  assert.deepEqual(finalPerLatent(rows, "klPerLatent", 2), finalKlPerLatent(rows, 2));
  assert.deepEqual(finalPerLatent(rows, "var", 1), [0.04, 0.7]);
  assert.throws(() => finalPerLatent([], "var"), /finalPerLatent\(var\): empty history/);
});
