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
