/**
 * The metrics' benchmark (bench/metrics.ts) runs every metric and reports sizes, times and values.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { MetricName, MetricScore } from "../../lib/metrics/types";
import type { DciDetails } from "../../lib/metrics/dci";
import { benchMetrics } from "../../lib/bench/metrics";

const dci = (s: Record<MetricName, MetricScore>) => s.dci.details as DciDetails;

test("benchMetrics runs every metric and reports sizes, times and values", () => {
  const results = benchMetrics({ numTrain: 300, numEval: 150 });
  assert.deepEqual(results.map((r) => r.metric), ["higgins", "factorvae", "mig", "dci", "sap"]);
  for (const r of results) {
    assert.equal(r.numTrain, 300);
    assert.equal(r.numLatents, 10);
    assert.ok(r.seconds >= 0 && r.cpuSeconds >= 0 && Number.isFinite(r.value), JSON.stringify(r));
  }
});
