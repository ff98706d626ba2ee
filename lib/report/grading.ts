/**
 * The grading rule: how a finding's verdict follows from the numbers, written once (docs/grading.md
 * says the same in prose) so that no notebook chooses a verdict row by row.
 *
 * A notebook describes what it measured as Evidence -- a value, a comparison of two models, an
 * order, or a claim in parts -- and `grade(evidence, scale)` returns the verdict and the reason:
 *
 * - value:       agrees when ours is within the tolerance of the report's number (relative, default
 *                GRADING.relativeTolerance), or inside its published spread or range; else differs.
 * - comparison:  "a vs b" (e.g. beta-VAE vs VAE). The direction is the sign of a - b; the size is the
 *                ratio a / b or the difference a - b. agrees: same direction and a size within the
 *                tolerance of the report's; partly: the direction only; differs: not the direction.
 *                (A report that calls a difference "minimal" is a value: ratio 1, or difference 0.)
 * - order:       agrees: the same order; partly: the same first or the same last item; differs.
 * - parts:       a claim made of sub-claims: all hold agrees, some partly, none differs.
 *
 * Scale: a claim the report makes at a training length we have not reached (our steps fewer than
 * the report's) and that we do not reproduce is "not at scale" instead of partly/differs; the reason
 * still says what we found at our length. An agreement at a shorter length stays "agrees".
 */
import type { Finding, Verdict } from "./findings";
import { NETWORK_NAMES, type ArchitectureName } from "../models/types";

export const GRADING = {
  /** How far (relative) a size may be from the report's and still agree: 25%. */
  relativeTolerance: 0.25,
} as const;

/** A number the report gives: one value, a value with its published spread (+-), or a range. */
export type Reported = number | { readonly value: number; readonly spread: number } | { readonly range: readonly [number, number] };

export type Evidence =
  | { readonly kind: "value"; readonly report: Reported; readonly ours: number; readonly tolerance?: number }
  | {
      readonly kind: "comparison";
      /** [a, b] as the report gives them. */
      readonly report: readonly [number, number];
      readonly ours: readonly [number, number];
      /** How the size is measured (default "ratio"). */
      readonly size?: "ratio" | "difference";
      readonly tolerance?: number;
    }
  | { readonly kind: "order"; readonly report: readonly string[]; readonly ours: readonly string[] }
  | { readonly kind: "parts"; readonly parts: readonly { readonly name: string; readonly holds: boolean }[] };

/** The training lengths behind a claim: the report's (or a paper's: `of`) and ours. */
export interface Scale {
  readonly reportSteps: number;
  readonly oursSteps: number;
  /** Whose length `reportSteps` is, as the rule's text names it (default "the report's"). */
  readonly of?: string;
}

export interface Grade {
  readonly verdict: Verdict;
  /** Why, in a few words with the numbers: "same direction; ratio 1.12 vs 1.61 (outside +-25%)". */
  readonly rule: string;
}

const fmt = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(2));
const pctTol = (t: number): string => `+-${Math.round(t * 100)}%`;

/** Within `tol` (relative to the reference's magnitude; absolute tol when the reference is 0). */
function near(ours: number, ref: number, tol: number): boolean {
  return Math.abs(ours - ref) <= tol * (ref === 0 ? 1 : Math.abs(ref));
}

function gradeValue(report: Reported, ours: number, tol: number): Grade {
  if (typeof report === "number") {
    const ok = near(ours, report, tol);
    return { verdict: ok ? "agrees" : "differs", rule: `${fmt(ours)} vs ${fmt(report)} (${ok ? "within" : "outside"} ${pctTol(tol)})` };
  }
  if ("range" in report) {
    const [lo, hi] = report.range;
    const ok = ours >= lo && ours <= hi;
    return { verdict: ok ? "agrees" : "differs", rule: `${fmt(ours)} ${ok ? "inside" : "outside"} ${fmt(lo)}-${fmt(hi)}` };
  }
  const inSpread = Math.abs(ours - report.value) <= report.spread;
  const ok = inSpread || near(ours, report.value, tol);
  const where = inSpread ? "inside the published spread" : ok ? `within ${pctTol(tol)}` : `outside ${pctTol(tol)} and the spread`;
  return { verdict: ok ? "agrees" : "differs", rule: `${fmt(ours)} vs ${fmt(report.value)} +- ${fmt(report.spread)} (${where})` };
}

function gradeComparison(e: Extract<Evidence, { kind: "comparison" }>, tol: number): Grade {
  const size = e.size ?? "ratio";
  const measure = ([a, b]: readonly [number, number]): number => (size === "ratio" ? a / b : a - b);
  const sign = ([a, b]: readonly [number, number]): number => Math.sign(a - b);
  const [r, o] = [measure(e.report), measure(e.ours)];
  const sameDirection = sign(e.report) === sign(e.ours);
  const sizeOk = near(o, r, tol);
  const what = `${size} ${fmt(o)} vs ${fmt(r)}`;
  if (!sameDirection) return { verdict: "differs", rule: `opposite direction (${what})` };
  if (sizeOk) return { verdict: "agrees", rule: `same direction; ${what} (within ${pctTol(tol)})` };
  return { verdict: "partly", rule: `same direction only; ${what} (outside ${pctTol(tol)})` };
}

function gradeOrder(report: readonly string[], ours: readonly string[]): Grade {
  const same = report.length === ours.length && report.every((x, i) => x === ours[i]);
  if (same) return { verdict: "agrees", rule: "same order" };
  const first = report[0] === ours[0];
  const last = report[report.length - 1] === ours[ours.length - 1];
  if (first || last) return { verdict: "partly", rule: `only the ${first ? "first" : "last"} item in place (${ours.join(" < ")})` };
  return { verdict: "differs", rule: `neither end in place (${ours.join(" < ")})` };
}

function gradeParts(parts: Extract<Evidence, { kind: "parts" }>["parts"]): Grade {
  if (parts.length === 0) throw new Error("grade: a claim in parts needs at least one part");
  const held = parts.filter((p) => p.holds);
  const missing = parts.filter((p) => !p.holds).map((p) => p.name);
  if (held.length === parts.length) return { verdict: "agrees", rule: `all ${parts.length} parts hold` };
  if (held.length > 0) return { verdict: "partly", rule: `${held.length} of ${parts.length} parts hold; not: ${missing.join(", ")}` };
  return { verdict: "differs", rule: `no part holds (${missing.join(", ")})` };
}

/** The verdict the rule gives, and why (see the file comment). */
export function grade(evidence: Evidence, scale?: Scale): Grade {
  const tol = ("tolerance" in evidence && evidence.tolerance !== undefined ? evidence.tolerance : GRADING.relativeTolerance);
  if (!(tol >= 0)) throw new Error(`grade: tolerance must be >= 0, got ${tol}`);
  let g: Grade;
  switch (evidence.kind) {
    case "value":
      g = gradeValue(evidence.report, evidence.ours, tol);
      break;
    case "comparison":
      g = gradeComparison(evidence, tol);
      break;
    case "order":
      g = gradeOrder(evidence.report, evidence.ours);
      break;
    case "parts":
      g = gradeParts(evidence.parts);
      break;
    default: {
      const never: never = evidence;
      throw new Error(`grade: unknown evidence ${JSON.stringify(never)}`);
    }
  }
  if (scale && g.verdict !== "agrees" && scale.oursSteps < scale.reportSteps) {
    const steps = (n: number): string => n.toLocaleString("en-US");
    return { verdict: "not at scale", rule: `${g.verdict} at ${steps(scale.oursSteps)} steps: ${g.rule}; ${scale.of ?? "the report's"} ${steps(scale.reportSteps)} not reached` };
  }
  return g;
}

/** A finding whose verdict and rule the grading rule computes from `evidence` (and `scale`). */
export function gradedFinding(f: Omit<Finding, "verdict" | "rule"> & { readonly evidence: Evidence; readonly scale?: Scale }): Finding {
  const { evidence, scale, ...rest } = f;
  const g = grade(evidence, scale);
  return { ...rest, verdict: g.verdict, rule: g.rule };
}

/** One run as a finding names it. */
export interface RestingRun {
  readonly config: { readonly architecture: ArchitectureName; readonly seed: number };
  readonly step: number;
  /** false: the newest checkpoint of a run still training. */
  readonly complete?: boolean;
}

/**
 * What a finding rests on: "Burgess network, 100,000 steps, seed 1" per run (", partial" when it is the
 * newest checkpoint of a run still training); runs alike are said once with their count ("..., seed 1
 * (3 runs)"), different ones joined by "; ".
 */
export function restsOn(...runs: readonly RestingRun[]): string {
  if (runs.length === 0) throw new Error("restsOn: name at least one run");
  const counts = new Map<string, number>();
  for (const run of runs) {
    const text = `${NETWORK_NAMES[run.config.architecture]}, ${run.step.toLocaleString("en-US")} steps, seed ${run.config.seed}${run.complete === false ? ", partial" : ""}`;
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return [...counts].map(([text, n]) => (n > 1 ? `${text} (${n} runs)` : text)).join("; ");
}
