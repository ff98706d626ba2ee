/**
 * `bvae prepare`'s processes (prepareTasks): the trainings, then the Higgins table when it is not
 * stored, then each scored run's `bvae eval --profile`, waiting for its own training; what is
 * already stored is not computed again.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { prepareTasks } from "../../cli/prepare";
import { planRuns } from "../../lib/runs/plan";
import { baselineProtocol, profileProtocol } from "../../lib/runs/scores";
import { storeEntry } from "../../lib/runs/score-files";
import { BASELINES_FILE, storedHigginsTable } from "../../lib/baselines/stored-table";
import { openDsprites } from "../../lib/data";
import { METRIC_NAMES } from "../../lib/metrics";
import { fakeRun } from "../sweep/fake-run";

const runsRoot = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-prepare-"));

before(() => {
  process.env.BVAE_RUNS_DIR = runsRoot;
});

const ITEMS = ["dsprites-vae", "dsprites-beta", "dsprites-capacity-paper:exact"];
const SCORED = { runs: ["dsprites-vae", "dsprites-beta"], baselines: true, profile: "smoke" as const };

test("an empty runs folder: the trainings, the table, then each scored run's eval after its own training", () => {
  const plan = planRuns(ITEMS, "smoke");
  const tasks = prepareTasks(plan, SCORED);
  const [vae, beta, paper] = plan.map((p) => p.name);
  assert.deepEqual(tasks.map((t) => [t.label, t.args.join(" "), t.after ?? []]), [
    [vae, "train dsprites-vae --profile smoke", []],
    [beta, "train dsprites-beta --profile smoke", []],
    [paper, "train dsprites-capacity-paper --profile smoke", []],
    ["baselines", "eval --baselines --profile smoke", []],
    [`eval ${vae}`, `eval ${vae} --profile smoke`, [0]],
    [`eval ${beta}`, `eval ${beta} --profile smoke`, [1]],
  ]);
  // Without scoring (`--no-scores`, or runs named on the command line): the trainings only.
  assert.deepEqual(prepareTasks(plan).map((t) => t.label), [vae, beta, paper]);
});

test("what is stored is not computed again: complete runs with their scores, a stored table", () => {
  const plan0 = planRuns(ITEMS, "smoke");
  // The VAE complete and scored at the smoke protocol; the beta-VAE complete, unscored.
  const [vae, beta] = plan0.slice(0, 2);
  for (const p of [vae, beta]) fakeRun(runsRoot, p.config, p.name, { complete: true, steps: p.config.steps, seconds: 1 });
  const protocol = profileProtocol("smoke");
  storeEntry(path.join(runsRoot, vae.name), {
    protocol: { numTrain: protocol.numTrain, numEval: protocol.numEval, batchSize: protocol.batchSize, seed: protocol.seed, numVarianceSamples: protocol.numVarianceSamples },
    scores: METRIC_NAMES.map((metric) => ({ metric, value: 0.5, numTrain: protocol.numTrain, numEval: protocol.numEval, seed: 0, details: {} })),
    seconds: {}, backend: "wasm", datasetSource: "generated", evaluatedAt: new Date().toISOString(),
  }, false);
  // The table at the smoke protocol, two rows only: still incomplete, so still computed.
  const dir = path.join(runsRoot, "baselines");
  const table = (rows: readonly ("ground-truth" | "raw-pixels" | "pca" | "ica" | "untrained-vae")[]) => storedHigginsTable(openDsprites(), {
    ...baselineProtocol("smoke"), baselines: rows, untrainedVaeArchitecture: "mlp", dir,
    untrainedVae: () => { throw new Error("not asked for"); },
  });
  table(["ground-truth", "raw-pixels"]);
  assert.ok(fs.existsSync(path.join(dir, BASELINES_FILE)));
  const plan = planRuns(ITEMS, "smoke");
  assert.deepEqual(plan.map((p) => p.action), ["complete", "complete", "train"]);
  assert.deepEqual(prepareTasks(plan, SCORED).map((t) => [t.label, t.after ?? []]), [
    [plan[2].name, []], ["baselines", []], [`eval ${beta.name}`, []],
  ]);
  table(["pca", "ica"]);
  assert.deepEqual(prepareTasks(plan, SCORED).map((t) => t.label), [plan[2].name, "baselines", `eval ${beta.name}`], "one row still missing");
});
