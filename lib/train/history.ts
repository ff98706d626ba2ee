/**
 * The training history: one row every `historyEvery` steps, from the training batch of that step.
 *
 * Columns: step (0-based index of the update), seconds (wall time since the run started, resumed
 * runs included), recon, kl, loss, capacity (C; 0 unless a capacity objective), and per latent i:
 *   kl_i     mean KL of latent i over the batch (nats)
 *   mu_i     batch mean of the posterior mean zMean_i
 *   muSd_i   batch standard deviation of zMean_i (how much the latent varies across images)
 *   var_i    batch mean of the posterior variance exp(zLogVar_i)
 * Saved as CSV (readable by polars, pandas, a spreadsheet).
 */
import * as fs from "node:fs";
import pl from "nodejs-polars";
import { writeFileAtomic } from "./files";

export const SCALAR_COLUMNS = ["step", "seconds", "recon", "kl", "loss", "capacity"] as const;
export const LATENT_COLUMNS = ["kl", "mu", "muSd", "var"] as const;

export interface HistoryRow {
  readonly step: number;
  readonly seconds: number;
  readonly recon: number;
  readonly kl: number;
  readonly loss: number;
  readonly capacity: number;
  /** Each [numLatents]. */
  readonly klPerLatent: readonly number[];
  readonly mu: readonly number[];
  readonly muSd: readonly number[];
  readonly var: readonly number[];
}

export function historyColumns(numLatents: number): string[] {
  const cols: string[] = [...SCALAR_COLUMNS];
  for (const c of LATENT_COLUMNS) for (let i = 0; i < numLatents; i++) cols.push(`${c}_${i}`);
  return cols;
}

export class History {
  readonly rows: HistoryRow[] = [];
  constructor(readonly numLatents: number) {}

  push(row: HistoryRow): void {
    this.rows.push(row);
  }

  /** The history as a polars DataFrame (step as Int32, everything else Float64). */
  toDataFrame(): pl.DataFrame {
    const z = this.numLatents;
    const series: pl.Series[] = [
      pl.Series("step", this.rows.map((r) => r.step), pl.Int32),
      pl.Series("seconds", this.rows.map((r) => r.seconds), pl.Float64),
      pl.Series("recon", this.rows.map((r) => r.recon), pl.Float64),
      pl.Series("kl", this.rows.map((r) => r.kl), pl.Float64),
      pl.Series("loss", this.rows.map((r) => r.loss), pl.Float64),
      pl.Series("capacity", this.rows.map((r) => r.capacity), pl.Float64),
    ];
    const perLatent: Record<(typeof LATENT_COLUMNS)[number], (r: HistoryRow) => readonly number[]> = {
      kl: (r) => r.klPerLatent,
      mu: (r) => r.mu,
      muSd: (r) => r.muSd,
      var: (r) => r.var,
    };
    for (const c of LATENT_COLUMNS) {
      for (let i = 0; i < z; i++) series.push(pl.Series(`${c}_${i}`, this.rows.map((r) => perLatent[c](r)[i]), pl.Float64));
    }
    return pl.DataFrame(series);
  }

  save(file: string): void {
    writeFileAtomic(file, this.toDataFrame().writeCSV());
  }

  /**
   * Reads a history saved by save(). Every row must hold every column as a finite number, steps must
   * ascend, and the file must end with a line end (save() writes one): a cut or damaged file is an
   * error naming the file and line, never read with missing fields as 0. With `at` (the step the
   * run or checkpoint reached and its config), the last row must be the last recorded step before it.
   */
  static load(file: string, numLatents: number, at?: { readonly step: number; readonly historyEvery: number; readonly steps: number }): History {
    const h = new History(numLatents);
    const fail = (what: string): never => {
      throw new Error(`${file}: ${what}; the history of this run or checkpoint is damaged (a checkpoint: an older one is used if intact; a complete run: restore the file from a copy, or train again into another runs folder)`);
    };
    if (!fs.existsSync(file)) throw new Error(`${file}: history file missing`);
    const text = fs.readFileSync(file, "utf8");
    if (text.trim() === "") fail("empty file (expected a header line and one row per recorded step)");
    if (!text.endsWith("\n")) fail("the last line has no line end (the file was cut short)");
    const lines = text.slice(0, -1).split("\n");
    const header = lines[0].split(",");
    const missing = historyColumns(numLatents).filter((c) => !header.includes(c));
    if (missing.length) throw new Error(`${file}: history lacks columns ${missing.join(", ")}`);
    const index = (c: string): number => header.indexOf(c);
    const scalar = SCALAR_COLUMNS.map(index);
    const latent = LATENT_COLUMNS.map((c) => Array.from({ length: numLatents }, (_, i) => index(`${c}_${i}`)));
    for (let l = 1; l < lines.length; l++) {
      const fields = lines[l].split(",");
      if (fields.length !== header.length) fail(`line ${l + 1} has ${fields.length} fields, the header ${header.length}`);
      const num = (k: number): number => {
        const v = fields[k].trim() === "" ? NaN : Number(fields[k]);
        return Number.isFinite(v) ? v : fail(`line ${l + 1}: ${header[k]} is "${fields[k]}", expected a finite number`);
      };
      const [step, seconds, recon, kl, loss, capacity] = scalar.map(num);
      const previous = h.rows[h.rows.length - 1];
      if (!Number.isInteger(step) || step < 0 || (previous && step <= previous.step)) fail(`line ${l + 1}: step ${step} does not follow step ${previous?.step ?? "(none)"}`);
      const [klPerLatent, mu, muSd, vr] = latent.map((cols) => cols.map(num));
      h.push({ step, seconds, recon, kl, loss, capacity, klPerLatent, mu, muSd, var: vr });
    }
    if (at && at.step > 0) {
      // The last step recorded before `at.step`: a multiple of historyEvery, or the run's last step.
      const s = at.step - 1;
      const expected = s === at.steps - 1 ? s : s - (s % at.historyEvery);
      const last = h.rows[h.rows.length - 1];
      if (last?.step !== expected) fail(`its last row is step ${last?.step ?? "(no rows)"}, but at step ${at.step} the last recorded step is ${expected} (rows are missing)`);
    }
    return h;
  }
}

/** The per-latent columns of a history row. */
export type PerLatentField = "klPerLatent" | "mu" | "muSd" | "var";

/**
 * Mean of a per-latent column over the last `window` history rows: each row is one training batch's
 * statistic, so the end of a run is read over several rows (batch noise averaged out).
 */
export function finalPerLatent(rows: readonly HistoryRow[], field: PerLatentField, window = 5): number[] {
  if (rows.length === 0) throw new Error(`finalPerLatent(${field}): empty history`);
  const last = rows.slice(-window);
  return last[0][field].map((_, i) => last.reduce((s, r) => s + r[field][i], 0) / last.length);
}

/** Mean KL per latent over the last `window` history rows (batch noise averaged out). */
export function finalKlPerLatent(rows: readonly HistoryRow[], window = 5): number[] {
  return finalPerLatent(rows, "klPerLatent", window);
}
