/**
 * Findings (`showFindings`): field checks with errors naming the finding, verdicts, the Markdown table
 * (pipes escaped) and the counts line; `bvae report` gathers them into "Findings at a glance".
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkFinding, findingsMarkdown, verdict, verdictCounts, FINDINGS_MIME, type Finding } from "../../lib/report/findings";
import { buildReport, type NotebookJson } from "../../lib/report/report";

const f = (v: Finding["verdict"], claim = "c"): Finding => ({ source: "Table 1", claim, report: "11.28", ours: "39.9 | held-out 32.4", verdict: v });

test("verdict: agrees when it holds, partly when only part holds, else differs", () => {
  assert.equal(verdict(true), "agrees");
  assert.equal(verdict(true, false), "agrees");
  assert.equal(verdict(false, true), "partly");
  assert.equal(verdict(false), "differs");
});

test("checkFinding: every field present, verdict one of four; the error names the finding and the field", () => {
  assert.deepEqual(checkFinding({ ...f("agrees"), extra: 1 }), f("agrees"));
  assert.throws(() => checkFinding({ ...f("agrees"), ours: "" }, "finding 2"), /finding 2: "ours" must be a non-empty string/);
  assert.throws(() => checkFinding({ ...f("agrees"), verdict: "yes" }, "finding 0"), /finding 0 \("c"\): "verdict" must be one of agrees, partly, differs, not run, got "yes"/);
  assert.throws(() => checkFinding(null), /expected an object/);
});

test("findingsMarkdown and verdictCounts", () => {
  assert.equal(
    findingsMarkdown([f("agrees"), f("not run")]),
    [
      "| verdict | source | claim | the report | this reproduction |",
      "|---|---|---|---|---|",
      "| ✓ agrees | Table 1 | c | 11.28 | 39.9 \\| held-out 32.4 |",
      "| – not run | Table 1 | c | 11.28 | 39.9 \\| held-out 32.4 |",
    ].join("\n"),
  );
  assert.equal(verdictCounts([f("agrees"), f("differs"), f("differs"), f("partly")]), "1 agrees, 1 partly, 2 differ");
  assert.equal(verdictCounts([f("agrees"), f("agrees")]), "2 agree");
});

test("buildReport gathers the notebooks' findings into one table; malformed ones are problems", () => {
  const nb = (title: string, findings: unknown): NotebookJson => ({
    cells: [
      { cell_type: "markdown", source: `# ${title}` },
      { cell_type: "code", execution_count: 1, source: "bvae.showFindings([...])", outputs: [{ output_type: "display_data", data: { "text/markdown": "**Findings**", [FINDINGS_MIME]: { findings }, "text/plain": "" } }] },
    ],
  });
  const report = buildReport(
    [
      { link: "a.ipynb", notebook: nb("01 · First", [f("agrees", "one"), f("differs", "two")]) },
      { link: "b.ipynb", notebook: nb("02 · Second", [{ ...f("partly"), verdict: "maybe" }]) },
    ],
    { resolveFigure: () => ({ problem: "unused" }) },
  );
  const md = report.markdown;
  assert.ok(md.includes("## Findings at a glance\n\nEvery claim of the report the notebooks test, with the report's numbers and ours (1 agrees, 1 differs)."), md);
  assert.ok(md.includes("| ✓ agrees | Table 1: one | 11.28 | 39.9 \\| held-out 32.4 | [01](#01--first) |"));
  assert.ok(md.includes("| ✗ differs | Table 1: two | 11.28 | 39.9 \\| held-out 32.4 | [01](#01--first) |"));
  assert.deepEqual(report.notebooks.map((n) => n.findings.length), [2, 0]);
  assert.equal(report.problems.length, 1);
  assert.match(report.problems[0], /^b\.ipynb: cell 1, finding 0 \("c"\): "verdict" must be one of/);
  // The glance table comes before the notebooks' sections.
  assert.ok(md.indexOf("## Findings at a glance") < md.indexOf("## 01 · First"));
});
