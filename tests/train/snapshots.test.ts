import { test, before } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { trainOrLoad, runSnapshots, commonStage, loadSnapshot } from "../../lib/runs";
import { makeConfig } from "../../lib/train/config";
import { copySnapshots, listSnapshots, snapshotSteps, writeSnapshot } from "../../lib/train/snapshots";

before(async () => {
  await tf.setBackend("cpu");
});

const CONFIG = makeConfig({
  preset: "toy-snapshots", profile: "smoke", dataset: "toy", architecture: "tiny", numLatents: 3,
  batchSize: 8, heldOut: 16, steps: 40, historyEvery: 5, seed: 5, optimizer: { learningRate: 2e-3 },
});

test("snapshot steps: 5%, 10%, 25%, 50% of the run, distinct and inside it", () => {
  assert.deepEqual(snapshotSteps({ steps: 100_000 }), [5000, 10000, 25000, 50000]);
  assert.deepEqual(snapshotSteps({ steps: 40 }), [2, 4, 10, 20]);
  assert.deepEqual(snapshotSteps({ steps: 4 }), [1, 2]);
  assert.deepEqual(snapshotSteps({ steps: 1 }), []);
});

test("a run keeps its snapshots, even across an interruption, and they load as models of that stage", async () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-snap-"));
  try {
    // Stop early (a time-boxed session), then finish: the snapshot of step 4 came from the first part.
    const partial = await trainOrLoad(CONFIG, { runsDir, quiet: true, stopAfter: 7, checkpointEvery: 3 });
    assert.equal(partial.complete, false);
    partial.model.dispose();
    const run = await trainOrLoad(CONFIG, { runsDir, quiet: true, checkpointEvery: 3 });
    assert.equal(run.complete, true);
    assert.deepEqual(runSnapshots(run).map((s) => s.step), [2, 4, 10, 20, 40]);
    assert.equal(loadSnapshot(run, 40), run.model);
    const early = loadSnapshot(run, 4);
    const late = loadSnapshot(run, 20);
    const x = tf.randomUniform([2, 64, 64, 1], 0, 1, "float32", 1) as tf.Tensor4D;
    const a = early.encode(x).zMean.dataSync();
    const b = late.encode(x).zMean.dataSync();
    assert.ok(a.some((v, i) => Math.abs(v - b[i]) > 1e-6), "stages differ");
    // Reloading the complete run from disk gives the same snapshot weights.
    const again = await trainOrLoad(CONFIG, { runsDir, quiet: true });
    const early2 = loadSnapshot(again, 4);
    assert.deepEqual(Array.from(early2.encode(x).zMean.dataSync()), Array.from(a));
    assert.throws(() => loadSnapshot(again, 3), /no snapshot at step 3 \(have 2, 4, 10, 20\)/);
    for (const m of [early, late, early2, run.model, again.model]) m.dispose();
    x.dispose();
  } finally {
    fs.rmSync(runsDir, { recursive: true, force: true });
  }
});

test("a snapshot is written whole or not at all; a killed writer's temporary folder is never copied", async () => {
  const from = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-snap-"));
  const v = [{ name: "w", variable: tf.variable(tf.tensor([1, 2, 3])) }];
  await writeSnapshot(from, 4, v);
  assert.deepEqual(fs.readdirSync(path.join(from, "snapshots")), ["step-4"]);
  assert.deepEqual(fs.readdirSync(path.join(from, "snapshots", "step-4")).sort(), ["weights.bin", "weights.json"]);
  // An existing snapshot of the step is kept as it is.
  v[0].variable.assign(tf.tensor([9, 9, 9]));
  const before = fs.readFileSync(path.join(from, "snapshots", "step-4", "weights.bin"));
  await writeSnapshot(from, 4, v);
  assert.ok(fs.readFileSync(path.join(from, "snapshots", "step-4", "weights.bin")).equals(before));
  // What a writer killed mid-way leaves: a temporary folder, not a step-<n> one.
  fs.mkdirSync(path.join(from, "snapshots", ".tmp-step-8-1-2"));
  fs.writeFileSync(path.join(from, "snapshots", ".tmp-step-8-1-2", "weights.json"), "{");
  assert.deepEqual(listSnapshots(from), [4]);
  const to = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-snap-"));
  copySnapshots(from, to);
  assert.deepEqual(fs.readdirSync(path.join(to, "snapshots")), ["step-4"]);
  v[0].variable.dispose();
});

test("commonStage: the newest step every run has weights for, snapshots or current step", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-stage-"));
  // A run folder with weights at the given snapshot steps (only weights.json marks one).
  const fakeRun = (name: string, step: number, snapshots: number[]) => {
    const dir = path.join(root, name);
    for (const s of snapshots) {
      fs.mkdirSync(path.join(dir, "snapshots", `step-${s}`), { recursive: true });
      fs.writeFileSync(path.join(dir, "snapshots", `step-${s}`, "weights.json"), "{}");
    }
    fs.mkdirSync(dir, { recursive: true });
    return { dir, step };
  };
  try {
    const h = fakeRun("h", 100_000, [5000, 10000, 25000, 50000]);
    const burgess = fakeRun("burgess", 100_000, [5000, 10000, 25000, 50000]);
    assert.equal(commonStage(h, burgess), 100_000);
    // A run still training, between two of the others' stages: their last shared snapshot.
    const mlp = fakeRun("mlp", 63_000, [5000, 10000, 25000, 50000]);
    assert.equal(commonStage(h, burgess, mlp), 50_000);
    assert.equal(commonStage(mlp, h), 50_000);
    // Its current step counts when another run has a snapshot there.
    assert.equal(commonStage(fakeRun("at", 25_000, [1250, 2500]), h), 25_000);
    // Short of the others' first snapshot: nothing shared.
    assert.equal(commonStage(h, fakeRun("young", 3_000, [])), undefined);
    // A snapshot folder without its weights is not a stage.
    const torn = fakeRun("torn", 100_000, [5000]);
    fs.mkdirSync(path.join(torn.dir, "snapshots", "step-50000"));
    assert.equal(commonStage(torn, fakeRun("half", 60_000, [50000])), undefined);
    assert.equal(commonStage(h), 100_000);
    assert.throws(() => commonStage(), /name at least one run/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
