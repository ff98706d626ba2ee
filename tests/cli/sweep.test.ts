/**
 * A real sweep on this machine (smoke profile, dSprites): a run trained by `bvae train` counts as the
 * sweep's; `bvae sweep run --jobs 2` trains the rest side by side, a second call trains nothing;
 * `bvae sweep report` scores the runs with `bvae eval` and prints them per setting.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot } from "../../lib/files";
import { findEntry } from "../../lib/runs/score-files";
import { loadSweep } from "../../lib/sweep/plan";
import { SMOKE_SWEEP_PROTOCOL } from "../../lib/sweep/scores";

const BVAE = path.join(projectRoot(), "bin", "bvae.js");

function bvae(args: string[], runsDir: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BVAE, ...args], { encoding: "utf8", env: { ...process.env, BVAE_RUNS_DIR: runsDir } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test("bvae sweep run trains the missing runs side by side, resumably; bvae sweep report scores them with bvae eval", { timeout: 600_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-sweep-run-"));
  try {
    const runs = path.join(dir, "runs");
    const file = path.join(dir, "local.json");
    fs.writeFileSync(file, JSON.stringify({ preset: "dsprites-beta", profile: "smoke", grid: { "regulariser.beta": [1, 4] }, seeds: [1] }));
    const sweep = loadSweep(file);
    const [b1, b4] = sweep.runs.map((r) => r.name);

    // beta = 4, seed 1 is the preset's own run: trained by bvae train, the sweep finds it complete.
    const trained = bvae(["train", "dsprites-beta", "--profile", "smoke"], runs);
    assert.equal(trained.code, 0, trained.err);
    assert.ok(trained.out.includes(`complete: ${path.join(runs, b4)} (step 20 of 20)`), trained.out);
    const plan = bvae(["sweep", "plan", file, "--json"], runs);
    assert.equal(plan.code, 0, plan.err);
    const planned = JSON.parse(plan.out) as { counts: Record<string, number>; runs: { name: string; state: string; seconds: number }[]; estimate: { runs: number; steps: number; seconds: number } };
    assert.deepEqual(planned.runs.map((r) => [r.name, r.state]), [[b1, "missing"], [b4, "complete"]]);
    assert.deepEqual([planned.estimate.runs, planned.estimate.steps], [1, 20]);
    assert.ok(planned.estimate.seconds > 0 && planned.runs[1].seconds === 0, plan.out);

    const first = bvae(["sweep", "run", file, "--jobs", "2"], runs);
    assert.equal(first.code, 0, first.err + first.out);
    assert.match(first.out, /1 complete, 0 running elsewhere, 1 to train/);
    assert.match(first.out, new RegExp(`complete: ${path.join(runs, b1)} \\(step 20 of 20\\)`));
    assert.match(first.out, /local: 2 of 2 runs complete/);
    const config = JSON.parse(fs.readFileSync(path.join(runs, b1, "config.json"), "utf8"));
    assert.deepEqual([config.regulariser, config.seed, config.steps, config.profile], [{ kind: "beta", beta: 1 }, 1, 20, "smoke"]);
    assert.equal(JSON.parse(fs.readFileSync(path.join(runs, b1, "summary.json"), "utf8")).steps, 20);

    const again = bvae(["sweep", "run", file], runs);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /2 complete, 0 running elsewhere, 0 to train/);

    const report = bvae(["sweep", "report", file, "--jobs", "2", "--metrics", "mig,sap", "--json", "--out", path.join(dir, "report.json")], runs);
    assert.equal(report.code, 0, report.err);
    const parsed = JSON.parse(report.out) as { rows: { run: string; setting: string; mig: number; sap: number }[]; summary: Record<string, { setting: string; n: number; mean: number }[]> };
    assert.deepEqual(parsed.rows.map((r) => [r.run, r.setting]), [[b1, "beta=1"], [b4, "beta=4"]]);
    for (const r of parsed.rows) {
      // The numbers are those bvae eval stored with the run, for the smoke protocol.
      const stored = findEntry(path.join(runs, r.run), SMOKE_SWEEP_PROTOCOL)!;
      assert.equal(r.mig, stored.scores.find((s) => s.metric === "mig")!.value);
      assert.equal(r.sap, stored.scores.find((s) => s.metric === "sap")!.value);
      assert.ok(r.mig >= 0 && r.mig <= 1 && r.sap >= 0 && r.sap <= 1, JSON.stringify(r));
      assert.deepEqual(stored.scores.map((s) => s.metric), ["mig", "sap"]);
    }
    assert.deepEqual(parsed.summary.mig.map((s) => [s.setting, s.n, s.mean]), parsed.rows.map((r) => [r.setting, 1, r.mig]));
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8")).rows, parsed.rows);
    // Scores already stored are reused: a second report runs no eval.
    const second = bvae(["sweep", "report", file, "--metrics", "mig,sap"], runs);
    assert.equal(second.code, 0, second.err);
    assert.match(second.out, /2 of 2 runs complete; 0 to score \(2 already scored\)/);
    assert.match(second.out, /\| beta=1 \| \d\.\d{3} ± - \(1\) \| \d\.\d{3} ± - \(1\) \|/);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});
