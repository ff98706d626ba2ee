/**
 * The sweep on a real Slurm (issue 21, item 5): a tiny sweep (smoke profile, beta in {1, 4} x seeds
 * {1, 2}) goes through sbatch as one job array to completion; then the runs, the task logs, the
 * status (squeue) and the report (bvae eval) are checked.
 *
 * Not a `*.test.js` file on purpose: `make unit` does not run it. `make test-slurm`
 * (scripts/slurm-test.sh, part of `make test`) starts a one-node Slurm with scripts/slurm-local.sh,
 * runs this file with SLURM_CONF pointing at it, and stops Slurm afterwards.
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
import { readSubmissions, sweepFolder } from "../../lib/sweep/slurm";

const BVAE = path.join(projectRoot(), "bin", "bvae.js");

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): { code: number; out: string; err: string } {
  const r = spawnSync(cmd, args, { encoding: "utf8", env: { ...process.env, ...env } });
  if (r.error) return { code: -1, out: "", err: r.error.message };
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface StatusJson {
  counts: Record<string, number>;
  runs: { index: number; name: string; state: string; slurm?: { jobId: string; state?: string; node?: string; log: string } }[];
  notes: string[];
}

test("a 2 x 2 smoke sweep runs through sbatch as one job array to completion; status and report read it", { timeout: 900_000 }, async (t) => {
  // Slurm must be up: this test does not skip.
  assert.ok(process.env.SLURM_CONF, "SLURM_CONF is not set: run this test with `make test-slurm` (scripts/slurm-local.sh starts a one-node Slurm)");
  const sinfo = run("sinfo", ["-h", "-N", "-o", "%N %T %c"]);
  assert.equal(sinfo.code, 0, `sinfo failed: ${sinfo.err}`);
  assert.match(sinfo.out, /idle/, `no idle node: ${sinfo.out}`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-sweep-slurm-real-"));
  const runs = path.join(dir, "runs");
  const file = path.join(dir, "tiny.json");
  fs.writeFileSync(file, JSON.stringify({
    name: "tiny", preset: "dsprites-beta", profile: "smoke", grid: { "regulariser.beta": [1, 4] }, seeds: [1, 2],
    slurm: { time: "00:15:00", cpusPerTask: 1, mem: "3G" },
  }));
  const sweep = loadSweep(file);
  const env = { BVAE_RUNS_DIR: runs };
  let ok = false;
  try {
    const t0 = Date.now();
    const sub = run(process.execPath, [BVAE, "sweep", "slurm", file], env);
    assert.equal(sub.code, 0, sub.err + sub.out);
    const jobId = sub.out.trim().split("\n").pop()!;
    assert.match(jobId, /^\d+$/);
    const [record] = readSubmissions(sweepFolder(runs, "tiny"));
    assert.equal(record.jobId, jobId);
    assert.deepEqual(Object.values(record.tasks), sweep.runs.map((r) => r.name));

    // Follow it with bvae sweep status until every run is complete (or 10 minutes pass).
    const seen = new Set<string>();
    let status: StatusJson | undefined;
    while (Date.now() - t0 < 600_000) {
      const st = run(process.execPath, [BVAE, "sweep", "status", file, "--json"], env);
      assert.equal(st.code, 0, st.err);
      status = JSON.parse(st.out) as StatusJson;
      for (const r of status.runs) if (r.slurm?.state) seen.add(r.slurm.state);
      if (status.counts.complete === 4 && status.runs.every((r) => r.slurm?.state === "COMPLETED")) break;
      if (status.runs.some((r) => r.slurm?.state && /FAILED|CANCELLED|TIMEOUT|OUT_OF_MEMORY|NODE_FAIL/.test(r.slurm.state))) break;
      await sleep(2000);
    }
    const logs = (status?.runs ?? []).map((r) => `--- ${r.slurm?.log}\n${r.slurm && fs.existsSync(r.slurm.log) ? fs.readFileSync(r.slurm.log, "utf8").slice(-1500) : "(no log)"}`).join("\n");
    assert.ok(status && status.counts.complete === 4, `not every run completed within 10 min: ${JSON.stringify(status?.runs.map((r) => [r.index, r.state, r.slurm?.state]))}\n${logs}`);
    t.diagnostic(`sweep through Slurm: 4 runs complete ${((Date.now() - t0) / 1000).toFixed(0)} s after sbatch; task states seen: ${[...seen].join(", ")}`);
    assert.deepEqual(status.runs.map((r) => [r.index, r.slurm?.jobId, r.slurm?.state]), [0, 1, 2, 3].map((i) => [i, jobId, "COMPLETED"]));

    // The runs are ordinary run folders, with the sweep's configs, trained by the array tasks.
    for (const r of sweep.runs) {
      const config = JSON.parse(fs.readFileSync(path.join(runs, r.name, "config.json"), "utf8"));
      assert.deepEqual(config, JSON.parse(JSON.stringify(r.config)));
      assert.deepEqual([config.regulariser.beta, config.seed], [r.setting.values["regulariser.beta"], r.seed]);
      assert.equal(JSON.parse(fs.readFileSync(path.join(runs, r.name, "summary.json"), "utf8")).steps, 20);
      const log = fs.readFileSync(path.join(sweepFolder(runs, "tiny"), `slurm-${jobId}_${r.index}.out`), "utf8");
      assert.match(log, new RegExp(`job ${jobId} task ${r.index}: ${r.name}`));
      assert.ok(log.includes(`complete: ${path.join(runs, r.name)} (step 20 of 20)`), log);
    }
    assert.equal(fs.existsSync(path.join(runs, ".partial")) ? fs.readdirSync(path.join(runs, ".partial")).length : 0, 0);

    // Nothing is left to submit.
    const again = run(process.execPath, [BVAE, "sweep", "slurm", file], env);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /nothing to submit: 4 of 4 runs complete/);

    // The report: bvae eval on each run (two side by side), scores per setting over the two seeds.
    const rep = run(process.execPath, [BVAE, "sweep", "report", file, "--jobs", "2", "--metrics", "mig,dci,sap", "--json"], env);
    assert.equal(rep.code, 0, rep.err);
    const report = JSON.parse(rep.out) as { rows: Record<string, number | string>[]; summary: Record<string, { setting: string; n: number; mean: number; sd: number }[]> };
    assert.equal(report.rows.length, 4);
    for (const row of report.rows) {
      const stored = findEntry(path.join(runs, String(row.run)), SMOKE_SWEEP_PROTOCOL)!;
      for (const m of ["mig", "dci", "sap"]) {
        const v = stored.scores.find((s) => s.metric === m)!.value;
        assert.equal(row[m], v);
        assert.ok(v >= 0 && v <= 1, `${row.run} ${m} = ${v}`);
      }
    }
    for (const m of ["mig", "dci", "sap"]) {
      assert.deepEqual(report.summary[m].map((s) => [s.setting, s.n]), [["beta=1", 2], ["beta=4", 2]]);
      for (const s of report.summary[m]) {
        const values = report.rows.filter((r) => r.setting === s.setting).map((r) => r[m] as number);
        assert.ok(Math.abs(s.mean - (values[0] + values[1]) / 2) < 1e-12);
        assert.ok(Math.abs(s.sd - Math.abs(values[0] - values[1]) / Math.SQRT2) < 1e-12);
      }
    }
    ok = true;
  } finally {
    if (ok) fs.rmSync(dir, { recursive: true });
    else t.diagnostic(`kept ${dir} for inspection`);
  }
});
