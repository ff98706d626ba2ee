/**
 * bvae report (cli/report.ts): the file written, its exit code and problems; figures no notebook shows.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type NotebookJson } from "../../lib/report/report";
import { unshownFigures } from "../../cli/report";
import { main } from "../../cli/main";

const PNG_A = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
const PNG_B = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 9, 9, 9]);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

function fixtureNotebook(): NotebookJson {
  return {
    cells: [
      { cell_type: "markdown", source: ["# 09 · A fixture notebook\n", "\n", "Intro text.\n"] },
      {
        cell_type: "code",
        execution_count: 1,
        source: "const run = bvae.presetRun('x', 'cpu');",
        outputs: [
          { output_type: "stream", name: "stdout", text: "[bvae] TensorFlow.js 4.22.0, backend: wasm\n" },
          { output_type: "stream", name: "stdout", text: "[dsprites-vae] using dsprites-vae-long-abc (long profile, partial): step 1234 (requested cpu)\n" },
          { output_type: "stream", name: "stdout", text: ["[dsprites-vae-long-abc] step 10/100 (10.0%)  3 steps/s\n"] },
          { output_type: "stream", name: "stderr", text: "a warning nobody needs\n" },
        ],
      },
      { cell_type: "markdown", source: "## Figure 1 · A chart\n\n```ts\n# not a heading\n```" },
      {
        cell_type: "code",
        execution_count: 2,
        source: "await bvae.showChart(spec, 'fig1-a');",
        outputs: [
          { output_type: "display_data", data: { "application/vnd.vegalite.v5+json": {}, "image/png": b64(PNG_A), "text/plain": "<chart fig1-a>" } },
          { output_type: "display_data", data: { "image/png": b64(PNG_B), "text/plain": "<image fig1-stale>" } },
          { output_type: "display_data", data: { "image/gif": b64(PNG_A), "text/plain": "<animation fig1-missing>" } },
          { output_type: "display_data", data: { "image/png": b64(PNG_A), "text/plain": "[object Object]" } },
          { output_type: "display_data", data: { "text/html": "<table><caption>a &amp; b</caption><thead><tr><th>model</th><th>kl</th></tr></thead><tbody><tr><td>VAE</td><td>25.9</td></tr><tr><td>a|b</td><td>-1.5e-3</td></tr></tbody></table>", "text/plain": "" } },
        ],
      },
      {
        cell_type: "code",
        execution_count: 3,
        source: "check(...)",
        outputs: [
          { output_type: "stream", name: "stdout", text: "✓ the VAE has more active latents (vae = 10, beta = 6)\n✓ KL >= 0\nsome note\n" },
          { output_type: "display_data", data: { "text/markdown": "**This run**: agrees.", "text/plain": "**This run**: agrees." } },
          { output_type: "error", ename: "ClaimError", evalue: "claim failed: beta reconstructs worse", traceback: [] } as never,
        ],
      },
      { cell_type: "code", execution_count: null, source: "notRun()", outputs: [] },
      { cell_type: "code", execution_count: null, source: "   ", outputs: [] },
    ],
  };
}

test("bvae report: writes the file (atomically, problems listed), exit code 1 on problems, clear error on a non-notebook", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-report-cli-"));
  const figures = path.join(dir, "figures");
  fs.mkdirSync(figures);
  fs.writeFileSync(path.join(figures, "fig1-a.png"), PNG_A);
  const good: NotebookJson = { cells: [fixtureNotebook().cells[0], fixtureNotebook().cells[3]] };
  (good.cells[1].outputs as unknown[]).splice(1); // only the chart whose file matches
  const nbFile = path.join(dir, "09-fixture.ipynb");
  fs.writeFileSync(nbFile, JSON.stringify(good));
  const out = path.join(dir, "out", "REPORT.md");
  assert.equal(await main(["report", nbFile, "--out", out, "--figures", figures]), 0);
  const md = fs.readFileSync(out, "utf8");
  assert.ok(md.includes("![fig1-a](../figures/fig1-a.png)") && md.includes("[../09-fixture.ipynb](../09-fixture.ipynb)"), md);
  assert.deepEqual(fs.readdirSync(path.dirname(out)), ["REPORT.md"]);

  fs.writeFileSync(path.join(figures, "fig1-a.png"), PNG_B);
  assert.equal(await main(["report", nbFile, "--out", out, "--figures", figures]), 1);
  assert.match(fs.readFileSync(out, "utf8"), /Problems found[\s\S]*fig1-a\.png differs/);

  const bad = path.join(dir, "bad.ipynb");
  fs.writeFileSync(bad, JSON.stringify({ nbformat: 4 }));
  await assert.rejects(main(["report", bad, "--out", out]), new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not a Jupyter notebook`));
});

test("unshownFigures: files of the figures folder no notebook shows (a chart's svg and spec go with its png)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-report-unshown-"));
  for (const f of ["fig3-step-10.png", "fig3-step-20.png", "fig6.png", "fig6.svg", "fig6.vl.json", "walk.gif", "notes.txt"]) fs.writeFileSync(path.join(dir, f), "x");
  assert.deepEqual(unshownFigures(dir, new Set(["fig3-step-20", "fig6", "walk"])), [path.join(dir, "fig3-step-10.png")]);
  assert.deepEqual(unshownFigures(path.join(dir, "absent"), new Set()), []);
});
