/**
 * The report: claims a notebook checks (check), its findings against the report reproduced
 * (verdicts, graded by one rule: grading.ts), and REPORT.md built from the executed notebooks.
 */
export { check, relativeError, ClaimError } from "./check";
export { fmt, pct, sum } from "./numbers";
export { verdict, showFindings, VERDICTS, FINDINGS_MIME, type Finding, type Verdict } from "./findings";
export { grade, gradedFinding, restsOn, GRADING, type Evidence, type Reported, type Scale, type Grade } from "./grading";
export { buildReport, type NotebookJson, type NotebookCell, type FigureOutput, type FigureLink, type Report, type ReportOptions } from "./report";
