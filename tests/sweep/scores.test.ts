/** A sweep's scores per setting (sweep/scores.ts), read from the scores `bvae eval` stores. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { storeEntry, type MetricProtocol } from "../../lib/runs/score-files";
import type { MetricName } from "../../lib/metrics/types";
import { parseSweep } from "../../lib/sweep/spec";
import { expandSweep, type Sweep } from "../../lib/sweep/plan";
import { formatSweepSummary, summariseSetting, sweepProtocol, sweepScoreTable, SMOKE_SWEEP_PROTOCOL, REFERENCE_SWEEP_PROTOCOL, evalFlags } from "../../lib/sweep/scores";

/** A complete run folder holding stored scores for `protocol`. */
function scoredRun(root: string, sweep: Sweep, index: number, protocol: MetricProtocol, scores: Partial<Record<MetricName, number>>): void {
  const run = sweep.runs[index];
  const dir = path.join(root, run.name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(run.config));
  fs.writeFileSync(path.join(dir, "summary.json"), JSON.stringify({ steps: run.config.steps, seconds: 1, backend: "wasm", final: { recon: 1, kl: 1, loss: 2, klPerLatent: [] } }));
  storeEntry(dir, {
    protocol, backend: "wasm", datasetSource: "generated", evaluatedAt: "2026-12-06T00:00:00Z", seconds: {},
    scores: Object.entries(scores).map(([metric, value]) => ({ metric: metric as MetricName, value: value as number, details: {}, numTrain: protocol.numTrain, numEval: protocol.numEval, seed: protocol.seed })),
  }, false);
}

test("the protocol: the file's eval, else small at the smoke profile and the reference otherwise; as bvae eval flags", () => {
  assert.deepEqual(sweepProtocol({ profile: "smoke" }), SMOKE_SWEEP_PROTOCOL);
  assert.deepEqual(sweepProtocol({ profile: "cpu" }), { numTrain: 10_000, numEval: 5_000, batchSize: 64, seed: 0 });
  assert.deepEqual(sweepProtocol({ profile: "cpu", eval: { numTrain: 1, numEval: 2, batchSize: 3, seed: 4 } }), { numTrain: 1, numEval: 2, batchSize: 3, seed: 4 });
  assert.deepEqual(evalFlags(REFERENCE_SWEEP_PROTOCOL), ["--num-train", "10000", "--num-eval", "5000", "--batch-size", "64", "--seed", "0"]);
});

test("sweepScoreTable reads each complete run's stored scores for the sweep's protocol; summaries give mean, sample sd, range", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-sweep-scores-"));
  try {
    const sweep = expandSweep(parseSweep({ preset: "dsprites-beta", profile: "smoke", grid: { "regulariser.beta": [1, 4] }, seeds: [1, 2, 3] }, "/x/s.json"));
    // Runs: 0 beta=1 s1, 1 beta=4 s1, 2 beta=1 s2, 3 beta=4 s2, 4 beta=1 s3, 5 beta=4 s3 (missing).
    const p = SMOKE_SWEEP_PROTOCOL;
    scoredRun(root, sweep, 0, p, { mig: 0.1, sap: 0.02 });
    scoredRun(root, sweep, 2, p, { mig: 0.2, sap: 0.04 });
    scoredRun(root, sweep, 4, p, { mig: 0.6 });
    scoredRun(root, sweep, 1, p, { mig: 0.3 });
    scoredRun(root, sweep, 3, { ...p, seed: 9 }, { mig: 0.9 }); // another protocol: not this sweep's score
    const rows = sweepScoreTable(sweep, { runsDir: root });
    assert.deepEqual(rows.map((r) => [r.index, r.setting, r.seed, r.beta, r.state, r.mig ?? null]), [
      [0, "beta=1", 1, 1, "complete", 0.1], [1, "beta=4", 1, 4, "complete", 0.3], [2, "beta=1", 2, 1, "complete", 0.2],
      [3, "beta=4", 2, 4, "complete", null], [4, "beta=1", 3, 1, "complete", 0.6], [5, "beta=4", 3, 4, "missing", null],
    ]);
    assert.equal(rows[0].run, sweep.runs[0].name);
    assert.equal(sweepScoreTable(sweep, { runsDir: root, protocol: { ...p, seed: 9 } })[3].mig, 0.9);

    const [b1, b4] = summariseSetting(rows, "mig");
    // beta=1: 0.1, 0.2, 0.6: mean 0.3, sample variance ((0.2^2 + 0.1^2 + 0.3^2) / 2) = 0.07.
    assert.equal(b1.setting, "beta=1");
    assert.equal(b1.n, 3);
    assert.ok(Math.abs(b1.mean - 0.3) < 1e-12);
    assert.ok(Math.abs(b1.sd - Math.sqrt(0.07)) < 1e-12);
    assert.deepEqual([b1.min, b1.max, b1.seeds], [0.1, 0.6, [1, 2, 3]]);
    assert.deepEqual([b4.setting, b4.n, b4.mean, Number.isNaN(b4.sd)], ["beta=4", 1, 0.3, true]);
    assert.deepEqual(summariseSetting(rows, "higgins"), []);
    assert.equal(formatSweepSummary(rows), [
      "| setting | mig | sap |",
      "|---|---:|---:|",
      "| beta=1 | 0.300 ± 0.265 (3) | 0.030 ± 0.014 (2) |",
      "| beta=4 | 0.300 ± - (1) |  |",
    ].join("\n"));
  } finally {
    fs.rmSync(root, { recursive: true });
  }
});

