/**
 * Histograms, mutual information and entropy (metrics/discretize.ts) against numpy's rules and hand values.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { histogramBins, mutualInformation, entropy } from "../../lib/metrics/discretize";

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} is not within ${tol} of ${b}`);

test("histogramBins follows numpy.histogram edges + digitize (max in the last bin, constant in one bin)", () => {
  assert.deepEqual(Array.from(histogramBins([0, 0.5, 1, 0.25, 0.49], 2)), [0, 1, 1, 0, 0]);
  assert.deepEqual(Array.from(histogramBins([0, 1, 2, 3, 4], 4)), [0, 1, 2, 3, 3]);
  assert.deepEqual(Array.from(histogramBins([7, 7, 7], 20)), [0, 0, 0]);
});

test("mutual information and entropy in nats", () => {
  close(mutualInformation([0, 0, 1, 1], [5, 5, 9, 9]), Math.log(2), 1e-12, "I(a;a)");
  close(mutualInformation([0, 0, 1, 1], [0, 1, 0, 1]), 0, 1e-12, "independent");
  close(entropy([0, 1, 2, 3]), Math.log(4), 1e-12, "H(uniform 4)");
  // p(a,b) = [[.5, 0], [.25, .25]]: I = .5 log(.5/(.5*.75)) + .25 log(.25/(.5*.75)) + .25 log(.25/(.5*.25))
  const expected = 0.5 * Math.log(0.5 / 0.375) + 0.25 * Math.log(0.25 / 0.375) + 0.25 * Math.log(0.25 / 0.125);
  close(mutualInformation([0, 0, 1, 1], [0, 0, 0, 1]), expected, 1e-12, "hand example");
});
