/**
 * presetRun: a notebook asking for a short profile gets the most-trained run of a longer profile
 * (complete, or partial at its newest checkpoint) when that run has at least the requested steps;
 * otherwise, or with exact, the requested profile is loaded or trained (cpu backend, tiny model).
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { presetConfig } from "../../lib/train/presets";
import { longerRun, presetRun, storedPresetRun, storedRun, storedRunOrStandIn } from "../../lib/runs/preset-run";
import { runSnapshots, trainOrLoad } from "../../lib/runs";
import type { ConfigOverrides } from "../../lib/train/config";

before(async () => {
  await tf.setBackend("cpu");
});

// The smoke profile trains 20 steps; overrides keep every profile's model tiny.
const overrides: ConfigOverrides = { dataset: "toy", architecture: "tiny", numLatents: 3, batchSize: 8, heldOut: 16, historyEvery: 5 };

test("presetRun: falls back to the requested profile, then prefers a longer run with enough steps", async () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-preset-runs-"));
  const opts = { runsDir, overrides, quiet: true };
  const smokeSteps = presetConfig("dsprites-vae", "smoke", overrides).steps;
  const longConfig = presetConfig("dsprites-vae", "long", overrides);
  assert.ok(longConfig.steps > 1000);

  // Nothing stored: trains the smoke profile.
  assert.equal(longerRun("dsprites-vae", "smoke", opts), undefined);
  const smoke = await presetRun("dsprites-vae", "smoke", opts);
  assert.equal(smoke.config.profile, "smoke");
  assert.equal(smoke.complete, true);
  assert.equal(smoke.step, smokeSteps);
  smoke.model.dispose();

  // A long run stopped before the smoke profile's steps is not used.
  (await trainOrLoad(longConfig, { runsDir, quiet: true, stopAfter: smokeSteps - 5 })).model.dispose();
  assert.deepEqual(storedRun(longConfig, { runsDir }), { config: longConfig, name: storedRun(longConfig, { runsDir })!.name, complete: false, step: smokeSteps - 5 });
  assert.equal(longerRun("dsprites-vae", "smoke", opts), undefined);
  const again = await presetRun("dsprites-vae", "smoke", opts);
  assert.equal(again.config.profile, "smoke");
  again.model.dispose();

  // Once it has more steps than the smoke profile, the partial long run is shown at its newest checkpoint.
  const resumed = await trainOrLoad(longConfig, { runsDir, quiet: true, stopAfter: smokeSteps + 10 });
  const weights = resumed.model.variables.map((v) => v.variable.arraySync());
  resumed.model.dispose();
  const shown = await presetRun("dsprites-vae", "smoke", opts);
  assert.equal(shown.config.profile, "long");
  assert.equal(shown.complete, false);
  assert.equal(shown.step, smokeSteps + 10);
  assert.equal(shown.dir, path.join(runsDir, ".partial", shown.name));
  assert.deepEqual(shown.model.variables.map((v) => v.variable.arraySync()), weights);
  assert.ok(shown.history.rows[shown.history.rows.length - 1].step > smokeSteps);
  assert.deepEqual(runSnapshots(shown), [{ step: smokeSteps + 10 }]);
  shown.model.dispose();

  // exact: the requested profile only.
  const exact = await presetRun("dsprites-vae", "smoke", { ...opts, exact: true });
  assert.equal(exact.config.profile, "smoke");
  exact.model.dispose();
  // Nothing longer than the longest profile.
  assert.equal(longerRun("dsprites-vae", "paper", opts), undefined);

  // storedPresetRun: exactly the profile's run as far as trained, never training.
  const stored = storedPresetRun("dsprites-vae", "long", opts)!;
  assert.deepEqual([stored.name, stored.complete, stored.step], [shown.name, false, smokeSteps + 10]);
  assert.deepEqual(stored.model.variables.map((v) => v.variable.arraySync()), weights);
  stored.model.dispose();
  assert.equal(storedPresetRun("dsprites-vae", "cpu", opts), undefined, "no cpu run: undefined, nothing trained");
  assert.equal(storedRun(presetConfig("dsprites-vae", "cpu", overrides), { runsDir }), undefined);
  assert.equal(storedPresetRun("dsprites-beta", "long", opts), undefined);
});

test("presetRun: a run it trains checkpoints at its profile's cadence (PROFILE_SETTINGS), unless told", async () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-preset-ckpt-"));
  const checkpoints = (run: { dir: string }) => fs.readdirSync(run.dir).filter((f) => f.startsWith("ckpt-")).sort();
  // smoke: 20 steps, a checkpoint every 10 (the session's own default would be every 100).
  const run = await presetRun("dsprites-vae", "smoke", { runsDir, overrides, quiet: true, stopAfter: 15, exact: true });
  run.model.dispose();
  assert.deepEqual(checkpoints(run), ["ckpt-000000010", "ckpt-000000015"]);
  const other = await presetRun("dsprites-beta", "smoke", { runsDir, overrides, quiet: true, stopAfter: 15, exact: true, checkpointEvery: 100 });
  other.model.dispose();
  assert.deepEqual(checkpoints(other), ["ckpt-000000015"]);
});

test("presetRun: names the run it returns, at the requested profile too, in the line REPORT.md's index reads", async () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-preset-line-"));
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  let run;
  try {
    run = await presetRun("dsprites-vae", "smoke", { runsDir, overrides, exact: true });
  } finally {
    console.log = log;
  }
  run.model.dispose();
  const line = lines.find((l) => l.startsWith("[dsprites-vae] using "));
  assert.equal(line, `[dsprites-vae] using ${run.name} (smoke profile, complete): step ${run.step}`);
  assert.match(line!, /^\[([\w.-]+)\] using (\S+) \(([^)]*)\): step (\d+)/); // lib/report/report.ts's RUN_LINE
});

test("storedRunOrStandIn: the stored long run (never trained) at cpu and longer; at smoke a stand-in without the steps override", async () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-stand-in-"));
  const withSeed = { ...overrides, seed: 2, steps: 30 };
  const opts = { runsDir, overrides: withSeed, quiet: true };
  // Nothing stored: undefined at cpu (no long run), and nothing was trained.
  assert.equal(await storedRunOrStandIn("dsprites-vae", "cpu", opts), undefined);
  assert.deepEqual(fs.readdirSync(runsDir).filter((f) => !f.startsWith(".")), []);
  // At smoke: the smoke run with the seed, at the smoke profile's own length (steps dropped), trained now.
  const standIn = (await storedRunOrStandIn("dsprites-vae", "smoke", opts))!;
  const { steps: _steps, ...smokeOverrides } = withSeed;
  assert.equal(standIn.name, storedRun(presetConfig("dsprites-vae", "smoke", smokeOverrides), { runsDir })!.name);
  assert.deepEqual([standIn.config.seed, standIn.step, standIn.complete], [2, presetConfig("dsprites-vae", "smoke", overrides).steps, true]);
  standIn.model.dispose();
  // A long run with those overrides, stored: shown at cpu (as far as trained), with its step.
  (await trainOrLoad(presetConfig("dsprites-vae", "long", withSeed), { runsDir, quiet: true, stopAfter: 12 })).model.dispose();
  const long = (await storedRunOrStandIn("dsprites-vae", "cpu", opts))!;
  assert.deepEqual([long.config.profile, long.step, long.complete, long.config.seed], ["long", 12, false, 2]);
  long.model.dispose();
  // storedProfile: the paper-profile run instead (none yet: undefined, though the long one is stored).
  const paperOpts = { ...opts, storedProfile: "paper" as const };
  assert.equal(await storedRunOrStandIn("dsprites-vae", "cpu", paperOpts), undefined);
  (await trainOrLoad(presetConfig("dsprites-vae", "paper", withSeed), { runsDir, quiet: true, stopAfter: 7 })).model.dispose();
  const paper = (await storedRunOrStandIn("dsprites-vae", "cpu", paperOpts))!;
  assert.deepEqual([paper.config.profile, paper.step, paper.complete], ["paper", 7, false]);
  paper.model.dispose();
});
