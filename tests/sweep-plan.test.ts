/** Sweep files: checking (errors name the file and field), expansion into runs with the keys `bvae train` gives, run states, speed. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { presetConfig } from "../lib/presets";
import { runName } from "../lib/runs";
import { parseSweep, readSweepFile } from "../lib/sweep/spec";
import { expandSweep, sweepStatus, countStates } from "../lib/sweep/plan";
import { estimateSweep, formatHours, speedSamples, storedSpeed, wallSeconds, MIN_STEPS } from "../lib/sweep/speed";

const F = "/x/sweep.json";
const base = { preset: "dsprites-beta", profile: "cpu", seeds: [1, 2] };

test("a sweep expands seed-major into the runs bvae train makes for the same configs", () => {
  const sweep = expandSweep(parseSweep({ ...base, grid: { "regulariser.beta": [1, 4, 16] } }, F));
  assert.equal(sweep.spec.name, "sweep"); // the file name
  assert.deepEqual(sweep.runs.map((r) => [r.index, r.setting.label, r.seed]), [
    [0, "beta=1", 1], [1, "beta=4", 1], [2, "beta=16", 1], [3, "beta=1", 2], [4, "beta=4", 2], [5, "beta=16", 2],
  ]);
  for (const r of sweep.runs) {
    const beta = r.setting.values["regulariser.beta"] as number;
    assert.equal(r.config.regulariser.kind === "beta" && r.config.regulariser.beta, beta);
    assert.equal(r.name, runName(presetConfig("dsprites-beta", "cpu", { seed: r.seed, regulariser: { kind: "beta", beta } })));
  }
  // beta = 4, seed 1 is the preset's own run: `bvae train dsprites-beta --profile cpu`.
  assert.equal(sweep.runs[1].name, runName(presetConfig("dsprites-beta", "cpu")));
  assert.equal(sweep.runs[4].name, runName(presetConfig("dsprites-beta", "cpu", { seed: 2 })));
  assert.equal(new Set(sweep.runs.map((r) => r.name)).size, 6);
});

test("capacity overrides keep the ramp scaled to the run's steps, and grids multiply in file order", () => {
  const sweep = expandSweep(parseSweep({ preset: "dsprites-capacity-report", profile: "cpu", seeds: { from: 3, to: 3 }, grid: { "regulariser.gamma": [100, 1000], "regulariser.cMax": [10, 25] } }, F));
  assert.deepEqual(sweep.settings.map((s) => s.label), ["gamma=100, cMax=10", "gamma=100, cMax=25", "gamma=1000, cMax=10", "gamma=1000, cMax=25"]);
  const r = sweep.runs[2].config.regulariser;
  assert.deepEqual(r, { kind: "capacity", gamma: 1000, cMax: 10, cStopStep: 2500 }); // cpu: 5,000 steps, ramp over half
  assert.equal(sweep.runs[0].config.seed, 3);
  const longer = expandSweep(parseSweep({ preset: "dsprites-capacity-report", profile: "cpu", seeds: [1], overrides: { steps: 8000 }, grid: { "regulariser.cMax": [30] } }, F));
  assert.deepEqual(longer.runs[0].config.regulariser, { kind: "capacity", gamma: 100, cMax: 30, cStopStep: 4000 });
  // cMax = 30 is the preset's own value: the same run as the preset with --steps 8000.
  assert.equal(longer.runs[0].name, runName(presetConfig("dsprites-capacity-report", "cpu", { steps: 8000 })));
});

test("overrides for every run, and numLatents / architecture in a grid", () => {
  const sweep = expandSweep(parseSweep({ preset: "dsprites-vae", profile: "smoke", seeds: [1], overrides: { architecture: "chairs" }, grid: { numLatents: [5, 10] } }, F));
  assert.deepEqual(sweep.runs.map((r) => [r.config.architecture, r.config.numLatents, r.config.steps, r.config.batchSize]), [["chairs", 5, 20, 32], ["chairs", 10, 20, 32]]);
  assert.deepEqual(sweep.runs.map((r) => r.setting.label), ["numLatents=5", "numLatents=10"]);
  const noGrid = expandSweep(parseSweep({ preset: "dsprites-vae", profile: "smoke", seeds: [1, 2, 3] }, F));
  assert.deepEqual(noGrid.runs.map((r) => [r.setting.label, r.seed]), [["all", 1], ["all", 2], ["all", 3]]);
});

test("errors name the file and the field, and say what was expected", () => {
  const bad = (v: Record<string, unknown>) => () => expandSweep(parseSweep(v, F));
  assert.throws(bad({ ...base, grdi: {} }), /\/x\/sweep\.json: "grdi": expected one of name, description/);
  assert.throws(bad({ ...base, preset: "dsprites-betta" }), /"preset": expected one of dsprites-vae, .*got "dsprites-betta"/);
  assert.throws(bad({ ...base, profile: "fast" }), /"profile": expected smoke \| cpu \| long \| paper, got "fast"/);
  assert.throws(bad({ ...base, grid: { "regulariser.betta": [1] } }), /"grid\.regulariser\.betta": expected a TrainConfig field one of regulariser\.beta, .* \(unknown override "regulariser\.betta"\)/);
  assert.throws(bad({ ...base, grid: { seed: [1, 2] } }), /"grid\.seed": expected no "seed" here: seeds are listed in "seeds"/);
  assert.throws(bad({ ...base, grid: { "regulariser.beta": [] } }), /"grid\.regulariser\.beta": expected a non-empty list/);
  assert.throws(bad({ ...base, grid: { "regulariser.beta": [4, 4] } }), /"grid\.regulariser\.beta": expected distinct values, got "4 twice"/);
  assert.throws(bad({ ...base, grid: { "regulariser.beta": [true] } }), /"grid\.regulariser\.beta\[0\]": expected a number or a string/);
  assert.throws(bad({ ...base, overrides: { numLatents: 5 }, grid: { numLatents: [5] } }), /"grid\.numLatents": expected "numLatents" in "grid" or in "overrides", not both/);
  assert.throws(bad({ ...base, seeds: [1, 1] }), /"seeds": expected distinct seeds, got "1 twice"/);
  assert.throws(bad({ ...base, seeds: [1, -2] }), /"seeds\[1\]": expected an integer in \[0, 2\^32\), got -2/);
  assert.throws(bad({ ...base, seeds: { from: 5, to: 1 } }), /"seeds": expected \{from, to\}/);
  assert.throws(bad({ ...base, slurm: { time: "4h" } }), /"slurm\.time": expected a time limit as sbatch takes it .*got "4h"/);
  assert.throws(bad({ ...base, slurm: { gpus: 1 } }), /"slurm\.gpus": expected one of time, cpusPerTask/);
  assert.throws(bad({ ...base, slurm: { extraArgs: ["gres=gpu:1"] } }), /"slurm\.extraArgs": expected a list of sbatch options/);
  assert.throws(bad({ ...base, eval: { numTrain: 10, numEval: 5, batchSize: 0, seed: 0 } }), /"eval\.batchSize": expected an integer >= 1, got 0/);
  assert.throws(bad({ ...base, name: "a b" }), /"name": expected a name of letters/);
  // Checked against the preset when expanded: the override must apply to it; values go through validateConfig.
  assert.throws(bad({ preset: "dsprites-vae", profile: "cpu", seeds: [1], grid: { "regulariser.beta": [4] } }),
    /\/x\/sweep\.json \(grid setting beta=4\): override "regulariser\.beta" does not apply to preset dsprites-vae, whose regulariser is "vae" \(it has no parameter\)/);
  assert.throws(bad({ ...base, grid: { "regulariser.cMax": [10] } }), /override "regulariser\.cMax" does not apply to preset dsprites-beta, whose regulariser is "beta" \(its fields: regulariser\.beta\)/);
  assert.throws(bad({ ...base, grid: { "regulariser.beta": [4, -1] } }), /\(grid setting beta=-1\): TrainConfig\.regulariser\.beta: expected a positive number, got -1/);
  assert.throws(bad({ ...base, overrides: { architecture: "resnet" } }), /TrainConfig\.architecture: expected burgess\|chairs\|mlp\|tiny, got "resnet"/);
  assert.throws(bad({ ...base, grid: { numLatents: [2.5] } }), /TrainConfig\.numLatents: expected a positive integer, got 2\.5/);
});

test("readSweepFile reports unreadable files and bad JSON with the file name", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-sweep-file-"));
  try {
    assert.throws(() => readSweepFile(path.join(dir, "none.json")), /none\.json: cannot read the sweep file/);
    fs.writeFileSync(path.join(dir, "bad.json"), "{ preset: ");
    assert.throws(() => readSweepFile(path.join(dir, "bad.json")), /bad\.json: not valid JSON/);
    fs.writeFileSync(path.join(dir, "ok.json"), JSON.stringify({ ...base, grid: { "regulariser.beta": [2] } }));
    const spec = readSweepFile(path.join(dir, "ok.json"));
    assert.equal(spec.name, "ok");
    assert.equal(spec.file, path.join(dir, "ok.json"));
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

/** A fake run folder: complete (config + summary) or partial (config + a checkpoint's state.json). */
function fakeRun(root: string, config: object & { preset?: string }, name: string, how: { complete: boolean; steps: number; seconds: number; lockPid?: number }): void {
  const dir = how.complete ? path.join(root, name) : path.join(root, ".partial", name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
  if (how.complete) fs.writeFileSync(path.join(dir, "summary.json"), JSON.stringify({ steps: how.steps, seconds: how.seconds, backend: "wasm" }));
  else {
    const ck = path.join(dir, `ckpt-${String(how.steps).padStart(9, "0")}`);
    fs.mkdirSync(ck);
    fs.writeFileSync(path.join(ck, "state.json"), JSON.stringify({ step: how.steps, seconds: how.seconds, backend: "wasm" }));
  }
  if (how.lockPid !== undefined) fs.writeFileSync(path.join(dir, "lock"), String(how.lockPid));
}

test("sweepStatus reads each run's state from the runs folder: complete, partial at its checkpoint, running, missing", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-sweep-status-"));
  try {
    const sweep = expandSweep(parseSweep({ ...base, grid: { "regulariser.beta": [1, 4] } }, F));
    const [a, b, c] = sweep.runs;
    fakeRun(root, a.config, a.name, { complete: true, steps: 5000, seconds: 2000 });
    fakeRun(root, b.config, b.name, { complete: false, steps: 1500, seconds: 600 });
    fakeRun(root, c.config, c.name, { complete: false, steps: 500, seconds: 200, lockPid: process.pid });
    const st = sweepStatus(sweep, { runsDir: root });
    assert.deepEqual(st.map((r) => [r.state, r.step]), [["complete", 5000], ["partial", 1500], ["running", 500], ["missing", 0]]);
    assert.equal(st[2].pid, process.pid);
    assert.equal(st[0].dir, path.join(root, a.name));
    assert.deepEqual(countStates(st), { complete: 1, running: 1, partial: 1, missing: 1 });

    // Speed from those folders: per image, median over runs of the same dataset and architecture.
    const samples = speedSamples([root, root]); // the same folder twice counts once
    assert.equal(samples.length, 3);
    const sp = storedSpeed(samples, "dsprites", "burgess")!;
    // 2000 s / 5000 steps, 600 / 1500 and 200 / 500: all 0.4 s per step of 64 images.
    assert.ok(Math.abs(sp.secondsPerImage - 0.4 / 64) < 1e-12);
    assert.equal(sp.source, "runs");
    assert.match(sp.note, /median of 1 complete \+ 2 partial burgess runs on dsprites \(wasm\)/);
    assert.equal(storedSpeed(samples, "dsprites", "chairs"), undefined);
    const est = estimateSweep(st, new Map([["dsprites/burgess", sp]]));
    // Left: 3,500 + 4,500 + 5,000 steps at 0.4 s.
    assert.equal(est.runs, 3);
    assert.equal(est.steps, 13_000);
    assert.ok(Math.abs(est.seconds - 13_000 * 0.4) < 1e-6);
    assert.ok(Math.abs(est.longestRun - 2000) < 1e-6);
    assert.deepEqual(estimateSweep(st, new Map()).unknown, [b.name, c.name, sweep.runs[3].name]);
  } finally {
    fs.rmSync(root, { recursive: true });
  }
});

test("speed: runs shorter than MIN_STEPS are left out, other batch sizes are scaled per image; wall time on N workers", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-sweep-speed-"));
  try {
    const cfg = (batchSize: number, architecture = "burgess") => ({ ...presetConfig("dsprites-vae", "cpu"), batchSize, architecture });
    fakeRun(root, cfg(64), "a", { complete: true, steps: 1000, seconds: 500 }); // 0.5 s / 64 images
    fakeRun(root, cfg(32), "b", { complete: true, steps: 1000, seconds: 1000 }); // 1 s / 32 images
    fakeRun(root, cfg(32), "c", { complete: true, steps: 1000, seconds: 300 }); // 0.3 s / 32 images
    fakeRun(root, cfg(32), "smoke", { complete: true, steps: MIN_STEPS - 1, seconds: 99 });
    fakeRun(root, cfg(64, "chairs"), "d", { complete: true, steps: 100, seconds: 150 });
    const samples = speedSamples([root]);
    assert.deepEqual(samples.map((s) => s.run).sort(), ["a", "b", "c", "d"]);
    const sp = storedSpeed(samples, "dsprites", "burgess")!;
    assert.ok(Math.abs(sp.secondsPerImage - 0.3 / 32) < 1e-12); // per image: 0.5/64 < 0.3/32 < 1/32, the median
    assert.deepEqual(sp.range, [0.5 / 64, 1 / 32]);
    assert.ok(Math.abs(storedSpeed(samples, "dsprites", "chairs")!.secondsPerImage - 1.5 / 64) < 1e-12);
  } finally {
    fs.rmSync(root, { recursive: true });
  }
  assert.equal(wallSeconds([3, 3, 3], 2), 6);
  assert.equal(wallSeconds([5, 1, 1, 1], 2), 5);
  assert.equal(wallSeconds([5, 1, 1, 1], 1), 8);
  assert.throws(() => wallSeconds([1], 0), /jobs must be a positive integer/);
  assert.deepEqual([formatHours(40), formatHours(12 * 60), formatHours(3 * 3600 + 5 * 60)], ["40 s", "12 min", "3 h 05 min"]);
});

test("the shipped example sweep: beta in {1, 4, 16} x seeds 1-3 at the cpu profile, nine distinct runs", () => {
  const file = path.join(__dirname, "..", "..", "sweeps", "beta-seeds.json");
  const sweep = expandSweep(readSweepFile(file));
  assert.equal(sweep.spec.name, "beta-seeds");
  assert.deepEqual(sweep.settings.map((s) => s.label), ["beta=1", "beta=4", "beta=16"]);
  assert.deepEqual(sweep.spec.seeds, [1, 2, 3]);
  assert.equal(sweep.runs.length, 9);
  assert.ok(sweep.runs.every((r) => r.config.profile === "cpu" && r.config.steps === 5000));
  assert.equal(sweep.runs[1].name, runName(presetConfig("dsprites-beta", "cpu")));
  assert.deepEqual(sweep.spec.slurm, { time: "04:00:00", cpusPerTask: 1, mem: "4G" });
});
