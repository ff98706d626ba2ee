/** Numbers as the notebooks write them in their prose and findings. */

/** `v` with `digits` decimals: fmt(0.12345) = "0.123", fmt(27.46, 1) = "27.5". */
export function fmt(v: number, digits = 3): string {
  return v.toFixed(digits);
}

/** A fraction as a percentage: pct(0.9923) = "99.2%". */
export function pct(v: number, digits = 1): string {
  return `${(100 * v).toFixed(digits)}%`;
}

/** The sum of the values, added left to right (0 for none). */
export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** The mean and the sample standard deviation (n - 1 in the denominator; NaN for one value) of the values. */
export function meanSd(values: readonly number[]): { readonly n: number; readonly mean: number; readonly sd: number } {
  const n = values.length;
  if (n === 0) throw new Error("meanSd: no values");
  const mean = sum(values) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : NaN;
  return { n, mean, sd };
}

/**
 * A mean and its sample sd as a table shows them, 4 significant digits: "0.2733 ± 0.08083" ("± -" for one
 * value; below 1e-12, float error such as the sd of three equal scores, "0").
 */
export function meanSdText(s: { readonly mean: number; readonly sd: number }): string {
  const sig = (x: number): string =>
    Math.abs(x) < 1e-12 ? "0" : Math.abs(x) >= 1e4 ? Math.round(x).toString() : String(Number(x.toPrecision(4)));
  return `${sig(s.mean)} ± ${Number.isNaN(s.sd) ? "-" : sig(s.sd)}`;
}
