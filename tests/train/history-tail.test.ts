/** The end of a run read from its history (train/history-tail.ts): last row, tail means, |KL - C|. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { HistoryRow } from "../../lib/train/history";
import { capacityGap, historyUntil, lastRow, tailLength, tailMean, tailPerLatent } from "../../lib/train/history-tail";

const row = (step: number, recon: number, kl: number, capacity: number, klPerLatent: number[]): HistoryRow => ({
  step, seconds: step, recon, kl, loss: recon + kl, capacity, klPerLatent, mu: [0, 0], muSd: [1, 1], var: klPerLatent.map((k) => 1 / (1 + k)),
});
// 20 rows: recon 100, 95, ..., 5; kl = step / 10; C = 1 from step 100 on.
const rows = Array.from({ length: 20 }, (_, i) => row(10 * i, 100 - 5 * i, i, i >= 10 ? 1 : 0, [i, 2 * i]));

test("lastRow: the newest row, of rows or of a run; an empty history is an error", () => {
  assert.equal(lastRow(rows).step, 190);
  assert.equal(lastRow({ history: { rows } }), rows[19]);
  assert.throws(() => lastRow([]), /lastRow: empty history/);
});

test("tailLength: ceil(count * fraction), at least one row", () => {
  assert.equal(tailLength(20, 0.05), 1);
  assert.equal(tailLength(21, 0.05), 2);
  assert.equal(tailLength(20, 0.1), 2);
  assert.equal(tailLength(3, 0.1), 1);
  assert.throws(() => tailLength(20, 0), /fraction 0 is not in \(0, 1\]/);
});

test("tailMean: a column or a function of the row over the last fraction of the rows", () => {
  assert.equal(tailMean(rows, "recon", 0.05), 5);
  assert.equal(tailMean(rows, "recon", 0.1), 7.5);
  assert.equal(tailMean({ history: { rows } }, "kl", 0.25), (15 + 16 + 17 + 18 + 19) / 5);
  assert.equal(tailMean(rows, (r) => r.recon - r.kl, 0.1), ((10 - 18) + (5 - 19)) / 2);
  assert.equal(tailMean(rows, "capacity", 1), 0.5);
  assert.throws(() => tailMean([], "recon", 0.1), /tailMean: empty history/);
});

test("historyUntil: the history as it stood at a step, for its end there", () => {
  assert.deepEqual(historyUntil(rows, 95).map((r) => r.step), [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  assert.equal(historyUntil({ history: { rows } }, 190).length, 20);
  // The end of the run at step 100: the last 15% of its 11 rows are steps 90 and 100 (recon 55, 50).
  assert.equal(tailMean(historyUntil(rows, 100), "recon", 0.15), 52.5);
  assert.equal(tailMean(rows, "recon", 0.15, 100), 52.5);
  assert.equal(tailMean(rows, "recon", 0.05, 190), tailMean(rows, "recon", 0.05), "until the last step: the whole run");
  assert.throws(() => historyUntil(rows.slice(1), 5), /no history row at or before step 5/);
});

test("tailPerLatent and capacityGap: the end of the run per latent, and how far KL sits from C", () => {
  assert.deepEqual(tailPerLatent(rows, "klPerLatent", 0.1), [18.5, 37]);
  assert.deepEqual(tailPerLatent(rows, "var", 0.05), [1 / 20, 1 / 39]);
  // The last two rows: |18 - 1| and |19 - 1|.
  assert.equal(capacityGap(rows), 17.5);
  assert.equal(capacityGap(rows, 0.05), 18);
});
