/**
 * The end of a training run, read from its history. Each history row holds one training batch's
 * statistics, so the end of a run is read as a mean over its last rows (a fraction of them, at
 * least one), not from the last row alone.
 */
import { finalPerLatent, type HistoryRow, type PerLatentField } from "./history";

/** A history's rows, or anything that has them (a Run: `run.history.rows`). */
export type HistoryRows = readonly HistoryRow[] | { readonly history: { readonly rows: readonly HistoryRow[] } };

/** The scalar columns of a history row. */
export type ScalarField = "recon" | "kl" | "loss" | "capacity";

function rowsOf(of: HistoryRows, what: string): readonly HistoryRow[] {
  const rows = "history" in of ? of.history.rows : of;
  if (rows.length === 0) throw new Error(`${what}: empty history`);
  return rows;
}

/**
 * The rows up to `step` (step <= it): the history as it stood at a snapshot, to read its end there,
 * e.g. `tailMean(historyUntil(run, 25_000), "recon", 0.05)`.
 */
export function historyUntil(of: HistoryRows, step: number): HistoryRow[] {
  const rows = rowsOf(of, "historyUntil").filter((r) => r.step <= step);
  if (rows.length === 0) throw new Error(`historyUntil: no history row at or before step ${step}`);
  return rows;
}

/** The newest history row. */
export function lastRow(of: HistoryRows): HistoryRow {
  const rows = rowsOf(of, "lastRow");
  return rows[rows.length - 1];
}

/** How many rows the last `fraction` of `count` rows is: ceil(count * fraction), at least 1. */
export function tailLength(count: number, fraction: number): number {
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`tailLength: fraction ${fraction} is not in (0, 1]`);
  return Math.max(1, Math.ceil(count * fraction));
}

/**
 * Mean of a scalar column (or of any number computed from a row) over the last `fraction` of the
 * rows: `tailMean(run, "recon", 0.05)`, `tailMean(rows, (r) => Math.abs(r.kl - r.capacity), 0.1)`;
 * with `until`, of the rows up to that step (the run as it stood at a snapshot: historyUntil).
 */
export function tailMean(of: HistoryRows, value: ScalarField | ((row: HistoryRow) => number), fraction: number, until?: number): number {
  const rows = until === undefined ? rowsOf(of, "tailMean") : historyUntil(of, until);
  const k = tailLength(rows.length, fraction);
  const f = typeof value === "function" ? value : (row: HistoryRow) => row[value];
  return rows.slice(-k).reduce((a, row) => a + f(row), 0) / k;
}

/** A per-latent column averaged over the last `fraction` of the rows, one number per latent. */
export function tailPerLatent(of: HistoryRows, field: PerLatentField, fraction: number): number[] {
  const rows = rowsOf(of, "tailPerLatent");
  return finalPerLatent(rows, field, tailLength(rows.length, fraction));
}

/**
 * How closely a capacity run's KL follows its target C: the mean of |KL - C| over the last
 * `fraction` of the history (default the last 10%), in nats.
 */
export function capacityGap(of: HistoryRows, fraction = 0.1): number {
  return tailMean(of, (row) => Math.abs(row.kl - row.capacity), fraction);
}
