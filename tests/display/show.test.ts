import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { showChart, showPng, lastSavedFiles, VEGA_LITE_MIME, inNotebook } from "../../lib/display/show";
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
  } finally {
    jupyter.lastWriteDisplayData = null;
  }
  assert.equal(sent.length, 2);
  assert.deepEqual(Object.keys(sent[0].data).sort(), [VEGA_LITE_MIME, "image/png", "text/plain"].sort());
  assert.equal(Buffer.from(sent[0].data["image/png"], "base64").subarray(1, 4).toString(), "PNG");
  assert.ok(sent[1].data["image/png"]);
});
