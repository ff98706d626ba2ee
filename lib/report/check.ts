/**
 * Claims checked in notebooks: `check("KL >= 0", kl >= 0, {kl})` prints a tick and the values, or
 * throws (which fails the cell, and so the notebook run in `make test` / `make figures`).
 */
export class ClaimError extends Error {}

function show(values: object | undefined): string {
  if (!values) return "";
  const fmt = (v: unknown): string =>
    typeof v === "number" ? (Number.isInteger(v) ? String(v) : Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5 ? v.toExponential(3) : v.toFixed(4)) : JSON.stringify(v);
  return " (" + Object.entries(values).map(([k, v]) => `${k} = ${fmt(v)}`).join(", ") + ")";
}

export function check(claim: string, holds: boolean, values?: object): void {
  if (!holds) throw new ClaimError(`claim failed: ${claim}${show(values)}`);
  console.log(`✓ ${claim}${show(values)}`);
}

/** Relative error |a - b| / max(|b|, tiny). */
export function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
}
