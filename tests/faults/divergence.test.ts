/**
 * Fault class: divergence. A run whose loss becomes NaN stops at that step, naming the run and the
 * step, says that the last checkpoint is intact and why resuming would not help (training is
 * deterministic: it diverges again at the same step), and what to change. Nothing non-finite is
 * ever written, and a second attempt leaves the run folder exactly as the first left it.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { listRuns, runName, trainOrLoad } from "../../lib/runs";
import { checkpointDirs, checkpointProblem } from "../../lib/train/checkpoint";
import { findTemporaries } from "../../lib/runs/temporaries";
import { fingerprint, scratch, TOY } from "./helpers";

before(async () => {
  await tf.setBackend("cpu");
});

// A Gaussian decoder at learning rate 0.2 overflows within a few steps (step 6 here, deterministically).
const DIVERGES = { ...TOY, preset: "toy-diverge", decoder: "gaussian" as const, steps: 40, optimizer: { ...TOY.optimizer, learningRate: 0.2 } };

test("a diverging run stops at the step, names it, keeps the last good checkpoint and says what to change", async () => {
  const runs = scratch("diverge");
  try {
    const name = runName(DIVERGES);
    const partial = path.join(runs, ".partial", name);
    const first = await trainOrLoad(DIVERGES, { runsDir: runs, quiet: true, checkpointEvery: 2 }).then(() => undefined, (e: Error) => e);
    assert.ok(first, "training diverges");
    const m = new RegExp(
      `^\\[${name}\\] training diverged (?:at|by) step (\\d+): (?:loss (?:NaN|-?Infinity) \\(recon .*, kl .*\\) is not finite; the weights are those before this step|Adam's state "v/.*" is no longer finite \\(the gradients overflowed\\); nothing was written for this step); ` +
        `the checkpoint of step (\\d+) \\(${partial}/ckpt-0+\\d+\\) is intact, but resuming repeats the same steps and diverges again\\. ` +
        `Train a new run with a lower learning rate or another seed \\(bvae train \\.\\.\\. --seed N\\)\\.$`,
    ).exec(first.message);
    assert.ok(m, first.message);
    const [step, kept] = [Number(m[1]), Number(m[2])];
    assert.ok(kept >= 2 && kept <= step, `the last checkpoint (${kept}) is at or before the diverging step (${step})`);
    for (const ck of checkpointDirs(partial)) assert.equal(checkpointProblem(ck.dir, DIVERGES), undefined, `${ck.dir} holds only finite values`);
    const after1 = fingerprint(partial);
    assert.ok(!("lock" in after1), "the lock is released");
    // Resuming diverges again at the same step and changes nothing.
    const second = await trainOrLoad(DIVERGES, { runsDir: runs, quiet: true, checkpointEvery: 2 }).then(() => undefined, (e: Error) => e);
    assert.match(second?.message ?? "", new RegExp(`training diverged (at|by) step ${step}:`));
    assert.deepEqual(fingerprint(partial), after1, "the partial run is exactly as the first attempt left it");
    assert.deepEqual(listRuns({ runsDir: runs }).map((r) => [r.status, r.step]), [["partial", kept]]);
    assert.deepEqual(findTemporaries(runs), []);
  } finally {
    fs.rmSync(runs, { recursive: true, force: true });
  }
});

test("divergence before the first checkpoint says so", async () => {
  const runs = scratch("diverge-early");
  try {
    const config = { ...DIVERGES, optimizer: { ...DIVERGES.optimizer, learningRate: 0.5 } };
    await assert.rejects(trainOrLoad(config, { runsDir: runs, quiet: true, checkpointEvery: 20 }), new RegExp(`^Error: \\[${runName(config)}\\] training diverged at step \\d+: .*; no checkpoint was written before it\\. Train a new run`));
    assert.ok(!fs.existsSync(path.join(runs, ".partial", runName(config), "lock")));
  } finally {
    fs.rmSync(runs, { recursive: true, force: true });
  }
});
