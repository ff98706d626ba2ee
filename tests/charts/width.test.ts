/**
 * Every chart the notebooks draw fits JupyterLab's ~900 px output area as Vega-Lite lays it out
 * (legends, axes, titles and facets included): each spec is compiled, rendered headless to SVG and
 * the SVG's width read. Also stress cases: many panels, long legend labels, three views side by side.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as vl from "vega-lite";
import { renderChart } from "../../lib/display/render";
import { OUTPUT_WIDTH } from "../../lib/charts/layout";
import { lineChart, sideBySide } from "../../lib/charts/line";
import { barChart, perLatentChart } from "../../lib/charts/training";
import type { VegaLiteSpec } from "../../lib/charts/spec";
import { fakeHistory, notebookCharts } from "./notebook-charts";

/** Rendered width and height (px) of a spec, and Vega-Lite's warnings while compiling it. */
export async function measure(spec: VegaLiteSpec): Promise<{ width: number; height: number; warnings: string[] }> {
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    warn: (...a: unknown[]) => (warnings.push(a.join(" ")), logger),
    info: () => logger,
    debug: () => logger,
    error: (...a: unknown[]) => (warnings.push(`error: ${a.join(" ")}`), logger),
  };
  vl.compile(spec, { logger: logger as unknown as NonNullable<Parameters<typeof vl.compile>[1]>["logger"] });
  const { svg } = await renderChart(spec, 1);
  const width = Number(/^<svg[^>]* width="([\d.]+)"/.exec(svg)?.[1]);
  const height = Number(/^<svg[^>]* height="([\d.]+)"/.exec(svg)?.[1]);
  return { width, height, warnings };
}

test("every notebook chart renders at most 900 px wide, without Vega-Lite warnings", async () => {
  const sizes: string[] = [];
  for (const [name, spec] of notebookCharts()) {
    const m = await measure(spec);
    assert.deepEqual(m.warnings, [], `${name}: Vega-Lite warnings`);
    assert.ok(m.width > 200 && m.height > 150, `${name}: rendered ${m.width} x ${m.height}`);
    sizes.push(`${name} ${m.width}`);
    assert.ok(m.width <= OUTPUT_WIDTH, `${name} is ${m.width} px wide (more than ${OUTPUT_WIDTH})`);
  }
  assert.equal(sizes.length, 17);
});

test("stress: many panels, long legend labels and three views side by side still fit", async () => {
  const labels = ["a very long series label of forty characters", "another long label, gamma 1000, Cmax 25", "third"];
  const rows = Array.from({ length: 8 }, (_, p) => labels.flatMap((s, k) => [0, 1, 2].map((step) => ({ step, value: step * k + p, series: s, panel: `panel number ${p}` })))).flat();
  const cases: [string, VegaLiteSpec][] = [
    ["8 panels of 400 px", lineChart({ data: rows, x: "step", y: "value", color: "series", column: "panel", width: 400 })],
    ["one 900 px chart with long labels", lineChart({ data: rows, x: "step", y: "value", color: "series", width: 900 })],
    ["three per-latent charts", sideBySide([0, 1, 2].map(() => perLatentChart(fakeHistory(50), "klPerLatent", "KL per latent")))],
    ["two charts with different legends", sideBySide([lineChart({ data: rows, x: "step", y: "value", color: "series" }), lineChart({ data: rows, x: "step", y: "value", color: "panel" })])],
    ["a 1200 px bar chart", barChart({ data: rows, x: "panel", y: "value", group: "series", width: 1200 })],
  ];
  for (const [name, spec] of cases) {
    const m = await measure(spec);
    assert.deepEqual(m.warnings, [], `${name}: Vega-Lite warnings`);
    assert.ok(m.width <= OUTPUT_WIDTH, `${name} is ${m.width} px wide`);
  }
});
