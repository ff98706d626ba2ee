/**
 * runFactorMap (analysis/run-factors.ts): a run's latents against the dataset's factors, the
 * latents its newest history row leaves unused reported as "-".
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildModel } from "../../lib/models";
import { makeToyDataset } from "../../lib/data/toy";
import { latentFactorMap } from "../../lib/analysis/latent-factors";
import { runFactorMap } from "../../lib/analysis/run-factors";
import type { HistoryRow } from "../../lib/train/history";

const row = (klPerLatent: number[]): HistoryRow => ({
  step: 0, seconds: 0, recon: 0, kl: 0, loss: 0, capacity: 0, klPerLatent, mu: [0, 0, 0], muSd: [1, 1, 1], var: [1, 1, 1],
});

test("runFactorMap: the model's map, unused latents (KL <= 0.1 in the newest row) as '-'", async () => {
  await tf.setBackend("cpu");
  const model = buildModel({ architecture: "tiny", numLatents: 3, initSeed: 2 });
  try {
    const toy = makeToyDataset();
    // The newest row decides: latent 1 carries 0.05 nats there (it carried 5 earlier).
    const run = { model, history: { rows: [row([2, 5, 0.01]), row([2, 0.05, 3])] } };
    const map = runFactorMap(run, toy, { n: 300 });
    const all = latentFactorMap(model, toy, { n: 300 });
    assert.deepEqual(map.nmi, all.nmi);
    assert.equal(map.factorOfLatent[1], "-");
    assert.deepEqual([map.factorOfLatent[0], map.factorOfLatent[2]], [all.factorOfLatent[0], all.factorOfLatent[2]]);
    assert.ok(["size", "posX", "posY"].includes(map.factorOfLatent[0]), map.factorOfLatent[0]);
    assert.throws(() => runFactorMap({ model, history: { rows: [] } }, toy), /empty history/);
  } finally {
    model.dispose();
  }
});
