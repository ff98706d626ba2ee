/**
 * Gradient-boosted trees (metrics/gbt.ts) against hand-computed Newton leaves.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { accuracy } from "../../lib/metrics/logistic";
import { fitGbt, predictGbt } from "../../lib/metrics/gbt";
import { makeRng } from "../../lib/rng";

test("boosted trees: one stage of depth 1 gives the hand-computed Newton leaves and importances", () => {
  const x = Float64Array.from([0, 1, 2, 3]); // one feature
  const y = Int32Array.from([0, 0, 1, 1]);
  const { model, trainPredictions } = fitGbt(x, y, 4, 1, 2, { numStages: 1, maxDepth: 1, learningRate: 1 });
  // init log-odds 0, p = 0.5, residuals -0.5/+0.5, hessians 0.25: leaves -1/0.5 = -2 and +2.
  const t = model.trees[0][0];
  assert.equal(t.feature[0], 0);
  assert.deepEqual(Array.from(t.value).filter((_, i) => t.feature[i] < 0), [-2, 2]);
  assert.deepEqual(Array.from(trainPredictions), [0, 0, 1, 1]);
  assert.deepEqual(Array.from(model.featureImportances), [1]);
  // Three features, only the middle one informative (5 classes), defaults otherwise.
  const rng = makeRng(2);
  const n = 1000;
  const x3 = new Float64Array(n * 3);
  const y3 = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y3[i] = rng.int(5);
    x3[i * 3] = rng.normal();
    x3[i * 3 + 1] = y3[i] + 0.1 * rng.normal();
    x3[i * 3 + 2] = rng.normal();
  }
  const fit = fitGbt(x3, y3, n, 3, 5, { numStages: 20 });
  assert.ok(fit.model.featureImportances[1] > 0.95, `importance of the informative feature ${fit.model.featureImportances[1]}`);
  assert.ok(accuracy(predictGbt(fit.model, x3, n), y3) > 0.99);
});
