/** `bvae train` argument handling (dry runs only). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { trainCommand } from "../../cli/train";
import * as fs from "node:fs";
import * as path from "node:path";
import { capture } from "./capture";
import { expandSweep, readSweepFile } from "../../lib/sweep";

test("bvae train --dry-run prints the config and run folder of a preset with overrides", async () => {
  const { code, out } = await capture(() => trainCommand.run(["dsprites-capacity-paper", "--profile", "long", "--steps", "20000", "--seed", "3", "--arch", "chairs", "--dry-run"]));
  assert.equal(code, 0);
  const parsed = JSON.parse(out) as { run: string; config: { steps: number; seed: number; architecture: string; regulariser: { cStopStep: number } } };
  assert.match(parsed.run, /^dsprites-capacity-paper-long-[0-9a-f]{10}$/);
  assert.deepEqual([parsed.config.steps, parsed.config.seed, parsed.config.architecture, parsed.config.regulariser.cStopStep], [20000, 3, "chairs", 10000]);
});

test("bvae train rejects unknown presets, profiles and architectures", async () => {
  assert.equal((await capture(() => trainCommand.run(["nope"]))).code, 2);
  await assert.rejects(trainCommand.run(["dsprites-vae", "--profile", "fast", "--dry-run"]), /--profile/);
  await assert.rejects(trainCommand.run(["dsprites-vae", "--arch", "resnet", "--dry-run"]), /--arch/);
  await assert.rejects(trainCommand.run(["dsprites-vae", "--steps", "1.5", "--dry-run"]), /--steps/);
});

test("bvae train --overrides: any config field as JSON (the flags win over it); a bad one is refused", async () => {
  const { code, out } = await capture(() => trainCommand.run(["dsprites-vae", "--profile", "cpu", "--overrides", '{"architecture":"burgess","seed":4}', "--seed", "5", "--dry-run"]));
  assert.equal(code, 0);
  const parsed = JSON.parse(out) as { run: string; config: { architecture: string; seed: number } };
  assert.deepEqual([parsed.config.architecture, parsed.config.seed], ["burgess", 5]);
  await assert.rejects(trainCommand.run(["dsprites-vae", "--overrides", "{architecture: burgess}", "--dry-run"]), /--overrides: expected a JSON object of config fields/);
  await assert.rejects(trainCommand.run(["dsprites-vae", "--overrides", "[1]", "--dry-run"]), /--overrides: expected a JSON object of config fields, got \[1\]/);
  await assert.rejects(trainCommand.run(["dsprites-vae", "--overrides", '{"arch":"burgess"}', "--dry-run"]), /TrainConfig has no field "arch"/);
});

test("every line of scripts/campaign.txt is a valid bvae train command; a run on two lines is spelled alike, its stop growing", async () => {
  const file = path.join(__dirname, "..", "..", "..", "scripts", "campaign.txt");
  const lines = fs.readFileSync(file, "utf8").split("\n").map((l) => l.replace(/#.*/, "").trim()).filter((l) => l.length > 0);
  assert.ok(lines.length >= 10, `${lines.length} lines`);
  const runs = new Set<string>();
  // Per run: its arguments without the stop and checkpoint flags (how campaign.sh tells a run's lines apart),
  // and its last line's stop (the run's full length when the line has none).
  const seen = new Map<string, { args: string; stop: number }>();
  for (const line of lines) {
    const { code, out } = await capture(() => trainCommand.run([...line.split(/\s+/), "--dry-run"]));
    assert.equal(code, 0, line);
    const { run, config } = JSON.parse(out) as { run: string; config: { steps: number } };
    const args = line.replace(/--(stop-after|checkpoint-every)[ =]\S+/g, "").replace(/\s+/g, " ").trim();
    const stop = Number(/--stop-after[ =](\d+)/.exec(line)?.[1] ?? config.steps);
    const before = seen.get(run);
    if (before) {
      assert.equal(args, before.args, `${run}: its lines must differ only in --stop-after and --checkpoint-every`);
      assert.ok(stop > before.stop, `${run}: a later line stops at ${stop}, not after its earlier ${before.stop}`);
    }
    seen.set(run, { args, stop });
    runs.add(run);
  }
  assert.ok(runs.size >= 10, `${runs.size} runs`);
  // Nine lines in a row are the shipped example sweep's runs (issue 21), the same runs as `bvae sweep run` trains.
  const sweep = expandSweep(readSweepFile(path.join(__dirname, "..", "..", "..", "sweeps", "beta-seeds.json")));
  const names = sweep.runs.map((r) => r.name);
  const at = [...runs].findIndex((r) => names.includes(r));
  assert.ok(at >= 0, "the sweep's runs are in the queue");
  assert.deepEqual([...runs].slice(at, at + names.length).sort(), [...names].sort());
  // The first two are the H-network runs already under way (their keys since they started).
  assert.ok([...runs].slice(0, 2).join() === "dsprites-vae-long-773c541a5e,dsprites-beta-long-16a0a40aee", [...runs].slice(0, 2).join());
});
