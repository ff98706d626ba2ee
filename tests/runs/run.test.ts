/**
 * A run folder (runs/run.ts): where the runs folder is; a run found by name or path, and loaded.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { runKey, runName } from "../../lib/runs/key";
import { findRun, loadRunFolder, runsDir } from "../../lib/runs/run";
import { trainOrLoad } from "../../lib/runs/train-or-load";
import { TOY_CONFIG as CONFIG, tmpRunsDir as tmp } from "./toy-run";

before(async () => {
  await tf.setBackend("cpu");
});

test("runs directory: options.runsDir, else BVAE_RUNS_DIR, else runs/ at the project root", () => {
  assert.equal(runsDir({ runsDir: "/x" }), "/x");
  const saved = process.env.BVAE_RUNS_DIR;
  process.env.BVAE_RUNS_DIR = "/y";
  assert.equal(runsDir(), "/y");
  delete process.env.BVAE_RUNS_DIR;
  assert.ok(fs.existsSync(path.join(path.dirname(runsDir()), "package.json")));
  if (saved !== undefined) process.env.BVAE_RUNS_DIR = saved;
});

test("findRun: a run by name or path, complete or partial (at its newest checkpoint); loadRunFolder loads what it found", async () => {
  const dir = tmp();
  const partialConfig = { ...CONFIG, seed: 12 };
  (await trainOrLoad(CONFIG, { runsDir: dir, quiet: true })).model.dispose();
  (await trainOrLoad(partialConfig, { runsDir: dir, quiet: true, stopAfter: 7, checkpointEvery: 100 })).model.dispose();
  const complete = findRun(runName(CONFIG), { runsDir: dir });
  assert.deepEqual([complete.name, complete.dir, complete.complete, complete.step], [runName(CONFIG), path.join(dir, runName(CONFIG)), true, CONFIG.steps]);
  assert.deepEqual(findRun(complete.dir, { runsDir: "/elsewhere" }), complete);
  const partial = findRun(runName(partialConfig), { runsDir: dir });
  assert.deepEqual([partial.dir, partial.complete, partial.step], [path.join(dir, ".partial", runName(partialConfig)), false, 7]);
  const run = loadRunFolder(partial);
  // Its history as of the checkpoint: a row every 3 steps.
  assert.deepEqual([run.name, run.key, run.complete, run.step, run.history.rows.at(-1)?.step], [runName(partialConfig), runKey(partialConfig), false, 7, 6]);
  run.model.dispose();
  const loaded = loadRunFolder(complete);
  assert.deepEqual([loaded.complete, loaded.step, loaded.summary?.key], [true, CONFIG.steps, runKey(CONFIG)]);
  loaded.model.dispose();
  assert.throws(() => findRun("nope", { runsDir: dir }), (err: Error) => err.message === `no run folder "nope" (nor ${path.join(dir, "nope")}); \`bvae runs\` lists them`);
  fs.mkdirSync(path.join(dir, ".partial", "fresh"), { recursive: true });
  fs.writeFileSync(path.join(dir, ".partial", "fresh", "config.json"), JSON.stringify(CONFIG));
  assert.throws(() => findRun("fresh", { runsDir: dir }), /\.partial\/fresh: a partial run without any checkpoint yet/);
  fs.rmSync(dir, { recursive: true });
});
