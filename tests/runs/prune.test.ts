import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { listRuns, pruneCheckpoints, runName, trainOrLoad } from "../../lib/runs";
import { listSnapshots, loadSnapshotModel } from "../../lib/train/snapshots";
import { loadTensors } from "../../lib/train/files";
import { acquireLock } from "../../lib/runs/lock";
import { runsCommand } from "../../cli/runs";
import { capture, fingerprint, scratch, TOY, withEnv } from "../faults/helpers";

const NAME = runName(TOY);
let reference: string; // an uninterrupted run of TOY

before(async () => {
  await tf.setBackend("cpu");
  reference = scratch("prune-reference");
  (await trainOrLoad(TOY, { runsDir: reference, quiet: true })).model.dispose();
});
after(() => fs.rmSync(reference, { recursive: true, force: true }));

const ckpts = (partial: string): string[] => fs.readdirSync(partial).filter((f) => f.startsWith("ckpt-")).sort();

/** A partial run of TOY stopped at step 8, with the trainer's two checkpoints (4 and 8). */
async function partialAt8(): Promise<{ runs: string; partial: string }> {
  const runs = scratch("prune");
  (await trainOrLoad(TOY, { runsDir: runs, quiet: true, stopAfter: 8, checkpointEvery: 4 })).model.dispose();
  const partial = path.join(runs, ".partial", NAME);
  assert.deepEqual(ckpts(partial), ["ckpt-000000004", "ckpt-000000008"]);
  return { runs, partial };
}

test("--prune keeps each partial run's newest checkpoint, which is all a resume needs to end with an uninterrupted run's weights", async () => {
  const { runs, partial } = await partialAt8();
  try {
    const out = await withEnv({ BVAE_RUNS_DIR: runs }, () => capture(() => runsCommand.run(["--prune"])));
    assert.equal(out.value, 0);
    assert.match(out.out, new RegExp(`${NAME}: keeps ckpt-000000008 \\(step 8, [\\d.]+ [kM]?B\\); removed ckpt-000000004 \\([\\d.]+ [kM]?B\\)`));
    assert.deepEqual(ckpts(partial), ["ckpt-000000008"]);
    assert.ok(fs.existsSync(path.join(partial, "config.json")), "the run's other files stay");
    const empty = scratch("prune-empty");
    const none = await withEnv({ BVAE_RUNS_DIR: empty }, () => capture(() => runsCommand.run(["--prune"])));
    fs.rmSync(empty, { recursive: true, force: true });
    assert.match(none.out, /no partial runs in /);
    // A second prune has nothing to remove.
    assert.deepEqual(pruneCheckpoints({ runsDir: runs }).map((r) => [r.kept?.step, r.removed.length]), [[8, 0]]);
    (await trainOrLoad(TOY, { runsDir: runs, quiet: true })).model.dispose();
    const weights = (dir: string) => fs.readFileSync(path.join(dir, NAME, "weights.bin"));
    assert.ok(weights(runs).equals(weights(reference)), "resumed from the kept checkpoint, the run ends with the same weights");
  } finally {
    fs.rmSync(runs, { recursive: true, force: true });
  }
});

test("--prune refuses while a run is being trained, and leaves a run with a damaged checkpoint as it is", async () => {
  const { runs, partial } = await partialAt8();
  try {
    const before = fingerprint(partial);
    const release = acquireLock(partial);
    try {
      assert.throws(() => pruneCheckpoints({ runsDir: runs }),
        new RegExp(`bvae runs --prune: ${NAME} \\(pid ${process.pid}\\) is being trained; stop it first \\(make stop-campaign\\), nothing was removed`));
    } finally {
      release();
    }
    assert.deepEqual(fingerprint(partial), before);
    const bin = path.join(partial, "ckpt-000000008", "model.bin");
    fs.truncateSync(bin, fs.statSync(bin).size - 100);
    const [r] = pruneCheckpoints({ runsDir: runs });
    assert.equal(r.kept, undefined);
    assert.match(r.skipped ?? "", /checkpoint ckpt-000000008 is damaged/);
    assert.deepEqual(ckpts(partial), ["ckpt-000000004", "ckpt-000000008"]);
  } finally {
    fs.rmSync(runs, { recursive: true, force: true });
  }
});

/**
 * A partial run of TOY stopped at step 6 with checkpoints at 3 and 6 (its own snapshots are at 1, 2, 4:
 * 5%, 10%, 25% of its 16 steps), scored at step 3 (only the scores file's name counts); with the
 * weights of that checkpoint.
 */
async function scoredAt3(label: string): Promise<{ runs: string; partial: string; model3: Buffer }> {
  const runs = scratch(label);
  (await trainOrLoad(TOY, { runsDir: runs, quiet: true, stopAfter: 6, checkpointEvery: 3 })).model.dispose();
  const partial = path.join(runs, ".partial", NAME);
  assert.deepEqual(ckpts(partial), ["ckpt-000000003", "ckpt-000000006"]);
  assert.deepEqual(listSnapshots(partial), [1, 2, 4]);
  fs.writeFileSync(path.join(partial, "metrics-step-3.json"), "{}");
  return { runs, partial, model3: fs.readFileSync(path.join(partial, "ckpt-000000003", "model.bin")) };
}

test("--prune keeps the weights of a scored checkpoint as the snapshot of its step; unscored ones go", async () => {
  const { runs, partial, model3 } = await scoredAt3("prune-stages");
  try {
    const out = await withEnv({ BVAE_RUNS_DIR: runs }, () => capture(() => runsCommand.run(["--prune"])));
    assert.match(out.out, /removed ckpt-000000003 \([^)]*\); the weights of scored step 3 kept as a snapshot/);
    assert.deepEqual(ckpts(partial), ["ckpt-000000006"]);
    assert.deepEqual(listSnapshots(partial), [1, 2, 3, 4]);
    assert.ok(fs.readFileSync(path.join(partial, "snapshots", "step-3", "weights.bin")).equals(model3));
    // The snapshot loads as a model with the checkpoint's weights.
    const [run] = listRuns({ runsDir: runs });
    assert.deepEqual(run.snapshots, [1, 2, 3, 4]);
    const resumed = await trainOrLoad(TOY, { runsDir: runs, quiet: true, stopAfter: 6 });
    const at3 = loadSnapshotModel(partial, 3, resumed.model);
    const saved = loadTensors(path.join(partial, "snapshots", "step-3", "weights"));
    for (const v of at3.variables) {
      assert.deepEqual(Array.from(v.variable.dataSync()), Array.from(saved[v.name].dataSync()), v.name);
    }
    at3.dispose();
    resumed.model.dispose();
    Object.values(saved).forEach((t) => t.dispose());
    // An unscored checkpoint leaves no snapshot, and a second prune writes none again.
    assert.deepEqual(pruneCheckpoints({ runsDir: runs }).map((r) => r.snapshots), [[]]);
    assert.deepEqual(listSnapshots(partial), [1, 2, 3, 4]);
  } finally {
    fs.rmSync(runs, { recursive: true, force: true });
  }
});

test("the trainer's own rotation (it keeps two checkpoints) also keeps a scored checkpoint's weights as a snapshot", async () => {
  const { runs, partial, model3 } = await scoredAt3("prune-rotation");
  try {
    // Resumed to 12: checkpoints at 9 and 12 push out 3 (scored) and 6 (not).
    (await trainOrLoad(TOY, { runsDir: runs, quiet: true, stopAfter: 12, checkpointEvery: 3 })).model.dispose();
    assert.deepEqual(ckpts(partial), ["ckpt-000000009", "ckpt-000000012"]);
    assert.deepEqual(listSnapshots(partial), [1, 2, 3, 4, 8]);
    assert.ok(fs.readFileSync(path.join(partial, "snapshots", "step-3", "weights.bin")).equals(model3));
  } finally {
    fs.rmSync(runs, { recursive: true, force: true });
  }
});
