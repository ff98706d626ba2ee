/**
 * Fault class: bad flags and bad environment. Every case is refused before anything is trained or
 * written, with a message naming the flag (or variable), what was expected and the valid choices;
 * the runs folder stays as it was (empty here).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { trainCommand } from "../../cli/train";
import { runsCommand } from "../../cli/runs";
import { evalCommand } from "../../cli/eval";
import { benchCommand } from "../../cli/bench";
import { dataCommand } from "../../cli/data";
import { prepareCommand } from "../../cli/prepare";
import { reportCommand } from "../../cli/report";
import { parseArgs } from "../../cli/command";
import { sweepCommand } from "../../cli/sweep";
import { capture, fingerprint, ROOT, scratch, withEnv } from "./helpers";

/** Runs a command in an empty runs folder; returns its error and output, and asserts the folder stayed empty. */
async function refused(run: () => Promise<number>): Promise<{ message: string; code?: number }> {
  const dir = scratch("flags");
  try {
    const r = await withEnv({ BVAE_RUNS_DIR: dir }, () => capture(run));
    assert.deepEqual(fs.readdirSync(dir), [], "a refused command wrote nothing in the runs folder");
    return { message: r.error?.message ?? r.out, code: r.value as number | undefined };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("an unknown option is refused with the valid ones listed, a misspelt one with a suggestion", async () => {
  const bogus = await refused(() => trainCommand.run(["dsprites-beta", "--profile", "smoke", "--bogus", "1"]));
  assert.match(bogus.message, /bvae train: unknown option --bogus; its options: --profile, --steps, .*--checkpoint-every.*\(bvae train --help\)/);
  const step = await refused(() => trainCommand.run(["dsprites-beta", "--profile", "smoke", "--step", "7"]));
  assert.match(step.message, /unknown option --step \(did you mean --steps\?\)/);
  const evalFlag = await refused(() => evalCommand.run(["some-run", "--num-trian", "10"]));
  assert.match(evalFlag.message, /bvae eval: unknown option --num-trian \(did you mean --num-train\?\)/);
  assert.match((await refused(() => runsCommand.run(["--jsn"]))).message, /bvae runs: unknown option --jsn \(did you mean --json\?\); its options: --json, --clean/);
  assert.match((await refused(() => prepareCommand.run(["--job", "2", "--dry-run"]))).message, /did you mean --jobs\?/);
  assert.match((await refused(() => reportCommand.run(["--output", "x.md"]))).message, /bvae report: unknown option --output .*--out, --figures/);
  // The commands added with the rendered datasets and the sweeps are strict too.
  const sweepFile = `${ROOT}/sweeps/beta-seeds.json`;
  assert.match((await refused(() => sweepCommand.run(["plan", sweepFile, "--job", "2"]))).message, /bvae sweep plan: unknown option --job \(did you mean --jobs\?\); its options: --runs-dir, --jobs, --json, --measure/);
  assert.match((await refused(() => sweepCommand.run(["run", sweepFile, "--checkpoint-every", "5"]))).message, /bvae sweep run: unknown option --checkpoint-every/);
  assert.match((await refused(() => sweepCommand.run(["status", sweepFile, "other.json"]))).message, /bvae sweep status: unexpected argument "other\.json"/);
  assert.match((await refused(() => dataCommand.run(["chairs3d", "--cahce"]))).message, /bvae data chairs3d: unknown option --cahce \(did you mean --cache\?\)/);
});

test("extra words, values given to switches and flags given twice are refused", async () => {
  assert.match((await refused(() => trainCommand.run(["dsprites-beta", "extra", "--profile", "smoke"]))).message, /unexpected argument "extra" \(bvae train takes 1 argument/);
  assert.match((await refused(() => trainCommand.run(["dsprites-beta", "--dry-run", "yes"]))).message, /unexpected argument "yes"/);
  assert.match((await refused(() => runsCommand.run(["--json=1"]))).message, /--json takes no value, got "1"/);
  assert.match((await refused(() => trainCommand.run(["dsprites-beta", "--steps", "5", "--steps", "6", "--dry-run"]))).message, /--steps given twice/);
  assert.match((await refused(() => runsCommand.run(["everything"]))).message, /bvae runs takes no arguments/);
  assert.match((await refused(() => evalCommand.run(["run-a", "run-b"]))).message, /unexpected argument "run-b" \(one run at a time/);
});

test("counts and spacings that would mean nothing (0, negative, fractional) are refused before any work", async () => {
  // --checkpoint-every 0 used to be accepted, leaving a long run without a checkpoint to resume from.
  assert.match((await refused(() => trainCommand.run(["dsprites-beta", "--profile", "smoke", "--checkpoint-every", "0"]))).message, /--checkpoint-every: expected a positive integer, got 0/);
  assert.match((await refused(() => trainCommand.run(["dsprites-beta", "--stop-after", "0"]))).message, /--stop-after: expected a positive integer, got 0/);
  assert.match((await refused(() => trainCommand.run(["dsprites-beta", "--steps", "0", "--dry-run"]))).message, /--steps: expected a positive integer, got 0/);
  assert.match((await refused(() => trainCommand.run(["dsprites-beta", "--held-out", "-5", "--dry-run"]))).message, /--held-out: expected a non-negative integer, got -5/);
  assert.match((await refused(() => trainCommand.run(["dsprites-beta", "--progress-every", "-1"]))).message, /--progress-every: expected a positive number, got -1/);
  assert.match((await refused(() => benchCommand.run(["--seconds", "-1"]))).message, /--seconds: expected a positive number, got -1/);
  assert.match((await refused(() => benchCommand.run(["--parallel", "1.5"]))).message, /--parallel: expected a non-negative integer, got 1.5/);
  assert.match((await refused(() => evalCommand.run(["some-run", "--num-train", "0"]))).message, /--num-train: expected a positive integer, got 0/);
  assert.match((await refused(() => prepareCommand.run(["--jobs", "0", "--dry-run"]))).message, /--jobs: expected a positive integer, got 0/);
  assert.match((await refused(() => trainCommand.run(["dsprites-beta", "--seed", "abc"]))).message, /--seed expects a number, got "abc"/);
});

test("the held-out size can be set (small image folders), and changes the run's key", async () => {
  const dir = scratch("heldout");
  try {
    const plain = await withEnv({ BVAE_RUNS_DIR: dir }, () => capture(() => trainCommand.run(["chairs-beta", "--profile", "smoke", "--dry-run"])));
    const small = await withEnv({ BVAE_RUNS_DIR: dir }, () => capture(() => trainCommand.run(["chairs-beta", "--profile", "smoke", "--held-out", "10", "--dry-run"])));
    const a = JSON.parse(plain.out) as { run: string; config: { heldOut: number } };
    const b = JSON.parse(small.out) as { run: string; config: { heldOut: number } };
    assert.deepEqual([a.config.heldOut, b.config.heldOut], [1000, 10]);
    assert.notEqual(a.run, b.run);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("bvae data names every dataset it knows; --export onto the file being read is refused and the file kept", async () => {
  const none = await refused(() => dataCommand.run([]));
  assert.equal(none.code, 2);
  assert.match(none.message, /missing dataset \(available: dsprites, celeba, chairs, chairs3d, faces3d\)/);
  assert.match((await refused(() => dataCommand.run(["mnist"]))).message, /unknown dataset "mnist" \(available: dsprites, celeba, chairs, chairs3d, faces3d\)/);
  assert.match((await refused(() => dataCommand.run(["dsprites", "--subset", "5"]))).message, /--subset, --filter, --seed and --stored shape an export; add --export FILE\.npz/);
  // A small file in the official layout, then an export onto itself.
  const dir = scratch("export");
  try {
    const file = `${dir}/small.npz`;
    await capture(() => dataCommand.run(["dsprites", "--source", "generated", "--export", file, "--subset", "40"]));
    const before = fingerprint(dir);
    const self = await refused(() => dataCommand.run(["dsprites", "--file", file, "--export", `${dir}/./small.npz`, "--subset", "10"]));
    assert.match(self.message, /--export .*small\.npz is the file being read .*; write the export to another file/);
    assert.deepEqual(fingerprint(dir), before, "the source file is unchanged");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a bad PROFILE is refused with the valid names, by the CLI and by make", async () => {
  const cli = await withEnv({ PROFILE: "bogus" }, () => refused(() => trainCommand.run(["dsprites-vae", "--dry-run"])));
  assert.match(cli.message, /PROFILE="bogus" is not one of smoke, cpu, long, paper/);
  const make = spawnSync("make", ["-n", "unit"], { cwd: ROOT, env: { ...process.env, PROFILE: "bogus" }, encoding: "utf8" });
  assert.notEqual(make.status, 0);
  assert.match(make.stderr, /PROFILE=bogus is not a profile; use one of: smoke cpu long paper/);
  const ok = spawnSync("make", ["-n", "help"], { cwd: ROOT, env: { ...process.env, PROFILE: "smoke" }, encoding: "utf8" });
  assert.equal(ok.status, 0, ok.stderr);
});

test("the permissive form of parseArgs (a list of switches) still accepts any flag: only commands with a spec refuse", () => {
  assert.deepEqual(parseArgs(["x", "--any", "1"], ["json"]).flags, { any: "1" });
  assert.throws(() => parseArgs(["x", "--any", "1"], { command: "bvae t", values: ["some"] }), /bvae t: unknown option --any; its options: --some/);
});
