/** scoreValues (metrics/score-values.ts): headline values by metric name. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { scoreValues } from "../../lib/metrics/score-values";
import type { MetricScore } from "../../lib/metrics/types";

test("scoreValues: each metric's value under its name, details dropped", () => {
  const scores: MetricScore[] = [
    { metric: "higgins", value: 0.99, details: { trainAccuracy: 1 }, numTrain: 10, numEval: 5, seed: 0 },
    { metric: "mig", value: 0.31, details: {}, numTrain: 10, numEval: 5, seed: 0 },
  ];
  assert.deepEqual(scoreValues(scores), { higgins: 0.99, mig: 0.31 });
  assert.deepEqual(scoreValues([]), {});
});
