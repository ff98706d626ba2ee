/**
 * The training history (train/history.ts): CSV round trip, per-latent summaries.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { canonicalJson } from "../../lib/train/config";
import { History, finalKlPerLatent, finalPerLatent } from "../../lib/train/history";

before(async () => {
  await tf.setBackend("cpu");
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

test("finalPerLatent: any per-latent column averaged over the last rows", () => {
  const row = (kl: number[], v: number[]) => ({ step: 0, seconds: 0, recon: 0, kl: 0, loss: 0, capacity: 0, klPerLatent: kl, mu: [0, 0], muSd: [0, 0], var: v });
  const rows = [row([9, 9], [0.1, 0.1]), row([1, 0.002], [0.02, 1.1]), row([3, 0.004], [0.04, 0.7])];
  assert.deepEqual(finalPerLatent(rows, "var", 2), [0.03, 0.9]);
  assert.deepEqual(finalPerLatent(rows, "klPerLatent", 2), finalKlPerLatent(rows, 2));
  assert.deepEqual(finalPerLatent(rows, "var", 1), [0.04, 0.7]);
  assert.throws(() => finalPerLatent([], "var"), /finalPerLatent\(var\): empty history/);
});
