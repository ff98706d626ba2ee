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

  /** Reads a history saved by save(); checks the columns. */
  static load(file: string, numLatents: number): History {
    const h = new History(numLatents);
    if (!fs.existsSync(file)) throw new Error(`${file}: history file missing`);
    const text = fs.readFileSync(file, "utf8");
    if (text.trim() === "" || text.trim().split("\n").length < 2) return h; // header only: no rows yet
    const df = pl.readCSV(text);
    const want = historyColumns(numLatents);
    const missing = want.filter((c) => !df.columns.includes(c));
    if (missing.length) throw new Error(`${file}: history lacks columns ${missing.join(", ")}`);
    const col = (name: string): number[] => df.getColumn(name).toArray().map(Number);
    const scalars = Object.fromEntries(SCALAR_COLUMNS.map((c) => [c, col(c)])) as Record<(typeof SCALAR_COLUMNS)[number], number[]>;
    const lat = (c: string): number[][] => Array.from({ length: numLatents }, (_, i) => col(`${c}_${i}`));
    const [kl, mu, muSd, vr] = LATENT_COLUMNS.map(lat);
    for (let r = 0; r < df.height; r++) {
      h.push({
        step: scalars.step[r],
        seconds: scalars.seconds[r],
        recon: scalars.recon[r],
        kl: scalars.kl[r],
        loss: scalars.loss[r],
        capacity: scalars.capacity[r],
        klPerLatent: kl.map((c) => c[r]),
        mu: mu.map((c) => c[r]),
        muSd: muSd.map((c) => c[r]),
        var: vr.map((c) => c[r]),
      });
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
