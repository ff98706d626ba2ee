/** Sweep files (sweep/spec.ts): errors name the file and the field and say what was expected. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseSweep, readSweepFile } from "../../lib/sweep/spec";
import { expandSweep } from "../../lib/sweep/plan";

const F = "/x/sweep.json";
const base = { preset: "dsprites-beta", profile: "cpu", seeds: [1, 2] };

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

