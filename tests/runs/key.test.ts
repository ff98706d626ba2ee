/**
 * A run's key (runs/key.ts): a hash of the whole config.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runKey, runName } from "../../lib/runs/key";
import type { TrainConfig } from "../../lib/train/config";
import { TOY_CONFIG as CONFIG } from "./toy-run";

test("run keys: a hash of the whole config, independent of key order", () => {
  const reordered = JSON.parse(JSON.stringify({ ...CONFIG, seed: undefined, optimizer: { ...CONFIG.optimizer } }));
  const again = { seed: CONFIG.seed, ...reordered } as TrainConfig;
  assert.equal(runKey(again), runKey(CONFIG));
  assert.match(runKey(CONFIG), /^[0-9a-f]{10}$/);
  assert.equal(runName(CONFIG), `toy-vae-smoke-${runKey(CONFIG)}`);
  const variants: Partial<TrainConfig>[] = [
    { seed: 12 },
    { steps: 17 },
    { profile: "cpu" },
    { architecture: "burgess" },
    { regulariser: { kind: "beta", beta: 4 } },
    { optimizer: { ...CONFIG.optimizer, learningRate: 1e-3 } },
    { batchSize: 16 },
    { dataset: "dsprites" },
  ];
  const keys = new Set(variants.map((v) => runKey({ ...CONFIG, ...v })));
  assert.equal(keys.size, variants.length);
  assert.ok(!keys.has(runKey(CONFIG)));
});
