/**
 * `bvae eval <run>` end to end on a tiny trained run (toy squares, tiny MLP, cpu backend): scores
 * land in <run>/metrics.json with their protocol, a second call reuses them, and stored scores are
 * only replaced with --force. A partial run's scores land in .partial/<name>/metrics-step-<step>.json,
 * and a weight snapshot's (--snapshot) in the run's metrics-step-<step>.json.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { trainOrLoad } from "../../lib/runs";
import { makeConfig } from "../../lib/train/config";
import { evalCommand } from "../../cli/eval";
import { partialMetricsFile, readMetrics, storeEntry } from "../../lib/runs/score-files";
import { loadSnapshot, runName } from "../../lib/runs";
import { profileProtocol, scoreHistory, storedScores } from "../../lib/runs/scores";
import { findRun } from "../../lib/runs/run";
import { openDataset } from "../../lib/train/datasets";
import { evaluateAll, ADAPTER_DEFAULTS } from "../../lib/metrics/adapter";
import { modelEncoder } from "../../lib/metrics/model-encoder";

const runsRoot = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-eval-"));

before(async () => {
  process.env.BVAE_BACKEND = "cpu";
  process.env.BVAE_RUNS_DIR = runsRoot;
  await tf.setBackend("cpu");
});

const CONFIG = makeConfig({
  preset: "toy-vae",
  profile: "smoke",
  dataset: "toy",
  architecture: "tiny",
  numLatents: 3,
  batchSize: 8,
  heldOut: 16,
  steps: 8,
  historyEvery: 4,
  seed: 5,
  optimizer: { learningRate: 2e-3 },
});

test("bvae eval stores every requested metric with its protocol and reuses stored scores", async () => {
  const run = await trainOrLoad(CONFIG, { runsDir: runsRoot, quiet: true });
  run.model.dispose();
  const args = [run.name, "--num-train", "60", "--num-eval", "30", "--batch-size", "8", "--seed", "3", "--metrics", "higgins,factorvae,mig,sap"];
  const log = console.log;
  const err = console.error;
  const lines: string[] = [];
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  console.error = () => {};
  try {
    assert.equal(await evalCommand.run(args), 0);
    const file = readMetrics(run.dir);
    assert.ok(file);
    assert.equal(file.entries.length, 1);
    const e = file.entries[0];
    assert.deepEqual(e.protocol, { numTrain: 60, numEval: 30, batchSize: 8, seed: 3 });
    assert.deepEqual(e.scores.map((s) => s.metric).sort(), ["factorvae", "higgins", "mig", "sap"]);
    for (const s of e.scores) {
      assert.ok(Number.isFinite(s.value) && s.value >= 0 && s.value <= 1, `${s.metric} ${s.value}`);
      assert.equal(s.seed, 3);
      assert.equal(s.numTrain, 60);
    }
    const before = fs.readFileSync(path.join(run.dir, "metrics.json"), "utf8");
    lines.length = 0;
    assert.equal(await evalCommand.run(args), 0);
    assert.match(lines.join("\n"), /stored scores/);
    assert.equal(fs.readFileSync(path.join(run.dir, "metrics.json"), "utf8"), before);
    // Refuses to overwrite a stored metric without replace (--force).
    assert.throws(() => storeEntry(run.dir, { ...e, scores: [e.scores[0]] }, false), /already holds/);
  } finally {
    console.log = log;
    console.error = err;
  }
});

test("bvae eval on a partial run stores its scores beside the checkpoints, tagged with the step", async () => {
  const cfg = makeConfig({ ...CONFIG, seed: 6 });
  const part = await trainOrLoad(cfg, { runsDir: runsRoot, quiet: true, stopAfter: 4, checkpointEvery: 2 });
  part.model.dispose();
  assert.equal(part.complete, false);
  const out = path.join(runsRoot, "partial-scores.json");
  const log = console.log;
  const err = console.error;
  console.log = () => {};
  console.error = () => {};
  try {
    const code = await evalCommand.run([part.name, "--num-train", "40", "--num-eval", "20", "--batch-size", "8", "--metrics", "mig,higgins", "--out", out]);
    assert.equal(code, 0);
  } finally {
    console.log = log;
    console.error = err;
  }
  const saved = JSON.parse(fs.readFileSync(out, "utf8")) as { step: number; scores: { metric: string }[] };
  assert.equal(saved.step, 4);
  assert.deepEqual(saved.scores.map((s) => s.metric), ["mig", "higgins"]);
  const partialDir = path.join(runsRoot, ".partial", part.name);
  assert.ok(!fs.existsSync(path.join(partialDir, "metrics.json")));
  const file = readMetrics(partialDir, partialMetricsFile(4));
  assert.ok(file, "metrics-step-4.json written");
  assert.equal(partialMetricsFile(4), "metrics-step-4.json");
  assert.equal(file.run, part.name);
  assert.equal(file.entries.length, 1);
  assert.equal(file.entries[0].step, 4);
  assert.deepEqual(file.entries[0].protocol, { numTrain: 40, numEval: 20, batchSize: 8, seed: 0 });
  assert.deepEqual(file.entries[0].scores, (saved as unknown as { scores: unknown }).scores);
  assert.deepEqual(fs.readdirSync(partialDir).filter((n) => n.endsWith(".tmp")), []);
  // A second call finds the stored scores of this step; a newer checkpoint gets its own file.
  const lines: string[] = [];
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  console.error = () => {};
  try {
    assert.equal(await evalCommand.run([part.name, "--num-train", "40", "--num-eval", "20", "--batch-size", "8", "--metrics", "higgins"]), 0);
    assert.match(lines.join("\n"), /at step 4: stored scores in .*metrics-step-4\.json/);
    const more = await trainOrLoad(cfg, { runsDir: runsRoot, quiet: true, stopAfter: 6, checkpointEvery: 2 });
    more.model.dispose();
    assert.equal(await evalCommand.run([part.name, "--num-train", "40", "--num-eval", "20", "--batch-size", "8", "--metrics", "higgins"]), 0);
  } finally {
    console.log = log;
    console.error = err;
  }
  assert.equal(readMetrics(partialDir, partialMetricsFile(6))?.entries[0].step, 6);
  assert.equal(readMetrics(partialDir, partialMetricsFile(4))?.entries[0].scores.length, 2);
});

test("bvae eval --snapshot scores a stage of a complete run into its score history", async () => {
  const cfg = makeConfig({ ...CONFIG, seed: 7 });
  const run = await trainOrLoad(cfg, { runsDir: runsRoot, quiet: true });
  const protocol = { numTrain: 40, numEval: 20, batchSize: 8, seed: 0 };
  const flags = ["--num-train", "40", "--num-eval", "20", "--batch-size", "8", "--metrics", "mig,higgins"];
  const lines: string[] = [];
  const log = console.log;
  const err = console.error;
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  console.error = () => {};
  try {
    assert.equal(await evalCommand.run([run.name, "--snapshot", "4", ...flags]), 0);
    assert.match(lines.join("\n"), /at step 4: scores stored in .*metrics-step-4\.json/);
    await assert.rejects(evalCommand.run([run.name, "--snapshot", "3", ...flags]), /no snapshot at step 3 \(have 1, 2, 4\)/);
    await assert.rejects(evalCommand.run([run.name, "--snapshot", "-2", ...flags]), /--snapshot: expected a positive step/);
    // The run's own last step is its final weights: metrics.json.
    assert.equal(await evalCommand.run([run.name, "--snapshot", "8", ...flags]), 0);
  } finally {
    console.log = log;
    console.error = err;
  }
  const stage = readMetrics(run.dir, partialMetricsFile(4))!.entries[0];
  assert.equal(stage.step, 4);
  assert.equal(readMetrics(run.dir)!.entries[0].step, undefined);
  // The snapshot's scores are those of the snapshot's weights, not the final ones.
  const snap = loadSnapshot(run, 4);
  const direct = evaluateAll(openDataset("toy"), modelEncoder(snap), { ...ADAPTER_DEFAULTS, ...protocol }, { metrics: ["mig", "higgins"] });
  snap.dispose();
  assert.deepEqual(stage.scores.map((s) => s.value), direct.map((s) => s.value));
  assert.deepEqual([...new Set(scoreHistory(run, protocol).map((p) => p.step))], [4, 8]);
  run.model.dispose();
});

test("bvae eval --profile p stores scores under the key the notebooks read at p (bvae prepare scores for them)", async () => {
  const run = await trainOrLoad(makeConfig({ ...CONFIG, seed: 11 }), { runsDir: runsRoot, quiet: true });
  run.model.dispose();
  const found = findRun(run.name);
  const metrics = ["higgins", "mig"] as const;
  assert.deepEqual(storedScores(found, profileProtocol("smoke"), { metrics: [...metrics] }).missing, ["higgins", "mig"]);
  const err = console.error;
  const log = console.log;
  console.error = () => {};
  console.log = () => {};
  try {
    assert.equal(await evalCommand.run([run.name, "--profile", "smoke", "--metrics", metrics.join(",")]), 0);
    await assert.rejects(evalCommand.run([run.name, "--profile", "laptop"]), /--profile: expected one of smoke, cpu, long, paper, got "laptop"/);
  } finally {
    console.error = err;
    console.log = log;
  }
  // Read back by runScores' own lookup at the smoke protocol (100 / 50 / 16, FactorVAE's 500 variance codes kept in the key).
  assert.deepEqual(storedScores(found, profileProtocol("smoke"), { metrics: [...metrics] }).missing, []);
  assert.deepEqual(readMetrics(run.dir)!.entries[0].protocol, { numTrain: 100, numEval: 50, batchSize: 16, seed: 0, numVarianceSamples: 500 });
  // The reference protocol (cpu and longer) is another key: nothing stored for it.
  assert.deepEqual(storedScores(found, profileProtocol("cpu"), { metrics: [...metrics] }).missing, ["higgins", "mig"]);
});

test("bvae eval --history: every stored stage of every scored run, for one protocol", async () => {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  const flags = ["--num-train", "40", "--num-eval", "20", "--batch-size", "8"];
  try {
    assert.equal(await evalCommand.run(["--history", ...flags, "--json"]), 0);
    const { rows } = JSON.parse(lines.join("\n")) as { rows: { run: string; step: number; mig?: number; higgins?: number }[] };
    // The partial run of seed 6 (checkpoints 4 and 6) and the complete run of seed 7 (snapshot 4, final 8);
    // the run of seed 5 was scored with another protocol.
    const partial = runName(makeConfig({ ...CONFIG, seed: 6 }));
    const complete = runName(makeConfig({ ...CONFIG, seed: 7 }));
    // Complete runs first (as `bvae runs` lists them), each in step order.
    assert.deepEqual(rows.map((r) => `${r.run}@${r.step}`), [`${complete}@4`, `${complete}@8`, `${partial}@4`, `${partial}@6`]);
    const stored = readMetrics(path.join(runsRoot, complete), partialMetricsFile(4))!.entries[0].scores;
    assert.equal(rows.find((r) => r.run === complete && r.step === 4)!.mig, stored.find((s) => s.metric === "mig")!.value);
    lines.length = 0;
    assert.equal(await evalCommand.run(["--history", partial, ...flags]), 0);
    // Step 6 was scored on the Higgins metric only.
    assert.match(lines.join("\n"), new RegExp(`\\| ${partial} \\| 6 \\| [0-9.]+ \\|  \\|  \\|  \\|  \\|`));
    assert.match(lines.join("\n"), new RegExp(`\\| ${partial} \\| 4 \\| [0-9.]+ \\|  \\| [0-9.]+ \\|  \\|  \\|`), "step 4: Higgins and MIG");
    await assert.rejects(evalCommand.run(["--history", "no-such-run"]), /no run named "no-such-run"/);
  } finally {
    console.log = log;
  }
});
