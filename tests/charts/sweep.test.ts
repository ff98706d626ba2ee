/** The strip / violin chart of a sweep's scores (charts/sweep.ts), compiled by Vega-Lite and rendered. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as vl from "vega-lite";
import { sweepChart } from "../../lib/charts/sweep";
import { renderChart } from "../../lib/display/render";

const rows = [1, 4, 16].flatMap((beta, i) => [1, 2, 3].map((seed) => ({ setting: `beta=${beta}`, seed, beta, mig: 0.1 * (i + 1) + 0.01 * seed, sap: null as number | null })));

test("sweepChart: a strip chart, seeds as points in setting order, mean tick and ±1 sd bar", async () => {
  const spec = sweepChart({ rows, value: "mig", title: "MIG per beta", xTitle: "beta" }) as any;
  assert.equal(spec.data.values.length, 9);
  assert.deepEqual(spec.data.values[4], { setting: "beta=4", seed: "2", value: 0.1 * 2 + 0.02, jitter: 0 });
  assert.deepEqual(spec.data.values.map((v: { jitter: number }) => v.jitter).slice(0, 3), [-0.3, 0, 0.3]);
  assert.deepEqual(spec.layer.map((l: { mark: { type: string } }) => l.mark.type), ["errorbar", "tick", "point"]);
  assert.equal(spec.layer[0].mark.extent, "stdev");
  assert.equal(spec.layer[1].encoding.y.aggregate, "mean");
  assert.deepEqual(spec.layer[2].encoding.x.sort, ["beta=1", "beta=4", "beta=16"]);
  assert.equal(spec.layer[2].encoding.color.field, "seed");
  assert.equal(spec.title, "MIG per beta");
  // Vega-Lite compiles it and Vega renders it (the aggregates are Vega's: mean, sample stdev).
  const { svg, png } = await renderChart(spec);
  assert.match(svg, /^<svg/);
  assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.ok(vl.compile(spec).spec);
});

test("sweepChart: the violin variant compiles and renders; rows without scores or fields are refused", async () => {
  const spec = sweepChart({ rows, value: "mig", kind: "violin" }) as any;
  assert.deepEqual(spec.facet.column.sort, ["beta=1", "beta=4", "beta=16"]);
  assert.equal(spec.spec.layer[0].transform[0].density, "value");
  const { svg } = await renderChart(spec);
  assert.match(svg, /^<svg/);
  assert.throws(() => sweepChart({ rows, value: "sap" }), /no row has a number in "sap" \(score the runs first: bvae sweep report\)/);
  assert.throws(() => sweepChart({ rows, value: "mig", setting: "gamma" }), /field "gamma" is not in the rows/);
});
