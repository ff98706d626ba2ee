/**
 * The report (report/report.ts): a fixture notebook in nbformat 4 with every kind of output the notebooks
 * produce, turned into Markdown; figures linked only when the saved file is the notebook's image byte for
 * byte; failed and unexecuted cells reported as problems.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildReport, demoteHeadings, headingAnchor, htmlTableToMarkdown, notebookSection, type NotebookCell, type NotebookOutput } from "../../lib/report/report";
import { tableHtml } from "../../lib/display/show";
import { figureResolver } from "../../cli/report";
import { PNG_A, PNG_B, fixtureNotebook } from "./fixture-notebook";

test("demoteHeadings: one level deeper, not inside fenced code", () => {
  assert.equal(demoteHeadings("# A\ntext\n```\n# code\n```\n## B"), "## A\ntext\n```\n# code\n```\n### B");
  assert.equal(demoteHeadings("#hashtag"), "#hashtag");
});

test("htmlTableToMarkdown: showTable's HTML becomes a Markdown table; other HTML is kept", () => {
  const html = tableHtml([{ name: "x<y", value: 1.25 }, { name: "z", value: 3 }], "cap");
  assert.equal(htmlTableToMarkdown(html), "*cap*\n\n| name | value |\n| --- | ---: |\n| x<y | 1.25 |\n| z | 3 |");
  assert.equal(htmlTableToMarkdown("<p>not a table</p>"), "<p>not a table</p>");
});

test("headingAnchor follows GitHub's rule", () => {
  assert.equal(headingAnchor("01 · The VAE on dSprites (z = 10)"), "01--the-vae-on-dsprites-z--10");
});

test("buildReport: prose, outputs, figures, checks and problems of a notebook", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-report-"));
  const figures = path.join(dir, "figures");
  fs.mkdirSync(figures);
  fs.writeFileSync(path.join(figures, "fig1-a.png"), PNG_A);
  fs.writeFileSync(path.join(figures, "fig1-stale.png"), PNG_A); // the notebook shows PNG_B
  const report = buildReport([{ link: "notebooks/09-fixture.ipynb", notebook: fixtureNotebook() }], {
    resolveFigure: figureResolver(figures, dir),
    title: "T",
  });
  const md = report.markdown;
  // Title, summary row with the run shown, the section heading with its facts line right under it.
  assert.match(md, /^# T\n/);
  assert.ok(md.includes("| [09 · A fixture notebook](#09--a-fixture-notebook) | dsprites-vae: dsprites-vae-long-abc @ step 1234 | **1 failed** | 3 |"), md);
  assert.ok(md.includes("## 09 · A fixture notebook\n\n*Notebook: [notebooks/09-fixture.ipynb](notebooks/09-fixture.ipynb) · executed on TensorFlow.js 4.22.0, backend: wasm · 2 checks passed, **1 failed cell***\n\nIntro text."), md);
  // Markdown cells demoted, code cells dropped, progress and stderr noise dropped.
  assert.ok(md.includes("### Figure 1 · A chart\n\n```ts\n# not a heading\n```"));
  assert.ok(!md.includes("presetRun") && !md.includes("steps/s") && !md.includes("warning nobody"));
  assert.ok(md.includes("```text\n[dsprites-vae] using dsprites-vae-long-abc"));
  // Figures: the matching file linked; a stale one linked and reported; a missing one reported; an unnamed one reported.
  assert.ok(md.includes("![fig1-a](figures/fig1-a.png)"));
  assert.ok(md.includes("![fig1-stale](figures/fig1-stale.png)"));
  assert.ok(md.includes("*(figure fig1-missing: figure fig1-missing.gif is not in"));
  assert.ok(md.includes("| a\\|b | -1.5e-3 |") && md.includes("*a & b*"));
  // Checks as a list, then the other text, the computed conclusion, the failure.
  assert.ok(md.includes("- ✓ the VAE has more active latents (vae = 10, beta = 6)\n- ✓ KL >= 0\n\n```text\nsome note\n```\n\n**This run**: agrees."), md);
  assert.ok(md.includes("> **Failed (cell 4)**: ClaimError: claim failed: beta reconstructs worse"));
  assert.deepEqual(
    report.problems.map((p) => p.replace(figures, "<figures>")),
    [
      "notebooks/09-fixture.ipynb: figures/fig1-stale.png differs from the image the notebook shows (saved by another execution; run the notebook again)",
      "notebooks/09-fixture.ipynb: figure fig1-missing.gif is not in <figures>",
      "notebooks/09-fixture.ipynb: cell 3 shows an image without a figure name",
      "notebooks/09-fixture.ipynb: cell 4 failed: ClaimError: claim failed: beta reconstructs worse",
      "notebooks/09-fixture.ipynb: cell 5 did not run",
    ],
  );
  assert.ok(md.includes("**Problems found while building this report:**"));
  assert.deepEqual(report.notebooks[0], {
    link: "notebooks/09-fixture.ipynb",
    title: "09 · A fixture notebook",
    checksPassed: 2,
    errors: 1,
    figures: ["fig1-a", "fig1-stale", "fig1-missing"],
    runs: ["dsprites-vae: dsprites-vae-long-abc @ step 1234"],
    findings: [],
  });
});

const markdownCell = (source: string): NotebookCell => ({ cell_type: "markdown", source });
const codeCell = (...outputs: NotebookOutput[]): NotebookCell => ({ cell_type: "code", execution_count: 1, source: "...", outputs });
const printed = (text: string): NotebookOutput => ({ output_type: "stream", name: "stdout", text });
const shown: NotebookOutput = { output_type: "display_data", data: { "text/markdown": "**This run**: agrees." } };
const section = (cells: NotebookCell[]) => notebookSection({ link: "nb.ipynb", notebook: { cells } }, { resolveFigure: () => ({ problem: "none" }) });

test("notebookSection: how the code is cut into cells does not change the section", () => {
  const oneCell = [markdownCell("# 09 · T"), codeCell(printed("a\n"), printed("b\n"), printed("✓ c1\n"), printed("✓ c2\n"), shown)];
  const cut = [markdownCell("# 09 · T"), codeCell(printed("a\n")), codeCell(printed("b\n"), printed("✓ c1\n")), codeCell(printed("✓ c2\n")), codeCell(shown)];
  const whole = section(oneCell).markdown;
  assert.equal(section(cut).markdown, whole);
  assert.ok(whole.endsWith("```text\na\nb\n```\n\n- ✓ c1\n- ✓ c2\n\n**This run**: agrees."), whole);
  // A markdown cell still ends a text block.
  const apart = section([markdownCell("# 09 · T"), codeCell(printed("a\n")), markdownCell("## B"), codeCell(printed("b\n"))]).markdown;
  assert.ok(apart.endsWith("```text\na\n```\n\n### B\n\n```text\nb\n```"), apart);
});

test("notebookSection: a notebook's checks are listed under its checks section, in the order they ran", () => {
  const cells = [
    markdownCell("# 09 · T"),
    codeCell(printed("✓ early\n")),
    markdownCell("## Figure 1"),
    codeCell(printed("a note\n✓ after the figure (x = 1)\n")),
    markdownCell("## Checks and comparison with the report"),
    codeCell(printed("✓ late\n"), shown),
  ];
  const s = section(cells);
  assert.ok(
    s.markdown.endsWith("### Figure 1\n\n```text\na note\n```\n\n### Checks and comparison with the report\n\n" +
      "- ✓ early\n- ✓ after the figure (x = 1)\n- ✓ late\n\n**This run**: agrees."),
    s.markdown,
  );
  assert.equal(s.summary.checksPassed, 3);
  // Without a checks section, checks stay where they ran; a checks section with no check stays empty.
  const inline = section(cells.map((c, i) => (i === 4 ? markdownCell("## Comparison with the report") : c))).markdown;
  assert.ok(inline.includes("## 09 · T\n\n*Notebook: [nb.ipynb](nb.ipynb) · 3 checks passed*\n\n- ✓ early\n\n### Figure 1"), inline);
  const none = section([markdownCell("# 09 · T"), markdownCell("## Checks"), codeCell(shown)]).markdown;
  assert.ok(none.endsWith("### Checks\n\n**This run**: agrees."), none);
});

test("notebookSection: a traversal explorer is a note naming its static figure, not a figure again", () => {
  const explorer: NotebookOutput = {
    output_type: "display_data",
    data: { "application/vnd.vegalite.v5+json": {}, "image/png": "iVBORw0KGgo=", "text/plain": "<traversal explorer of fig9-vae-traversals>" },
  };
  const s = section([markdownCell("# 09 · T"), codeCell(explorer)]);
  assert.deepEqual(s.summary.figures, []);
  assert.deepEqual(s.problems, []);
  assert.ok(s.markdown.endsWith("interactive traversal explorer: seed, latent and value chosen with inputs; static version: fig9-vae-traversals.)*"), s.markdown);
});
