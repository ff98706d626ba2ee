import { test } from "node:test";
import * as assert from "node:assert/strict";
import { encodingVersusReference, formatSideBySide, formatTrainingSideBySide, type ReferenceResult } from "../../lib/bench/bench";
import type { StepBenchResult } from "../../lib/bench/step";

const ref = (blasThreads: number, forward: number, encode: number, architecture: ReferenceResult["architecture"] = "burgess"): ReferenceResult => ({
  framework: "PyTorch 1.13", architecture, threads: 1, blasThreads, params: 502005, batch: 64, trainImagesPerSecond: 300,
  trainImagesPerCpuSecond: 300, forwardImagesPerSecond: forward, encodeBatch: 64, encodeImagesPerSecond: encode, peakRssMB: 300,
});

test("the metrics' encoding is compared with PyTorch's fastest forward and fastest encoder of the session, on the same architecture", () => {
  const ours = { architecture: "burgess", encodeImagesPerSecond: 1000 } as StepBenchResult;
  assert.equal(
    encodingVersusReference(ours, [ref(1, 400, 250), ref(2, 800, 500), ref(1, 9000, 9000, "mlp")]),
    "metrics' encoding of dSprites (burgess) 1,000.0 img/s: 1.25x PyTorch's forward (800.0), 2.00x its encoder alone (500.0)",
  );
});

test("side-by-side rounds: ratios are taken pair by pair, then their median and range", () => {
  const text = formatSideBySide({
    rounds: [
      { ours: 1000, torchForward: 500, torchEncoder: 1000 }, // 2.00, 1.00
      { ours: 600, torchForward: 200, torchEncoder: 400 }, // 3.00, 1.50
      { ours: 1500, torchForward: 1000, torchEncoder: 500 }, // 1.50, 3.00
    ],
  });
  assert.match(text, /forward \(encoder \+ decoder, batch 64\): median 2\.00x \(1\.50-3\.00\)/);
  assert.match(text, /encoder alone \(batch 64\): +median 1\.50x \(1\.00-3\.00\)/);
  assert.match(text, /1,000\/500\/1,000, 600\/200\/400, 1,500\/1,000\/500/);
});

test("training side by side: each architecture's ratios pair by pair, median and range", () => {
  const text = formatTrainingSideBySide([
    { architecture: "burgess", rounds: [{ ours: 400, torch: 200 }, { ours: 300, torch: 300 }, { ours: 450, torch: 100 }] }, // 2, 1, 4.5
    { architecture: "chairs", rounds: [{ ours: 300, torch: 400 }] }, // 0.75
  ]);
  assert.match(text, /\n  burgess  median 2\.00x \(1\.00-4\.50; img\/s per round, ours\/PyTorch: 400\/200, 300\/300, 450\/100\)/);
  assert.match(text, /\n  chairs   median 0\.75x \(0\.75-0\.75;/);
});
