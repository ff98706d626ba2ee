/**
 * Every notebook chart is interactive in JupyterLab: a tooltip, a legend bound to a highlight
 * param wherever there is a colour legend, zoom on the x axis of line charts; reconstruction on a
 * log axis. Read from the specs and from Vega-Lite's compiled Vega.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as vl from "vega-lite";
import { notebookCharts } from "./notebook-charts";

/** Every object in a spec tree. */
function* objects(v: unknown): Generator<Record<string, any>> {
  if (Array.isArray(v)) for (const x of v) yield* objects(x);
  else if (v && typeof v === "object") {
    yield v as Record<string, any>;
    for (const [k, x] of Object.entries(v)) if (k !== "data" && k !== "values") yield* objects(x);
  }
}

test("every chart has a tooltip, and a legend-bound highlight where it has a colour legend", () => {
  for (const [name, spec] of notebookCharts()) {
    const all = [...objects(spec)];
    const encodings = all.filter((o) => o.encoding).map((o) => o.encoding);
    assert.ok(encodings.some((e) => Array.isArray(e.tooltip) && e.tooltip.length >= 2), `${name}: no tooltip`);
    const params = all.filter((o) => Array.isArray(o.params)).flatMap((o) => o.params);
    if (encodings.some((e) => e.color && e.color.legend !== null)) {
      assert.ok(params.some((p) => p.bind === "legend"), `${name}: a colour legend without a highlight param`);
    }
    // Tooltip values are formatted (4 significant digits), never raw floats.
    const tips = encodings.flatMap((e) => (Array.isArray(e.tooltip) ? e.tooltip : [])).filter((t: any) => t.type === "quantitative");
    assert.ok(tips.every((t: any) => typeof t.format === "string"), `${name}: an unformatted tooltip number`);
    // Compiled: Vega puts the tooltip on a mark.
    const vega = JSON.stringify(vl.compile(spec).spec);
    assert.match(vega, /"tooltip"/, `${name}: no tooltip in the compiled Vega`);
  }
});

test("line charts zoom on their x axis; reconstruction is on a log axis", () => {
  const charts = Object.fromEntries(notebookCharts());
  for (const [name, spec] of Object.entries(charts)) {
    const all = [...objects(spec)];
    if (!all.some((o) => o.mark?.type === "line")) continue;
    const zoom = all.filter((o) => Array.isArray(o.params)).flatMap((o) => o.params).filter((p: any) => p.bind === "scales");
    assert.ok(zoom.length > 0, `${name}: a line chart without zoom`);
    assert.ok(zoom.every((p: any) => JSON.stringify(p.select.encodings) === '["x"]'), `${name}: zoom on more than the x axis`);
  }
  for (const name of ["fig6-vae-reconstruction", "capacity-gamma100-vs-gamma1000", "fig3a-capacity-reconstruction"]) {
    const recon = [...objects(charts[name])].filter((o) => o.encoding?.y?.field === "recon");
    assert.ok(recon.length > 0 && recon.every((o) => o.encoding.y.scale.type === "log"), `${name}: reconstruction not on a log axis`);
  }
});
