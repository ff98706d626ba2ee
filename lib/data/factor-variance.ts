/**
 * How much of the pixels each ground-truth factor explains: for factor f, the variance of the
 * pixels across f's values with every other factor held, summed over the pixels and averaged over
 * the other factors,
 *
 *   V_f = E_others [ sum_p Var_f(x_p | others) ],
 *
 * estimated from pairs of images that share every factor but f, whose two values of f are drawn
 * independently (uniformly, as sampleFactors draws them): V_f = E[ ||x - x'||^2 ] / 2. The total
 * V = sum_p Var(x_p) comes the same way from pairs of independent images.
 *
 * In the units of a Gaussian decoder's squared error summed per image (on binary images, half the
 * pixels a pair differs in): a model that leaves f out of its code and reconstructs the average
 * over f pays about V_f more error. Burgess et al. 2018 (Section 4) argue that a beta-VAE under a
 * capacity limit first encodes the factors whose encoding most improves the reconstruction; this
 * is the size of that improvement for each factor on its own.
 *
 * The dataset must render any combination of factor classes (a full factorial set, as every
 * generator here and the official dSprites file are; not a subset of it).
 */
import type { GroundTruthDataset } from "./dataset";
import { makeRng } from "../rng";

export interface FactorVariance {
  readonly factor: string;
  /** Mean over pairs of ||x - x'||^2 / 2: the pixel variance f explains, summed over pixels. */
  readonly variance: number;
  /** Standard error of that mean. */
  readonly standardError: number;
  /** variance / the total pixel variance of the dataset. */
  readonly share: number;
}

export interface FactorVarianceResult {
  readonly dataset: string;
  readonly pairs: number;
  readonly seed: number;
  /** One row per factor, in the dataset's factor order. */
  readonly factors: readonly FactorVariance[];
  /** sum_p Var(x_p) over independent images, and its standard error. */
  readonly total: number;
  readonly totalStandardError: number;
}

export interface FactorVarianceOptions {
  /** Pairs of images per factor (and for the total). Default 500. */
  readonly pairs: number;
  readonly seed: number;
}

export const FACTOR_VARIANCE_DEFAULTS: FactorVarianceOptions = { pairs: 500, seed: 0 };

/** Mean and standard error of ||a_i - b_i||^2 / 2 over the n image pairs of two batches. */
function halfSquaredDistance(a: Float32Array, b: Float32Array, n: number): [number, number] {
  const per = a.length / n;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    let d2 = 0;
    for (let p = i * per; p < (i + 1) * per; p++) d2 += (a[p] - b[p]) ** 2;
    sum += d2 / 2;
    sumSq += (d2 / 2) ** 2;
  }
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : 0;
  return [mean, Math.sqrt(variance / n)];
}

/** The pixel variance each factor of `ds` explains, and the total (see the file's comment). */
export function factorPixelVariance(ds: GroundTruthDataset, options: Partial<FactorVarianceOptions> = {}): FactorVarianceResult {
  const { pairs, seed } = { ...FACTOR_VARIANCE_DEFAULTS, ...options };
  if (!Number.isInteger(pairs) || pairs < 2) throw new Error(`factorPixelVariance: pairs must be an integer >= 2, got ${pairs}`);
  const rng = makeRng(seed);
  const k = ds.numFactors;
  const [total, totalStandardError] = halfSquaredDistance(
    ds.observe(ds.sampleFactors(pairs, rng)).data, ds.observe(ds.sampleFactors(pairs, rng)).data, pairs);
  const factors = ds.factorNames.map((factor, f) => {
    const base = ds.sampleFactors(pairs, rng);
    const other = base.slice();
    for (let i = 0; i < pairs; i++) other[i * k + f] = rng.int(ds.factorSizes[f]);
    const [variance, standardError] = halfSquaredDistance(ds.observe(base).data, ds.observe(other).data, pairs);
    return { factor, variance, standardError, share: total > 0 ? variance / total : 0 };
  });
  return { dataset: ds.name, pairs, seed, factors, total, totalStandardError };
}

/** One line: each factor's variance and share, largest first, then the total. */
export function formatFactorVariance(r: FactorVarianceResult): string {
  const rows = [...r.factors].sort((a, b) => b.variance - a.variance);
  const pct = (share: number): string => (100 * share).toFixed(share > 0 && share < 0.1 ? 1 : 0);
  const each = rows.map((f) => `${f.factor} ${f.variance.toFixed(1)} (${pct(f.share)}%)`).join(", ");
  return `${each}; all factors ${r.total.toFixed(1)} (${r.pairs} pairs each, seed ${r.seed})`;
}
