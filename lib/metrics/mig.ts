/**
 * Mutual Information Gap (Chen et al. 2018), as the reference library computes it:
 * each latent is discretised into 20 equal-width bins, the mutual information m[j][f] between
 * latent j and factor f is estimated from counts, and for each factor the gap between the two
 * largest m[.][f] is divided by the factor's entropy H(f); MIG is the mean over factors.
 *
 * Factors with zero entropy (a single value in the sample) have no defined gap and are left out
 * of the mean (listed in details.skippedFactors).
 */
import { histogramBins, mutualInformation, entropy } from "./discretize";
import { type Codes, type FactorClasses, type MetricScore, checkCodes, checkFactors, column, factorColumn } from "./types";

export interface MigConfig {
  /** Histogram bins per latent. Default 20 (reference). */
  readonly numBins: number;
  /** Recorded with the score: the seed that sampled the codes (null if unknown). */
  readonly seed: number | null;
}

export const MIG_DEFAULTS: MigConfig = { numBins: 20, seed: null };

export interface MigDetails {
  /** Mutual information in nats, [numLatents][numFactors]. */
  readonly mutualInfo: number[][];
  /** Entropy of each factor in nats. */
  readonly factorEntropy: number[];
  /** Normalised gap per factor (NaN for skipped factors). */
  readonly gapPerFactor: number[];
  readonly skippedFactors: number[];
  readonly numBins: number;
}

/** MIG of codes [n, numLatents] against factor classes [n, numFactors]. */
export function computeMig(codes: Codes, factors: FactorClasses, config: Partial<MigConfig> = {}): MetricScore<MigDetails> {
  const cfg = { ...MIG_DEFAULTS, ...config };
  checkCodes(codes);
  checkFactors(factors, codes.n);
  const { n, numLatents } = codes;
  const binned: Int32Array[] = [];
  for (let j = 0; j < numLatents; j++) binned.push(histogramBins(column(codes.data, n, numLatents, j), cfg.numBins));
  const ys: Int32Array[] = [];
  for (let f = 0; f < factors.numFactors; f++) ys.push(factorColumn(factors, f));
  const m = binned.map((b) => ys.map((y) => mutualInformation(b, y))); // [numLatents][numFactors]
  const h = ys.map((y) => entropy(y));
  const gaps: number[] = [];
  const skipped: number[] = [];
  for (let f = 0; f < factors.numFactors; f++) {
    if (!(h[f] > 0)) {
      skipped.push(f);
      gaps.push(NaN);
      continue;
    }
    const sorted = m.map((row) => row[f]).sort((a, b) => b - a);
    const second = sorted.length > 1 ? sorted[1] : 0;
    gaps.push((sorted[0] - second) / h[f]);
  }
  const used = gaps.filter((g) => !Number.isNaN(g));
  if (used.length === 0) throw new Error("computeMig: every factor is constant in this sample (zero entropy); MIG is undefined");
  const value = used.reduce((a, b) => a + b, 0) / used.length;
  return {
    metric: "mig",
    value,
    details: { mutualInfo: m, factorEntropy: h, gapPerFactor: gaps, skippedFactors: skipped, numBins: cfg.numBins },
    numTrain: n,
    numEval: 0,
    seed: cfg.seed,
  };
}
