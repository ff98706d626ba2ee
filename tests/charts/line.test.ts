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
  const [line, points] = spec.layer;
  assert.equal(line.mark.type, "line");
  assert.equal(line.encoding.x.field, "step");
  assert.equal(line.encoding.y.field, "kl");
  assert.equal(line.encoding.color.field, "latent");
  assert.deepEqual(line.encoding.color.scale.domain, ["z0", "z1"]);
  assert.equal(spec.data.values.length, 8);
  assert.equal(spec.title, "KL");
  assert.equal(line.encoding.y.scale.zero, false);
  // The hover points: invisible, carrying latent, step and value.
  assert.equal(points.mark.opacity, 0);
  assert.deepEqual(points.encoding.tooltip.map((t: any) => t.field), ["latent", "step", "kl"]);
  assert.deepEqual((lineChart({ data: rows, x: "step", y: "kl", yScale: "log" }) as any).layer[0].encoding.y.scale, { type: "log" });
});

test("lineChart facets keep the data order of panels unless told", () => {
  const spec = lineChart({ data: rows, x: "step", y: "kl", column: "panel" }) as any;
  assert.deepEqual(spec.facet.sort, ["b", "a"]);
  assert.equal(spec.columns, 2);
  assert.equal(spec.spec.layer[0].mark.type, "line");
  const sorted = lineChart({ data: rows, x: "step", y: "kl", column: "panel", columnSort: ["a", "b"] }) as any;
  assert.deepEqual(sorted.facet.sort, ["a", "b"]);
  // Five 300 px panels do not fit 900 px in one row: they wrap (2 + 2 + 1) at their width.
  const five = [0, 1, 2, 3, 4].flatMap((p) => rows.map((r) => ({ ...r, panel: `p${p}` })));
  const wrapped = lineChart({ data: five, x: "step", y: "kl", column: "panel", width: 300 }) as any;
  assert.deepEqual([wrapped.columns, wrapped.spec.width], [2, 300]);
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

test("sideBySide concatenates charts without repeating schema or config, each with its own params", () => {
  const a = lineChart({ data: rows, x: "step", y: "kl", color: "latent" });
  const s = sideBySide([a, a]) as any;
  assert.equal(s.hconcat.length, 2);
  assert.equal(s.hconcat[0].$schema, undefined);
  assert.equal(s.hconcat[0].config, undefined);
  assert.deepEqual(s.hconcat.map((v: any) => v.layer[0].params.map((p: any) => p.name)), [["highlight_1", "zoom_1"], ["highlight_2", "zoom_2"]]);
  assert.equal(s.hconcat[1].layer[0].encoding.opacity.condition.param, "highlight_2");
  // Two 360 px charts with legends do not fit 900 px beside each other: narrowed.
  assert.ok(s.hconcat[0].width < 360 && s.hconcat[0].width > 240, `width ${s.hconcat[0].width}`);
});
