/** The Higgins table of baselines (baselines/higgins-table.ts), whole, on the toy square dataset (small samples). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { higginsBaselineTable, formatHigginsTable, PUBLISHED_HIGGINS } from "../../lib/baselines/higgins-table";
import { makeToyDataset } from "../../lib/data/toy";

test("Higgins baseline table on the toy squares: ground truth 100%, rows in order beside the published numbers", () => {
  const ds = makeToyDataset();
  const rows = higginsBaselineTable(ds, {
    numTrain: 300, numEval: 150, batchSize: 16, numFitImages: 500, numComponents: 3,
    baselines: ["ground-truth", "raw-pixels", "pca", "ica"],
  });
  assert.deepEqual(rows.map((r) => r.baseline), ["ground-truth", "raw-pixels", "pca", "ica"]);
  assert.equal(rows[0].accuracy, 100);
  for (const r of rows) {
    assert.equal(r.published, PUBLISHED_HIGGINS[r.baseline]);
    assert.equal(r.score.numTrain, 300);
    assert.equal(r.score.numEval, 150);
    assert.ok(r.accuracy >= 100 / 3 - 10 && r.accuracy <= 100, `${r.baseline} ${r.accuracy}`);
  }
  const text = formatHigginsTable(rows);
  assert.match(text, /\| pca \| [0-9.]+ \| 84\.9 \+- 0\.4 \|/);
});
