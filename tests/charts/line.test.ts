import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as vl from "vega-lite";
import { lineChart, sideBySide } from "../../lib/charts/line";
import { renderChart } from "../../lib/display/render";

const rows = [0, 1, 2, 3].flatMap((step) => [
  { step, kl: step * 2, latent: "z0", panel: "b" },
  { step, kl: step * 3, latent: "z1", panel: "a" },
]);

test("lineChart maps fields to encodings and inlines the data", () => {
  const spec = lineChart({ data: rows, x: "step", y: "kl", color: "latent", title: "KL" }) as any;
  assert.equal(spec.mark.type, "line");
  assert.equal(spec.encoding.x.field, "step");
  assert.equal(spec.encoding.y.field, "kl");
  assert.equal(spec.encoding.color.field, "latent");
  assert.equal(spec.data.values.length, 8);
  assert.equal(spec.title, "KL");
  assert.equal(spec.encoding.y.scale.zero, false);
  assert.deepEqual((lineChart({ data: rows, x: "step", y: "kl", yScale: "log" }) as any).encoding.y.scale, { type: "log" });
});

test("lineChart facets keep the data order of panels unless told", () => {
  const spec = lineChart({ data: rows, x: "step", y: "kl", column: "panel" }) as any;
  assert.deepEqual(spec.facet.column.sort, ["b", "a"]);
  assert.equal(spec.spec.mark.type, "line");
  const sorted = lineChart({ data: rows, x: "step", y: "kl", column: "panel", columnSort: ["a", "b"] }) as any;
  assert.deepEqual(sorted.facet.column.sort, ["a", "b"]);
});

test("lineChart rejects empty data and unknown fields with a clear message", () => {
  assert.throws(() => lineChart({ data: [], x: "a", y: "b" }), /data is empty/);
  assert.throws(() => lineChart({ data: rows, x: "step", y: "nope" }), /field "nope" is not in the data/);
});

test("every spec compiles with vega-lite and renders to SVG and PNG", async () => {
  const a = lineChart({ data: rows, x: "step", y: "kl", color: "latent" });
  const b = lineChart({ data: rows, x: "step", y: "kl", column: "panel" });
  for (const spec of [a, b, sideBySide([a, b], "both")]) {
    assert.ok(vl.compile(spec).spec);
    const { svg, png } = await renderChart(spec);
    assert.match(svg, /^<svg/);
    assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]); // PNG signature
    assert.ok(png.length > 1000);
  }
});

test("sideBySide concatenates charts without repeating schema or config", () => {
  const a = lineChart({ data: rows, x: "step", y: "kl" });
  const s = sideBySide([a, a]) as any;
  assert.equal(s.hconcat.length, 2);
  assert.equal(s.hconcat[0].$schema, undefined);
  assert.equal(s.hconcat[0].config, undefined);
});
