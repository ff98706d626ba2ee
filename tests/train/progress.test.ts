/**
 * The progress line (train/progress.ts).
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Progress, formatDuration } from "../../lib/train/progress";

before(async () => {
  await tf.setBackend("cpu");
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

test("progress line with a stop before the run's end: ETA to the stop, then to the end; the stop's line is the last", () => {
  let t = 0;
  const out: string[] = [];
  const stream = { write: (s: string) => out.push(s), isTTY: false };
  const p = new Progress({ label: "run", totalSteps: 100, stopAt: 50, batchSize: 64, everySeconds: 10, stream, now: () => t }, 20);
  t = 10000;
  p.update(30, { loss: 1, recon: 0.5, kl: 0.5 }); // 1 step/s: 20 s to the stop at 50, 70 s to 100
  t = 11000;
  p.update(50, { loss: 1, recon: 0.5, kl: 0.5 }); // within 10 s, but the session's last step: printed
  assert.equal(out.length, 2);
  assert.match(out[0], /step 30\/100 \(30\.0%\)\s+1\.00 steps\/s .*ETA 20s to the stop at 50 \(1m10s to 100\)/);
  assert.match(out[1], /step 50\/100 .*ETA 0s to the stop at 50/);
});
