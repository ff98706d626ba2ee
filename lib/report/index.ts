/**
 * The report: claims a notebook checks (check), its findings against the report reproduced
 * (verdicts), and REPORT.md built from the executed notebooks.
 */
export { check, relativeError, ClaimError } from "./check";
export { fmt, pct, sum } from "./numbers";
export { verdict, showFindings, VERDICTS, FINDINGS_MIME, type Finding, type Verdict } from "./findings";
export { buildReport, type NotebookJson, type NotebookCell, type FigureOutput, type FigureLink, type Report, type ReportOptions } from "./report";
