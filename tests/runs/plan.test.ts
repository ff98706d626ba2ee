/**
 * planRuns (what `bvae prepare` trains before the notebooks): the notebooks' own rule, one entry
 * per distinct run, complete runs left alone, interrupted ones resumed (cpu backend, tiny model).
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { parseRunItem, planRuns, runItemText } from "../../lib/runs/plan";
import { presetConfig } from "../../lib/train/presets";
import { runName, trainOrLoad } from "../../lib/runs";
import type { ConfigOverrides } from "../../lib/train/config";

before(async () => {
  await tf.setBackend("cpu");
});

const overrides: ConfigOverrides = { dataset: "toy", architecture: "tiny", numLatents: 3, batchSize: 8, heldOut: 16, historyEvery: 5 };

test("parseRunItem: <preset> or <preset>:exact, anything else is a clear error", () => {
  assert.deepEqual(parseRunItem("dsprites-vae"), { preset: "dsprites-vae", exact: false, overrides: {} });
  assert.deepEqual(parseRunItem("dsprites-capacity-paper:exact"), { preset: "dsprites-capacity-paper", exact: true, overrides: {} });
  assert.throws(() => parseRunItem("dsprites-vea"), /unknown preset "dsprites-vea"/);
  assert.throws(() => parseRunItem("dsprites-vae:fast"), /expected <preset>, <preset>:exact, either optionally followed by a JSON object/);
});

test("parseRunItem: overrides as JSON after the preset, checked field by field; runItemText writes them back", () => {
  const burgess = parseRunItem('dsprites-vae:exact{"architecture":"burgess"}');
  assert.deepEqual(burgess, { preset: "dsprites-vae", exact: true, overrides: { architecture: "burgess" } });
  assert.equal(runItemText(burgess), 'dsprites-vae:exact{"architecture":"burgess"}');
  assert.equal(runItemText(parseRunItem('dsprites-beta{"seed":2,"architecture":"burgess"}')), 'dsprites-beta{"architecture":"burgess","seed":2}');
  assert.equal(runItemText(parseRunItem("dsprites-beta")), "dsprites-beta");
  assert.throws(() => parseRunItem('dsprites-vae{"architecture":burgess}'), /run "dsprites-vae\{"architecture":burgess\}": the overrides are not JSON/);
  assert.throws(() => parseRunItem('dsprites-vae["burgess"]'), /unknown preset "dsprites-vae\["burgess"\]"/);
  assert.throws(() => parseRunItem('dsprites-vae{"architecture":"resnet"}'), /TrainConfig\.architecture: expected/);
  assert.throws(() => parseRunItem('dsprites-vae{"arch":"burgess"}'), /TrainConfig has no field "arch"/);
});

test("planRuns: an item's overrides pick its run (the shipped Burgess-network VAE beside the H one)", () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-figure-runs-"));
  const tiny = { dataset: "toy", numLatents: 3, batchSize: 8, heldOut: 16, historyEvery: 5 } as const;
  const plan = planRuns(['dsprites-vae{"architecture":"tiny"}', "dsprites-vae", 'dsprites-vae{"architecture":"burgess"}'], "smoke", { runsDir, overrides: tiny });
  assert.deepEqual(plan.map((p) => [p.action, p.config.architecture, p.overrides.architecture]), [["train", "tiny", "tiny"], ["train", "chairs", undefined], ["train", "burgess", "burgess"]]);
  assert.equal(plan[2].name, runName(presetConfig("dsprites-vae", "smoke", { ...tiny, architecture: "burgess" })));
  fs.rmSync(runsDir, { recursive: true });
});

test("planRuns: trains what is missing once, uses longer runs, leaves complete runs, resumes partial ones", async () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-figure-runs-"));
  const opts = { runsDir, overrides };
  const items = ["dsprites-vae", "dsprites-capacity-report", "dsprites-capacity-report:exact"];
  const smoke = (preset: "dsprites-vae" | "dsprites-capacity-report") => presetConfig(preset, "smoke", overrides);

  // Empty folder: two distinct runs; the plain and the exact capacity item are the same run.
  const empty = planRuns(items, "smoke", opts);
  assert.deepEqual(empty.map((p) => [p.action, p.name, p.items]), [
    ["train", runName(smoke("dsprites-vae")), ["dsprites-vae"]],
    ["train", runName(smoke("dsprites-capacity-report")), ["dsprites-capacity-report", "dsprites-capacity-report:exact"]],
  ]);

  // A complete smoke VAE, an interrupted smoke capacity run, and a cpu-profile VAE past the smoke steps.
  (await trainOrLoad(smoke("dsprites-vae"), { runsDir, quiet: true })).model.dispose();
  (await trainOrLoad(smoke("dsprites-capacity-report"), { runsDir, quiet: true, stopAfter: 10, checkpointEvery: 5 })).model.dispose();
  let plan = planRuns(items, "smoke", opts);
  assert.deepEqual(plan.map((p) => [p.action, p.step]), [["complete", smoke("dsprites-vae").steps], ["resume", 10]]);

  const cpu = presetConfig("dsprites-vae", "cpu", overrides);
  (await trainOrLoad(cpu, { runsDir, quiet: true, stopAfter: smoke("dsprites-vae").steps + 5, checkpointEvery: 5 })).model.dispose();
  plan = planRuns(items, "smoke", opts);
  assert.deepEqual([plan[0].action, plan[0].name, plan[0].step], ["use-longer", runName(cpu), smoke("dsprites-vae").steps + 5]);
  // exact (the item's flag or the option) asks for the smoke run itself.
  assert.equal(planRuns(["dsprites-vae:exact"], "smoke", opts)[0].action, "complete");
  assert.equal(planRuns(["dsprites-vae"], "smoke", { ...opts, exact: true })[0].action, "complete");
});
