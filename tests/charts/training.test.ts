/**
 * Charts of training histories (charts/training.ts): thinning keeps the ends, per-latent rows are long format, and they render.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { perLatentChart, reconChart, varianceComparisonChart, barChart, thin, latentRows } from "../../lib/charts/training";
import { renderChart } from "../../lib/display/render";

const history = Array.from({ length: 1000 }, (_, s) => ({
  step: s, recon: 100 - s / 20, kl: 10, capacity: 0,
  klPerLatent: [s / 100, 0.01], mu: [0, 0], muSd: [1, 0], var: [0.1, 1],
}));

test("training charts: thinning keeps the ends; per-latent rows are long format", async () => {
  const t = thin(history, 100);
  assert.equal(t.length, 100);
  assert.equal(t[0].step, 0);
  assert.equal(t[99].step, 999);
  const rows = latentRows(history.slice(0, 3), "var");
  assert.deepEqual(rows[1], { step: 0, latent: "z1", value: 1 });
  for (const spec of [
    perLatentChart(history, "klPerLatent", "KL"),
    reconChart([{ label: "VAE", history }, { label: "beta", history }], "recon"),
    varianceComparisonChart([{ label: "VAE", history }, { label: "beta", history }], "Figure 4"),
    barChart({ data: [{ m: "a", v: 1, g: "x" }, { m: "a", v: 2, g: "y" }], x: "m", y: "v", group: "g" }),
  ]) {
    const { png } = await renderChart(spec, 1);
    assert.ok(png.length > 1000);
  }
});
