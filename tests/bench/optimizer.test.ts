/**
 * `bvae bench` times each architecture with the optimiser the presets train it with (an MLP step
 * timed with Adam would hide the cost of Adagrad, the MLP's optimiser).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { benchOptimizer } from "../../lib/bench/step";
import { PRESET_NAMES, presetConfig } from "../../lib/train/presets";
import { isAdagrad } from "../../lib/train/optimizer";

test("benchOptimizer is the optimiser kind of every preset of that architecture", () => {
  const seen = new Set<string>();
  for (const name of PRESET_NAMES) {
    const config = presetConfig(name, "cpu");
    const kind = (c: Parameters<typeof isAdagrad>[0]) => (isAdagrad(c) ? "adagrad" : "adam");
    assert.equal(kind(benchOptimizer(config.architecture)), kind(config.optimizer), `${name} (${config.architecture})`);
    seen.add(`${config.architecture} ${kind(config.optimizer)}`);
  }
  assert.ok(seen.has("mlp adagrad") && seen.has("burgess adam") && seen.has("chairs adam"), [...seen].join(", "));
});
