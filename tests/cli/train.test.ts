/** `bvae train` argument handling (dry runs only). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { trainCommand } from "../../cli/train";
import { capture } from "./capture";

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
