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
import { PNG_A, PNG_B, fixtureNotebook } from "../report/fixture-notebook";

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
