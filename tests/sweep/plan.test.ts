/** A sweep expanded into runs with the keys `bvae train` gives (sweep/plan.ts), and their states in a runs folder. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { presetConfig } from "../../lib/train/presets";
import { runName } from "../../lib/runs";
import { parseSweep, readSweepFile } from "../../lib/sweep/spec";
import { expandSweep, sweepStatus, countStates } from "../../lib/sweep/plan";
import { estimateSweep, speedSamples, storedSpeed } from "../../lib/sweep/speed";
import { fakeRun } from "./fake-run";

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
    assert.deepEqual(countStates(st), { complete: 1, running: 1, partial: 1, damaged: 0, missing: 1 });

    // Speed from those folders: per image, median over runs of the same dataset and architecture
    // (dsprites-beta trains the H network, "chairs").
    const samples = speedSamples([root, root]); // the same folder twice counts once
    assert.equal(samples.length, 3);
    const sp = storedSpeed(samples, "dsprites", "chairs")!;
    // 2000 s / 5000 steps, 600 / 1500 and 200 / 500: all 0.4 s per step of 64 images.
    assert.ok(Math.abs(sp.secondsPerImage - 0.4 / 64) < 1e-12);
    assert.equal(sp.source, "runs");
    assert.match(sp.note, /median of 1 complete \+ 2 partial chairs runs on dsprites \(wasm\)/);
    assert.equal(storedSpeed(samples, "dsprites", "burgess"), undefined);
    const est = estimateSweep(st, new Map([["dsprites/chairs", sp]]));
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

test("the shipped example sweep: beta in {1, 4, 16} x seeds 1-3 at the cpu profile, nine distinct runs", () => {
  const file = path.join(__dirname, "..", "..", "..", "sweeps", "beta-seeds.json");
  const sweep = expandSweep(readSweepFile(file));
  assert.equal(sweep.spec.name, "beta-seeds");
  assert.deepEqual(sweep.settings.map((s) => s.label), ["beta=1", "beta=4", "beta=16"]);
  assert.deepEqual(sweep.spec.seeds, [1, 2, 3]);
  assert.equal(sweep.runs.length, 9);
  assert.ok(sweep.runs.every((r) => r.config.profile === "cpu" && r.config.steps === 5000));
  assert.equal(sweep.runs[1].name, runName(presetConfig("dsprites-beta", "cpu")));
  assert.deepEqual(sweep.spec.slurm, { time: "04:00:00", cpusPerTask: 1, mem: "4G" });
});
