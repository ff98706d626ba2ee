/**
 * runScores: computes every metric of a run once, stores the scores with the run (metrics.json, or
 * metrics-step-<step>.json for a partial run) and reads them back on the next call, unchanged.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadLatest, trainOrLoad } from "../../lib/runs";
import { makeConfig } from "../../lib/train/config";
import { openDataset } from "../../lib/train/datasets";
import { encodingProgress, profileProtocol, runScores, scoreHistory, scoreTrend, storedScores } from "../../lib/runs/scores";
import { METRIC_NAMES } from "../../lib/metrics/types";
import { ADAPTER_DEFAULTS, evaluateAll } from "../../lib/metrics/adapter";
import { modelEncoder } from "../../lib/metrics/model-encoder";

before(async () => {
  await tf.setBackend("cpu");
});

const CONFIG = makeConfig({
  preset: "toy-vae", profile: "smoke", dataset: "toy", architecture: "tiny", numLatents: 3, batchSize: 8,
  heldOut: 16, steps: 8, historyEvery: 4, seed: 21, optimizer: { learningRate: 2e-3 },
});
const PROTOCOL = { numTrain: 60, numEval: 30, batchSize: 8, seed: 4 };

test("runScores: computed once, stored with the run, then read back", async () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-run-scores-"));
  const run = await trainOrLoad(CONFIG, { runsDir, quiet: true });
  const ds = openDataset("toy");
  const first = runScores(run, ds, PROTOCOL);
  assert.deepEqual(first.storedMetrics, []);
  assert.equal(first.file, "metrics.json");
  assert.deepEqual(first.scores.map((s) => s.metric), [...METRIC_NAMES]);
  // The same numbers as evaluating directly with this protocol.
  const direct = evaluateAll(ds, modelEncoder(run.model), PROTOCOL);
  assert.deepEqual(first.scores.map((s) => s.value), direct.map((s) => s.value));
  const again = runScores(run, ds, PROTOCOL, { onScore: () => assert.fail("nothing should be computed") });
  assert.deepEqual(again.storedMetrics, [...METRIC_NAMES]);
  assert.deepEqual(again.scores.map((s) => s.value), first.scores.map((s) => s.value));
  // A non-default FactorVAE variance sample is computed afresh and stored apart, under its own protocol.
  const small = runScores(run, ds, { ...PROTOCOL, numVarianceSamples: 100 });
  assert.deepEqual(small.storedMetrics, []);
  assert.equal(small.written, true);
  assert.equal(small.computed?.protocol.numVarianceSamples, 100);
  assert.equal(first.written, true);
  assert.equal(first.computed?.protocol.numVarianceSamples, undefined, "the reference's 10000 is stored as before, unnamed");
  assert.deepEqual(runScores(run, ds, PROTOCOL, { onScore: () => assert.fail("stored") }).scores.map((s) => s.value), first.scores.map((s) => s.value));
  assert.deepEqual(runScores(run, ds, { ...PROTOCOL, numVarianceSamples: 100 }, { onScore: () => assert.fail("stored") }).scores.map((s) => s.value), small.scores.map((s) => s.value));
  assert.deepEqual(runScores(run, ds, { ...PROTOCOL, numVarianceSamples: 10000 }, { onScore: () => assert.fail("stored") }).storedMetrics, [...METRIC_NAMES]);
  assert.deepEqual(scoreHistory(run, { ...PROTOCOL, numVarianceSamples: 100 }).map((p) => p.value), small.scores.map((s) => s.value));
  // A subset, in the requested order, read from the stored entry.
  const sub = runScores(run, ds, PROTOCOL, { metrics: ["mig", "higgins"], onScore: () => assert.fail("stored") });
  assert.deepEqual(sub.scores.map((s) => s.metric), ["mig", "higgins"]);
  assert.equal(sub.computed, undefined);
  // force recomputes the wanted metrics (same seed, same values) and replaces them in the file.
  const seen: string[] = [];
  const forced = runScores(run, ds, PROTOCOL, { metrics: ["sap"], force: true, onScore: (s) => seen.push(s.metric) });
  assert.deepEqual(seen, ["sap"]);
  assert.equal(forced.written, true);
  assert.deepEqual(forced.computed?.scores.map((s) => s.value), [first.scores.find((s) => s.metric === "sap")!.value]);
  const file = JSON.parse(fs.readFileSync(path.join(run.dir, "metrics.json"), "utf8"));
  assert.equal(file.entries.length, 2, "the reference protocol and the one with 100 variance samples");
  assert.deepEqual(file.entries[0].scores.map((s: { metric: string }) => s.metric).sort(), [...METRIC_NAMES].sort());
  // Another protocol is computed afresh.
  assert.deepEqual(runScores(run, ds, { ...PROTOCOL, seed: 5 }, { store: false }).storedMetrics, []);
  run.model.dispose();
  assert.throws(() => runScores(run, openDataset("dsprites"), PROTOCOL), /trained on "toy"/);
});

test("runScores: onEncoded counts the images the model encodes (each distinct image once); encodingProgress prints them", async () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-run-scores-"));
  const run = await trainOrLoad(makeConfig({ ...CONFIG, seed: 23 }), { runsDir, quiet: true });
  const ds = openDataset("toy");
  const counts: number[] = [];
  const counted = runScores(run, ds, PROTOCOL, { store: false, onEncoded: (n) => counts.push(n) });
  assert.ok(counts.length > 1, `called after each batch (${counts.length} calls)`);
  assert.ok(counts.every((n, i) => i === 0 || n > counts[i - 1]), "the count only grows");
  const last = counts[counts.length - 1];
  // Each distinct image once, and the one image the code cache encodes first to learn the code width.
  assert.ok(last > 0 && last <= ds.size + 1, `${last} images encoded; the dataset has ${ds.size}`);
  // Counting changes no score.
  const plain = runScores(run, ds, PROTOCOL, { store: false });
  assert.deepEqual(counted.scores.map((s) => s.value), plain.scores.map((s) => s.value));
  run.model.dispose();
  const lines: string[] = [];
  const every = encodingProgress("toy run", 1000, (l) => lines.push(l), 0);
  every(256);
  every(1000);
  assert.equal(lines.length, 2);
  assert.match(lines[1], /^toy run: encoded 1,000 images \(the dataset has 1,000; [\d,]+ img\/s\)$/);
  const rare = encodingProgress("toy run", 1000, (l) => lines.push(l), 3600);
  rare(10);
  assert.equal(lines.length, 2, "nothing before its interval has passed");
});

test("runScores: a partial run's scores go beside its checkpoints, tagged with the step", async () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-run-scores-"));
  const cfg = makeConfig({ ...CONFIG, seed: 22 });
  (await trainOrLoad(cfg, { runsDir, quiet: true, stopAfter: 4, checkpointEvery: 2 })).model.dispose();
  const part = loadLatest(cfg, { runsDir })!;
  assert.equal(part.complete, false);
  const s = runScores(part, openDataset("toy"), PROTOCOL);
  assert.equal(s.file, "metrics-step-4.json");
  const stored = JSON.parse(fs.readFileSync(path.join(part.dir, "metrics-step-4.json"), "utf8"));
  assert.equal(stored.entries[0].step, 4);
  assert.deepEqual(runScores(part, openDataset("toy"), PROTOCOL).storedMetrics, [...METRIC_NAMES]);
  part.model.dispose();
});

test("scoreHistory: the scores of every scored stage, kept when the partial run completes", async () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-run-scores-"));
  const cfg = makeConfig({ ...CONFIG, seed: 23 });
  const ds = openDataset("toy");
  (await trainOrLoad(cfg, { runsDir, quiet: true, stopAfter: 4, checkpointEvery: 2 })).model.dispose();
  const part = loadLatest(cfg, { runsDir })!;
  const early = runScores(part, ds, PROTOCOL).scores;
  assert.deepEqual(scoreHistory(part, PROTOCOL), early.map((s) => ({ step: 4, metric: s.metric, value: s.value })));
  part.model.dispose();
  // Training on to the end: the complete run keeps the checkpoint's scores beside its own.
  const run = await trainOrLoad(cfg, { runsDir, quiet: true });
  assert.ok(run.complete);
  assert.ok(fs.existsSync(path.join(run.dir, "metrics-step-4.json")), "the checkpoint's scores moved with the run");
  assert.deepEqual(scoreHistory(run, PROTOCOL).map((p) => p.step), Array(METRIC_NAMES.length).fill(4), "the final weights are not scored yet");
  const late = runScores(run, ds, PROTOCOL, { metrics: ["mig", "higgins"] }).scores;
  const history = scoreHistory(run, PROTOCOL);
  assert.deepEqual(history.slice(0, METRIC_NAMES.length).map((p) => p.value), early.map((s) => s.value));
  // The final stage: only the metrics computed, in METRIC_NAMES order.
  assert.deepEqual(history.slice(METRIC_NAMES.length), [
    { step: 8, metric: "higgins", value: late[1].value },
    { step: 8, metric: "mig", value: late[0].value },
  ]);
  assert.deepEqual(scoreHistory(run, { ...PROTOCOL, seed: 99 }), [], "another protocol's scores are not mixed in");
  // A scores file whose entry belongs to another step is a clear error naming it.
  const bad = JSON.parse(fs.readFileSync(path.join(run.dir, "metrics-step-4.json"), "utf8"));
  bad.entries[0].step = 6;
  fs.writeFileSync(path.join(run.dir, "metrics-step-4.json"), JSON.stringify(bad));
  assert.throws(() => scoreHistory(run, PROTOCOL), /metrics-step-4\.json: its entry is tagged step 6, expected 4/);
  run.model.dispose();
  fs.rmSync(runsDir, { recursive: true, force: true });
});

test("scoreTrend: first, best and last stage of one metric, in step order", () => {
  const h = [
    { step: 30, metric: "mig" as const, value: 0.25 },
    { step: 5, metric: "mig" as const, value: 0.18 },
    { step: 5, metric: "sap" as const, value: 0.9 },
    { step: 15, metric: "mig" as const, value: 0.31 },
  ];
  const t = scoreTrend(h, "mig")!;
  assert.deepEqual([t.first.step, t.best.step, t.last.step, t.stages], [5, 15, 30, 3]);
  assert.equal(t.best.value, 0.31);
  assert.deepEqual(scoreTrend(h, "sap"), { metric: "sap", first: h[2], best: h[2], last: h[2], stages: 1 });
  assert.equal(scoreTrend(h, "dci"), undefined);
});

test("profileProtocol: the notebooks' protocol is bvae eval's default (the reference) at every trained profile", () => {
  const reference = {
    numTrain: ADAPTER_DEFAULTS.numTrain, numEval: ADAPTER_DEFAULTS.numEval, batchSize: ADAPTER_DEFAULTS.batchSize,
    numVarianceSamples: ADAPTER_DEFAULTS.numVarianceSamples, seed: ADAPTER_DEFAULTS.seed,
  };
  assert.deepEqual(reference, { numTrain: 10000, numEval: 5000, batchSize: 64, numVarianceSamples: 10000, seed: 0 });
  for (const p of ["cpu", "long", "paper"] as const) assert.deepEqual(profileProtocol(p), reference, p);
  const smoke = profileProtocol("smoke");
  for (const k of ["numTrain", "numEval", "batchSize", "numVarianceSamples"] as const) assert.ok(smoke[k]! < reference[k], `smoke ${k}`);
});

test("storedScores: what runScores would read, and what it would compute, without loading the model", async () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-run-scores-"));
  const run = await trainOrLoad(CONFIG, { runsDir, quiet: true });
  const stage = { dir: run.dir, complete: run.complete, step: run.step };
  const empty = storedScores(stage, PROTOCOL, { metrics: ["mig", "sap", "mig"] });
  assert.deepEqual([empty.file, empty.stored, empty.wanted, empty.missing], ["metrics.json", undefined, ["mig", "sap"], ["mig", "sap"]]);
  runScores(run, openDataset("toy"), PROTOCOL, { metrics: ["mig"] });
  const some = storedScores(stage, PROTOCOL, { metrics: ["mig", "sap"] });
  assert.deepEqual([some.stored?.scores.map((s) => s.metric), some.missing], [["mig"], ["sap"]]);
  assert.deepEqual(storedScores(stage, PROTOCOL, { metrics: ["mig"], force: true }).missing, ["mig"]);
  assert.deepEqual(storedScores(stage, PROTOCOL).missing, METRIC_NAMES.filter((m) => m !== "mig"));
  // A snapshot's scores have their own file; the reference's variance sample is stored unnamed.
  assert.equal(storedScores(stage, PROTOCOL, { snapshot: 4 }).file, "metrics-step-4.json");
  assert.deepEqual(storedScores(stage, { ...PROTOCOL, numVarianceSamples: 10000 }).key, PROTOCOL);
  assert.deepEqual(storedScores(stage, { ...PROTOCOL, numVarianceSamples: 100 }).key, { ...PROTOCOL, numVarianceSamples: 100 });
  run.model.dispose();
  fs.rmSync(runsDir, { recursive: true });
});
