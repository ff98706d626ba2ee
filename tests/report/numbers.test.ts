/** fmt, pct, sum (report/numbers.ts): numbers as the notebooks write them; meanSd (sweep/scores.ts). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fmt, pct, sum } from "../../lib/report/numbers";
import { meanSd } from "../../lib/sweep/scores";

test("fmt: three decimals unless told, rounded as toFixed rounds", () => {
  assert.equal(fmt(0.12345), "0.123");
  assert.equal(fmt(27.46, 1), "27.5");
  assert.equal(fmt(-0.0004), "-0.000");
  assert.equal(fmt(2, 0), "2");
});

test("pct: a fraction as a percentage, one decimal unless told", () => {
  assert.equal(pct(0.9923), "99.2%");
  assert.equal(pct(0.61578, 2), "61.58%");
  assert.equal(pct(1), "100.0%");
});

test("sum: left to right, 0 for none", () => {
  assert.equal(sum([3.187, 2.786, 3.47]), 3.187 + 2.786 + 3.47);
  assert.equal(sum([0.1, 0.2, 0.3]), 0.1 + 0.2 + 0.3);
  assert.equal(sum([]), 0);
});

test("meanSd: the mean and the sample standard deviation (n - 1); NaN for one value; none is an error", () => {
  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32, sample variance 32 / 7.
  const { n, mean, sd } = meanSd([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(n, 8);
  assert.equal(mean, 5);
  assert.ok(Math.abs(sd - Math.sqrt(32 / 7)) < 1e-12, `${sd}`);
  assert.deepEqual(meanSd([3]).sd, NaN);
  assert.throws(() => meanSd([]), /meanSd: no values/);
});
