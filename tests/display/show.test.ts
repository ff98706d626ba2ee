import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { showChart, showPng, showGif, lastSavedFiles, VEGA_LITE_MIME, inNotebook, formatCell, formatTable, tableHtml } from "../../lib/display/show";
import { gridFontSize } from "../../lib/display/images";
import { lineChart } from "../../lib/charts/line";

const spec = lineChart({ data: [{ a: 1, b: 2 }, { a: 2, b: 3 }], x: "a", y: "b" });

test("showChart writes PNG, SVG and the Vega-Lite spec; outside a kernel it displays nothing", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-fig-"));
  process.env.BVAE_FIGURES_DIR = dir;
  assert.equal(inNotebook(), false);
  await showChart(spec, "fig-test");
  assert.deepEqual(fs.readdirSync(dir).sort(), ["fig-test.png", "fig-test.svg", "fig-test.vl.json"]);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, "fig-test.vl.json"), "utf8")), JSON.parse(JSON.stringify(spec)));
  assert.equal(lastSavedFiles().length, 3);
  await assert.rejects(showChart(spec, "../escape"), /must be letters, digits/);
});

test("in a tslab kernel a chart goes out as ONE bundle with Vega-Lite and PNG", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-fig-"));
  process.env.BVAE_FIGURES_DIR = dir;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const jupyter = require("tslab/dist/jupyter");
  const sent: any[] = [];
  jupyter.lastWriteDisplayData = (d: unknown) => sent.push(d);
  try {
    await showChart(spec, "bundle");
    showPng(fs.readFileSync(path.join(dir, "bundle.png")), "grid");
    showGif(Uint8Array.from([0x47, 0x49, 0x46]), "anim", "what the frames show");
  } finally {
    jupyter.lastWriteDisplayData = null;
  }
  assert.equal(sent.length, 4);
  // The PNG is drawn at 2x and shown at the chart's size (the SVG's width).
  const svgWidth = Number(/^<svg[^>]* width="([\d.]+)"/.exec(fs.readFileSync(path.join(dir, "bundle.svg"), "utf8"))?.[1]);
  assert.equal(sent[0].metadata["image/png"].width, Math.round(svgWidth));
  assert.equal(Buffer.from(sent[0].data["image/png"], "base64").readUInt32BE(16), 2 * Math.round(svgWidth));
  // A GIF's caption comes right under it, as Markdown.
  assert.equal(sent[3].data["text/markdown"], "*what the frames show*");
  assert.deepEqual(Object.keys(sent[0].data).sort(), [VEGA_LITE_MIME, "image/png", "text/plain"].sort());
  assert.equal(Buffer.from(sent[0].data["image/png"], "base64").subarray(1, 4).toString(), "PNG");
  assert.ok(sent[1].data["image/png"]);
});

test("table cells: 4 significant digits, no exponents, zero where a value is below its column's precision", () => {
  assert.deepEqual([formatCell(3.18712), formatCell(0.051234), formatCell(1234.56), formatCell(123456.7), formatCell(7), formatCell("z3")],
    ["3.187", "0.05123", "1235", "123457", "7", "z3"]);
  // In a column whose largest value is ~0.9, 0.0002661 is 0 at the column's precision; alone it is kept.
  assert.equal(formatCell(0.0002661, 0.8959), "0");
  assert.equal(formatCell(0.0002661, 0.0009695), "0.0002661");
  assert.equal(formatCell(-2.220446049250313e-16), "0");
  assert.equal(formatCell(0.001091, 0.06472), "0.001091");
  const rows = [{ codes: "identity", mig: 0.8959, dci: 0.99999 }, { codes: "random", mig: 0.0002661, dci: -2.220446049250313e-16 }];
  assert.match(tableHtml(rows), /<td>random<\/td><td>0<\/td><td>0<\/td>/);
  assert.deepEqual(formatTable(rows).split("\n").slice(2), ["identity  0.8959  1  ", "random    0       0  "]);
});

test("table cells: a mean with its sample sd (meanSd's result) reads mean ± sd; float-error sds are 0", () => {
  assert.equal(formatCell({ n: 3, mean: 0.27333333, sd: 0.0808290377 }), "0.2733 ± 0.08083");
  assert.equal(formatCell({ n: 3, mean: 1033.4, sd: 103.04 }), "1033 ± 103");
  assert.equal(formatCell({ n: 3, mean: 0.18, sd: 3.399e-17 }), "0.18 ± 0");
  assert.equal(formatCell({ n: 1, mean: 0.5, sd: NaN }), "0.5 ± -");
  assert.match(tableHtml([{ quantity: "mig", vae: { mean: 0.0224, sd: 0.0113 } }]), /<td>0.0224 ± 0.0113<\/td>/);
  // A row without a column (a seed not trained yet) shows "-", not "undefined".
  assert.match(tableHtml([{ seed: 1, mig: 0.04 }, { seed: 2 }]), /<tr><td>2<\/td><td>-<\/td><\/tr>/);
});

test("image grids wider than they are shown get labels that stay 11 px when shrunk", () => {
  assert.equal(gridFontSize(700), 11);
  assert.equal(gridFontSize(1525), 19);
});
