/**
 * Findings: what a notebook concludes about the report it reproduces, one row per claim, each with the
 * report's value, ours and a verdict. A notebook computes them from its own run (never by hand) and shows
 * them with `showFindings`: a Markdown table inline, and the rows as JSON (FINDINGS_MIME) in the same
 * output, from which `bvae report` gathers every notebook's findings into one table atop REPORT.md.
 */
import { displayBundle } from "../display/show";

/** agrees: our result says what the report says; partly: some of it (e.g. the direction, not the size);
 * differs: it does not; not at scale: we do not reproduce it, and our run is shorter than the report's
 * (the finding says at which step); not run: the notebook could not test it here (e.g. a dataset is
 * absent). lib/grading.ts computes them from the numbers (docs/grading.md). */
export type Verdict = "agrees" | "partly" | "differs" | "not at scale" | "not run";
export const VERDICTS: readonly Verdict[] = ["agrees", "partly", "differs", "not at scale", "not run"];

export interface Finding {
  /** Where the report (or the paper) makes the claim: "Figure 7", "Table 1", "Section 3.2". */
  readonly source: string;
  /** The claim, in a few words. */
  readonly claim: string;
  /** What the report (or paper) found, with its numbers. */
  readonly report: string;
  /** What this run found, with its numbers and length of training. */
  readonly ours: string;
  readonly verdict: Verdict;
  /** The runs it rests on: network, steps and seeds ("H network, 100,000 steps, seed 1"). */
  readonly restsOn?: string;
  /** Why the verdict, as the grading rule computed it (lib/grading.ts). */
  readonly rule?: string;
}

export const FINDINGS_MIME = "application/vnd.bvae.findings+json";

const VERDICT_LABEL: Record<Verdict, string> = { agrees: "✓ agrees", partly: "◐ partly", differs: "✗ differs", "not at scale": "… not at scale", "not run": "– not run" };

export function verdictLabel(v: Verdict): string {
  return VERDICT_LABEL[v];
}

/** "agrees" when `holds`, else "partly" when `partly`, else "differs". */
export function verdict(holds: boolean, partly = false): Verdict {
  return holds ? "agrees" : partly ? "partly" : "differs";
}

/** Checks one finding's fields; throws an error naming the finding and the field. */
export function checkFinding(f: unknown, where = "finding"): Finding {
  const r = f as Record<string, unknown>;
  if (typeof f !== "object" || f === null) throw new Error(`${where}: expected an object, got ${JSON.stringify(f)}`);
  for (const key of ["source", "claim", "report", "ours"] as const) {
    if (typeof r[key] !== "string" || (r[key] as string).trim() === "") throw new Error(`${where}: "${key}" must be a non-empty string, got ${JSON.stringify(r[key])}`);
  }
  if (!VERDICTS.includes(r.verdict as Verdict)) {
    throw new Error(`${where} ("${String(r.claim)}"): "verdict" must be one of ${VERDICTS.join(", ")}, got ${JSON.stringify(r.verdict)}`);
  }
  for (const key of ["restsOn", "rule"] as const) {
    if (r[key] !== undefined && (typeof r[key] !== "string" || (r[key] as string).trim() === "")) throw new Error(`${where} ("${String(r.claim)}"): "${key}" must be a non-empty string when given, got ${JSON.stringify(r[key])}`);
  }
  const optional = { ...(r.restsOn !== undefined ? { restsOn: r.restsOn as string } : {}), ...(r.rule !== undefined ? { rule: r.rule as string } : {}) };
  return { source: r.source as string, claim: r.claim as string, report: r.report as string, ours: r.ours as string, verdict: r.verdict as Verdict, ...optional };
}

/** Text made safe for one cell of a Markdown table (pipes escaped, one line). */
export function markdownCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The "this reproduction" cell: what we found, then what it rests on and why the verdict, when given. */
export function oursCell(f: Finding): string {
  const extra = [f.restsOn ? `*rests on:* ${f.restsOn}` : "", f.rule ? `*graded:* ${f.rule}` : ""].filter(Boolean);
  return [f.ours, ...extra].map(markdownCell).join("<br>");
}

/** The findings as a Markdown table (verdict first). */
export function findingsMarkdown(findings: readonly Finding[]): string {
  return [
    "| verdict | source | claim | the report | this reproduction |",
    "|---|---|---|---|---|",
    ...findings.map((f) => `| ${verdictLabel(f.verdict)} | ${markdownCell(f.source)} | ${markdownCell(f.claim)} | ${markdownCell(f.report)} | ${oursCell(f)} |`),
  ].join("\n");
}

/** "3 agree, 1 partly, 2 differ" (only the verdicts present). */
export function verdictCounts(findings: readonly Finding[]): string {
  const words: Record<Verdict, [string, string]> = { agrees: ["agrees", "agree"], partly: ["partly", "partly"], differs: ["differs", "differ"], "not at scale": ["not at scale", "not at scale"], "not run": ["not run", "not run"] };
  return VERDICTS.flatMap((v) => {
    const n = findings.filter((f) => f.verdict === v).length;
    return n ? [`${n} ${words[v][n === 1 ? 0 : 1]}`] : [];
  }).join(", ");
}

/** Shows the findings in the notebook (Markdown table + JSON for `bvae report`), or prints the table. */
export function showFindings(findings: readonly Finding[]): void {
  const checked = findings.map((f, i) => checkFinding(f, `finding ${i}`));
  const markdown = `**Findings** (${verdictCounts(checked)})\n\n${findingsMarkdown(checked)}`;
  if (!displayBundle({ "text/markdown": markdown, [FINDINGS_MIME]: { findings: checked }, "text/plain": markdown })) console.log(markdown);
}
