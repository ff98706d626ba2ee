/** Presets: every experiment of the report at every profile, with the published hyperparameters. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { PRESET_NAMES, PROFILE_SETTINGS, presetConfig, scaledCapacityStop } from "../../lib/train/presets";
import { PROFILES } from "../../lib/profile";
import { runKey } from "../../lib/runs";

test("every preset gives a valid config at every profile, each with its own key", () => {
  const keys = new Set<string>();
  for (const name of PRESET_NAMES) {
    for (const profile of PROFILES) {
      const c = presetConfig(name, profile);
      assert.equal(c.preset, name);
      assert.equal(c.profile, profile);
      keys.add(runKey(c));
    }
  }
  assert.equal(keys.size, PRESET_NAMES.length * PROFILES.length);
});

test("published hyperparameters (targets.md)", () => {
  const vae = presetConfig("dsprites-vae", "long");
  assert.deepEqual(
    [vae.dataset, vae.architecture, vae.numLatents, vae.decoder, vae.batchSize, vae.optimizer.learningRate, vae.optimizer.beta1, vae.optimizer.beta2, vae.steps],
    ["dsprites", "burgess", 10, "bernoulli", 64, 5e-4, 0.9, 0.999, 100_000],
  );
  assert.deepEqual(vae.regulariser, { kind: "vae" });
  assert.deepEqual(presetConfig("dsprites-beta", "cpu").regulariser, { kind: "beta", beta: 4 });
  assert.deepEqual(presetConfig("dsprites-capacity-report", "paper").regulariser, { kind: "capacity", gamma: 100, cMax: 30, cStopStep: 100_000 });
  assert.equal(presetConfig("dsprites-capacity-report", "paper").steps, 2_000_000);
  assert.deepEqual(presetConfig("dsprites-capacity-paper", "paper").regulariser, { kind: "capacity", gamma: 1000, cMax: 25, cStopStep: 100_000 });
  assert.equal(presetConfig("dsprites-vae-z5", "cpu").numLatents, 5);
  assert.equal(presetConfig("dsprites-capacity-z5", "cpu").numLatents, 5);
  const chairs = presetConfig("chairs-beta", "cpu");
  assert.deepEqual([chairs.decoder, chairs.architecture, chairs.optimizer.learningRate, chairs.regulariser], ["gaussian", "chairs", 1e-4, { kind: "beta", beta: 4 }]);
  const celeba = presetConfig("celeba-beta", "cpu");
  assert.deepEqual([celeba.decoder, celeba.regulariser], ["gaussian", { kind: "beta", beta: 10 }]);
});

test("profiles: smoke is tiny, cpu 5k, long 100k, paper the published schedule; C's ramp is scaled", () => {
  assert.equal(presetConfig("dsprites-vae", "smoke").steps, PROFILE_SETTINGS.smoke.steps);
  assert.equal(presetConfig("dsprites-vae", "cpu").steps, 5_000);
  assert.equal(presetConfig("dsprites-vae", "paper").steps, 1_500_000);
  const cap = (p: "smoke" | "cpu" | "long") => presetConfig("dsprites-capacity-report", p).regulariser;
  assert.deepEqual(cap("cpu"), { kind: "capacity", gamma: 100, cMax: 30, cStopStep: 2_500 });
  assert.deepEqual(cap("long"), { kind: "capacity", gamma: 100, cMax: 30, cStopStep: 50_000 });
  assert.equal(scaledCapacityStop(100_000, 2_000_000), 100_000);
  // --steps rescales the ramp too.
  assert.deepEqual(presetConfig("dsprites-capacity-paper", "long", { steps: 300_000 }).regulariser, { kind: "capacity", gamma: 1000, cMax: 25, cStopStep: 100_000 });
});

test("overrides: the report's architecture, a seed, one optimizer field", () => {
  const c = presetConfig("chairs-beta", "cpu", { architecture: "burgess", seed: 7, optimizer: { beta1: 0.5 } });
  assert.equal(c.architecture, "burgess");
  assert.equal(c.seed, 7);
  assert.equal(c.optimizer.learningRate, 1e-4, "the preset's learning rate is kept");
  assert.equal(c.optimizer.beta1, 0.5);
  assert.throws(() => presetConfig("nope" as "dsprites-vae", "cpu"), /unknown preset "nope"/);
});
