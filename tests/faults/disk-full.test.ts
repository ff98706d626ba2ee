/**
 * Fault class: a full disk (and a read-only one), on a 20 MB tmpfs mounted for this file. Skipped,
 * with the reason, where a tmpfs cannot be mounted (not root, or no mount permission in a container).
 *
 * A write that does not fit names the run, the step, the folder, the free and needed space and
 * what survives; it leaves no temporary behind; the previous checkpoint is byte for byte intact and
 * the run resumes from it to the same weights once there is space. Temporaries left by killed
 * writers are removed before they cost a retry its space. Scores computed on a full disk are not
 * lost; a read-only folder is named as read-only (not ENOENT) before any work.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadRun, runName, runScores, ScoresNotStoredError, storeEntry, trainOrLoad, readMetrics } from "../../lib/runs";
import { makeToyDataset } from "../../lib/data/toy";
import { findTemporaries } from "../../lib/runs/temporaries";
import { fingerprint, scratch, TOY } from "./helpers";

const NAME = runName(TOY);
const MOUNT = scratch("tmpfs");
const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=20m", "tmpfs", MOUNT], { encoding: "utf8" });
const SKIP = mounted.status === 0 ? false : `cannot mount a 20 MB tmpfs here (${(mounted.stderr || mounted.error?.message || "mount failed").trim()}): needs root and mount permission`;
let reference: string;

before(async () => {
  await tf.setBackend("cpu");
  reference = scratch("df-ref");
  if (!SKIP) (await trainOrLoad(TOY, { runsDir: reference, quiet: true })).model.dispose();
});

after(() => {
  if (!SKIP) spawnSync("umount", [MOUNT]);
  fs.rmSync(MOUNT, { recursive: true, force: true });
  fs.rmSync(reference, { recursive: true, force: true });
});

const free = (): number => {
  const st = fs.statfsSync(MOUNT);
  return st.bavail * st.bsize;
};

/** Fills the tmpfs until `leave` bytes are free; returns the filler's path. */
function fill(leave: number): string {
  const filler = path.join(MOUNT, "filler");
  fs.writeFileSync(filler, Buffer.alloc(Math.max(0, free() - leave)));
  return filler;
}

/** A fresh runs folder on the tmpfs (everything else there removed). */
function freshRuns(): string {
  for (const f of fs.readdirSync(MOUNT)) fs.rmSync(path.join(MOUNT, f), { recursive: true, force: true });
  return path.join(MOUNT, "runs");
}

const weights = (runs: string): Buffer => fs.readFileSync(path.join(runs, NAME, "weights.bin"));

test("a checkpoint or snapshot on a full disk: the run, step, space and what survives are named; nothing is left half-written; resume gives the same weights", { skip: SKIP }, async () => {
  const runs = freshRuns();
  (await trainOrLoad(TOY, { runsDir: runs, quiet: true, stopAfter: 4, checkpointEvery: 4 })).model.dispose();
  const partial = path.join(runs, ".partial", NAME);
  const before = fingerprint(path.join(partial, "ckpt-000000004"));
  const filler = fill(400_000);
  const err = await trainOrLoad(TOY, { runsDir: runs, quiet: true, checkpointEvery: 4 }).then(() => undefined, (e: Error) => e);
  assert.ok(err, "the write cannot fit");
  assert.match(
    err.message,
    new RegExp(
      `^\\[${NAME}\\] could not write the (weight snapshot|checkpoint) of step (5|6|7|8) in ${partial}: the disk holding ${partial} is full \\(ENOSPC; \\d+ kB free, about [1-9]\\.\\d MB needed\\); ` +
        `free some space \\(bvae runs --clean removes stale temporary files\\), then run the same command again\\. The checkpoint of step 4 \\(${partial}/ckpt-000000004\\) is intact; running the same command again resumes from it\\.$`,
    ),
  );
  assert.deepEqual(fingerprint(path.join(partial, "ckpt-000000004")), before, "the previous checkpoint is byte for byte intact");
  assert.deepEqual(findTemporaries(runs), [], "no temporary left");
  assert.ok(!fs.existsSync(path.join(partial, "lock")), "the lock is released");
  fs.rmSync(filler);
  const done = await trainOrLoad(TOY, { runsDir: runs, quiet: true, checkpointEvery: 4 });
  done.model.dispose();
  assert.ok(weights(runs).equals(weights(reference)), "resumed after the disk-full error, the weights are those of an uninterrupted run");
});

test("the complete run folder on a full disk: the final state is checkpointed, and the next attempt only writes the folder", { skip: SKIP }, async () => {
  const runs = freshRuns();
  (await trainOrLoad(TOY, { runsDir: runs, quiet: true, stopAfter: 12, checkpointEvery: 4 })).model.dispose();
  const partial = path.join(runs, ".partial", NAME);
  const checkpoint = fs.readdirSync(path.join(partial, "ckpt-000000012")).reduce((n, f) => n + fs.statSync(path.join(partial, "ckpt-000000012", f)).size, 0);
  const filler = fill(checkpoint + 600_000); // room for a checkpoint, not for the run folder (weights and four snapshots)
  const err = await trainOrLoad(TOY, { runsDir: runs, quiet: true, checkpointEvery: 4 }).then(() => undefined, (e: Error) => e);
  assert.ok(err);
  assert.match(err.message, new RegExp(`^\\[${NAME}\\] trained all 16 steps but could not write the run folder ${runs}/${NAME}: the disk holding ${runs} is full \\(ENOSPC; [\\d.]+ MB free, about [\\d.]+ MB needed\\);`));
  assert.match(err.message, new RegExp(`The final state \\(step 16\\) is checkpointed in ${partial}: running the same command again only writes the run folder\\.$`));
  assert.ok(!fs.existsSync(path.join(runs, NAME)));
  assert.deepEqual(findTemporaries(runs), []);
  fs.rmSync(filler);
  // No training happens: a dataset that cannot serve a batch proves it.
  const unreadable = { ...makeToyDataset(), observe: (): never => assert.fail("nothing should be trained") };
  const done = await trainOrLoad(TOY, { runsDir: runs, quiet: true, dataset: unreadable });
  done.model.dispose();
  assert.ok(weights(runs).equals(weights(reference)));
});

test("temporaries left by a killed writer are removed before they cost the retry its space", { skip: SKIP }, async () => {
  const runs = freshRuns();
  (await trainOrLoad(TOY, { runsDir: runs, quiet: true, stopAfter: 4, checkpointEvery: 4 })).model.dispose();
  const partial = path.join(runs, ".partial", NAME);
  const orphan = path.join(partial, `.tmp-ckpt-000000008-${2 ** 22 + 99}-${Date.now()}`); // its writer (no such pid) is gone
  fs.mkdirSync(orphan);
  fs.writeFileSync(path.join(orphan, "model.bin"), Buffer.alloc(5_000_000));
  const filler = fill(2_500_000); // enough for the snapshot at 8, not for the checkpoint at 8 too, unless the orphan goes
  const notices: string[] = [];
  const part = await trainOrLoad(TOY, { runsDir: runs, quiet: true, stopAfter: 8, checkpointEvery: 4, notice: (m) => notices.push(m) });
  part.model.dispose();
  assert.equal(part.step, 8);
  assert.match(notices.join("\n"), new RegExp(`\\[${NAME}\\] removed 1 temporary file\\(s\\) left by interrupted writes \\(4\\.8 MB\\): \\.partial/${NAME}/\\.tmp-ckpt-000000008-`));
  assert.ok(fs.existsSync(path.join(partial, "ckpt-000000008")));
  fs.rmSync(filler);
});

test("scores computed on a full disk are not lost; the stored file stays as it was", { skip: SKIP }, async () => {
  const runs = freshRuns();
  fs.cpSync(reference, runs, { recursive: true });
  const run = loadRun(path.join(runs, NAME));
  const protocol = { numTrain: 60, numEval: 30, batchSize: 8, seed: 0 };
  runScores(run, makeToyDataset(), protocol, { metrics: ["mig"] }); // a first entry, stored
  const before = fs.readFileSync(path.join(runs, NAME, "metrics.json"));
  const filler = fill(0);
  const err = (() => {
    try {
      runScores(run, makeToyDataset(), { ...protocol, seed: 1 }, { metrics: ["mig"] });
    } catch (e) {
      return e as Error;
    }
    return undefined;
  })();
  assert.ok(err instanceof ScoresNotStoredError, String(err));
  assert.match(err.message, new RegExp(`cannot write ${runs}/${NAME}/metrics\\.json: the disk holding ${runs}/${NAME} is full \\(ENOSPC; 0 kB free, about 1 kB needed\\)`));
  assert.match(err.message, /The scores computed \(not stored\):\n\[\{"metric":"mig","value":[0-9.e-]+\}\]/);
  assert.equal(err.computed.scores[0].metric, "mig");
  assert.equal(err.computed.protocol.seed, 1);
  assert.ok(fs.readFileSync(path.join(runs, NAME, "metrics.json")).equals(before), "metrics.json unchanged");
  assert.throws(() => storeEntry(path.join(runs, NAME), err.computed, false), /is full \(ENOSPC/);
  assert.deepEqual(findTemporaries(runs), []);
  fs.rmSync(filler);
  storeEntry(path.join(runs, NAME), err.computed, false);
  assert.equal(readMetrics(path.join(runs, NAME))?.entries.length, 2, "once there is space, the carried scores store");
  run.model.dispose();
});

test("a read-only runs folder is named as such (not ENOENT), before training or scoring starts", { skip: SKIP }, async () => {
  const runs = freshRuns();
  fs.cpSync(reference, runs, { recursive: true });
  fs.mkdirSync(path.join(runs, ".partial"), { recursive: true });
  const run = loadRun(path.join(runs, NAME));
  assert.equal(spawnSync("mount", ["-o", "remount,ro", MOUNT]).status, 0);
  try {
    await assert.rejects(
      trainOrLoad({ ...TOY, seed: 99 }, { runsDir: runs, quiet: true }),
      new RegExp(`cannot create the folder ${runs}/\\.partial/toy-vae-smoke-[0-9a-f]{10}: ${runs}/\\.partial is on a read-only file system \\(EROFS\\); use a writable folder \\(BVAE_RUNS_DIR=DIR for runs\\)`),
    );
    assert.throws(
      () => runScores(run, makeToyDataset(), { numTrain: 60, numEval: 30, batchSize: 8, seed: 5 }, { metrics: ["mig"], onScore: () => assert.fail("nothing is computed") }),
      new RegExp(`cannot store scores in ${runs}/${NAME}/metrics\\.json: ${runs}/${NAME} is on a read-only file system \\(EROFS\\)`),
    );
  } finally {
    spawnSync("mount", ["-o", "remount,rw", MOUNT]);
    run.model.dispose();
  }
});
