/**
 * `bvae sweep slurm` / `status` without a cluster: the array script, the submission records and the
 * states read from squeue / sacct, with stand-in sbatch / squeue / sacct scripts on PATH. The real thing
 * (a one-node Slurm running a sweep) is tests/cli/sweep-slurm.slurm.ts, run by `make test-slurm`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot } from "../../lib/files";
import { readSubmissions, sweepFolder } from "../../lib/sweep/slurm";
import { loadSweep } from "../../lib/sweep/plan";

const BVAE = path.join(projectRoot(), "bin", "bvae.js");

function bvae(args: string[], env: NodeJS.ProcessEnv): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BVAE, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Stand-ins: sbatch records its arguments and answers 4242, 4243, ...; squeue prints squeue.txt; sacct says accounting is off. */
function fakeSlurm(dir: string): string {
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  const write = (name: string, body: string) => {
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`);
    fs.chmodSync(path.join(bin, name), 0o755);
  };
  write("sbatch", `n=$(cat "${dir}/count" 2>/dev/null || echo 4242); echo $((n + 1)) > "${dir}/count"; echo "$@" >> "${dir}/sbatch-args"; echo $n`);
  write("squeue", `cat "${dir}/squeue.txt" 2>/dev/null; exit 0`);
  write("sacct", `echo "Slurm accounting storage is disabled" >&2; exit 1`);
  return bin;
}

test("bvae sweep slurm writes the array script and records the job; status joins squeue with the run folders; resubmitting leaves queued runs out", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-sweep-slurm-"));
  try {
    const runs = path.join(dir, "runs");
    const file = path.join(dir, "t.json");
    fs.writeFileSync(file, JSON.stringify({ preset: "dsprites-beta", profile: "smoke", grid: { "regulariser.beta": [1, 4] }, seeds: [1, 2], slurm: { time: "00:10:00", mem: "2G", partition: "debug" } }));
    const sweep = loadSweep(file);
    const names = sweep.runs.map((r) => r.name);
    // Run 1 is complete already: it is not submitted.
    fs.mkdirSync(path.join(runs, names[1]), { recursive: true });
    fs.writeFileSync(path.join(runs, names[1], "config.json"), JSON.stringify(sweep.runs[1].config));
    fs.writeFileSync(path.join(runs, names[1], "summary.json"), JSON.stringify({ steps: 20, seconds: 5, backend: "wasm", final: { recon: 1, kl: 1, loss: 2, klPerLatent: [] } }));
    const env = { PATH: `${fakeSlurm(dir)}:${process.env.PATH}` };

    const first = bvae(["sweep", "slurm", file, "--runs-dir", runs, "--max-parallel", "2"], env);
    assert.equal(first.code, 0, first.err);
    assert.equal(first.out.trim().split("\n").pop(), "4242");
    const folder = sweepFolder(runs, "t");
    const [sub] = readSubmissions(folder);
    assert.equal(sub.jobId, "4242");
    assert.deepEqual(sub.tasks, { 0: names[0], 2: names[2], 3: names[3] });
    assert.equal(fs.readFileSync(path.join(dir, "sbatch-args"), "utf8").trim(), `--parsable ${sub.script}`);
    const script = fs.readFileSync(sub.script, "utf8");
    for (const line of [
      "#SBATCH --array=0,2-3%2", "#SBATCH --time=00:10:00", "#SBATCH --mem=2G", "#SBATCH --partition=debug", "#SBATCH --cpus-per-task=1",
      `#SBATCH --output=${folder}/slurm-%A_%a.out`, `export BVAE_RUNS_DIR=${runs}`, `RUNS=([0]=${names[0]} [2]=${names[2]} [3]=${names[3]})`,
      `cd ${projectRoot()}`,
    ]) assert.ok(script.split("\n").includes(line), `script lacks ${line}:\n${script}`);
    assert.match(script, new RegExp(`exec ${process.execPath} ${BVAE} sweep task ${sub.sweepFile} --index "\\$SLURM_ARRAY_TASK_ID" --expect "\\$\\{RUNS\\[\\$SLURM_ARRAY_TASK_ID\\]\\}"`));
    // The tasks read a frozen copy, which names the same runs (and keeps the sweep's name).
    const frozen = loadSweep(sub.sweepFile);
    assert.equal(frozen.spec.name, "t");
    assert.deepEqual(frozen.runs.map((r) => r.name), names);
    assert.deepEqual(fs.readdirSync(folder).filter((f) => f.includes("tmp")), []);

    // status: run 0 running, run 2 pending, run 3 gone from squeue; sacct cannot help (no accounting).
    fs.writeFileSync(path.join(dir, "squeue.txt"), "4242_0|RUNNING|0:05|vm|None\n4242_2|PENDING|0:00||Resources\n");
    const st = bvae(["sweep", "status", file, "--runs-dir", runs, "--json"], env);
    assert.equal(st.code, 0, st.err);
    const status = JSON.parse(st.out) as { counts: Record<string, number>; runs: { index: number; state: string; slurm?: { jobId: string; state?: string; node?: string; reason?: string; log: string } }[]; notes: string[] };
    assert.deepEqual(status.counts, { complete: 1, running: 0, partial: 0, damaged: 0, missing: 3 });
    assert.deepEqual(status.runs.map((r) => [r.index, r.state, r.slurm?.state ?? null]), [[0, "missing", "RUNNING"], [1, "complete", null], [2, "missing", "PENDING"], [3, "missing", null]]);
    assert.equal(status.runs[0].slurm!.node, "vm");
    assert.equal(status.runs[2].slurm!.reason, "Resources");
    assert.equal(status.runs[3].slurm!.log, path.join(folder, "slurm-4242_3.out"));
    assert.equal(status.runs[1].slurm, undefined);
    assert.deepEqual(status.notes, ["sacct -j 4242: Slurm accounting storage is disabled"]);
    const text = bvae(["sweep", "status", file, "--runs-dir", runs], env);
    assert.match(text.out, new RegExp(`0\\s+beta=1\\s+1\\s+${names[0]}\\s+missing\\s+4242_0 RUNNING 0:05 on vm`));
    assert.match(text.out, /4242_2 PENDING 0:00 \(Resources\)/);
    assert.match(text.out, /4242_3 not known to Slurm any more, no log/);

    // Resubmitting: runs 0 and 2 are held by job 4242's tasks; only run 3 goes.
    const second = bvae(["sweep", "slurm", file, "--runs-dir", runs, "--time", "5"], env);
    assert.equal(second.code, 0, second.err);
    assert.match(second.out, new RegExp(`${names[0]} is already in Slurm \\(4242_0 RUNNING\\); left out`));
    assert.match(second.out, new RegExp(`${names[2]} is already in Slurm \\(4242_2 PENDING\\); left out`));
    const subs = readSubmissions(folder);
    assert.deepEqual(subs.map((s) => [s.jobId, Object.keys(s.tasks)]), [["4242", ["0", "2", "3"]], ["4243", ["3"]]]);
    assert.notEqual(subs[1].script, subs[0].script);
    assert.ok(fs.existsSync(subs[0].script) && fs.existsSync(subs[0].sweepFile)); // the first submission's files are kept
    const script2 = fs.readFileSync(subs[1].script, "utf8");
    assert.ok(script2.includes("#SBATCH --array=3\n") && script2.includes("#SBATCH --time=5\n"), script2);

    // A bad flag is named.
    const bad = bvae(["sweep", "slurm", file, "--runs-dir", runs, "--time", "4h"], env);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /flags: "--time": expected a time limit as sbatch takes it/);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test("without sbatch on PATH, bvae sweep slurm says so; a task refuses a run other than the one submitted", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-sweep-nosbatch-"));
  try {
    const file = path.join(dir, "t.json");
    fs.writeFileSync(file, JSON.stringify({ preset: "dsprites-beta", profile: "smoke", grid: { "regulariser.beta": [1, 4] }, seeds: [1], slurm: { time: "10" } }));
    const r = bvae(["sweep", "slurm", file, "--runs-dir", path.join(dir, "runs")], { PATH: path.join(dir, "empty") });
    assert.equal(r.code, 1);
    assert.match(r.err, /sbatch is not on PATH: this needs a Slurm client/);
    // sbatch refusing the job: its message is shown, and no script is left behind as if submitted.
    const failing = path.join(dir, "failing");
    fs.mkdirSync(failing);
    fs.writeFileSync(path.join(failing, "sbatch"), "#!/bin/sh\necho 'sbatch: error: invalid partition specified: gpu' >&2\nexit 1\n");
    fs.chmodSync(path.join(failing, "sbatch"), 0o755);
    const refused = bvae(["sweep", "slurm", file, "--runs-dir", path.join(dir, "runs")], { PATH: `${failing}:${process.env.PATH}` });
    assert.equal(refused.code, 1);
    assert.match(refused.err, /sbatch failed \(exit 1\): sbatch: error: invalid partition specified: gpu/);
    assert.deepEqual(fs.readdirSync(sweepFolder(path.join(dir, "runs"), "t")), []);
    fs.rmSync(path.join(dir, "runs"), { recursive: true });

    const names = loadSweep(file).runs.map((x) => x.name);
    const wrong = bvae(["sweep", "task", file, "--index", "1", "--expect", names[0], "--runs-dir", path.join(dir, "runs")], {});
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, new RegExp(`run 1 of .*t\\.json is ${names[1]}, not ${names[0]} as when it was submitted`));
    const out = bvae(["sweep", "task", file, "--index", "2"], {});
    assert.match(out.err, /--index 2: the sweep .*t\.json has 2 runs \(0-1\)/);
    assert.equal(fs.existsSync(path.join(dir, "runs")), false); // nothing trained, nothing written
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});
