/**
 * Which latent encodes which generative factor, computed from the dataset's own factors
 * (normalised mutual information of each latent's posterior mean with each factor), never written
 * by hand.
 */
import type { GroundTruthDataset } from "../data/dataset";
import type { VaeModel } from "../models/types";
import { makeRng } from "../rng";
import { encodeBatch } from "./inspect";
import { computeMig } from "../metrics/mig";

export interface LatentFactorMap {
  /** Normalised mutual information I(z_j; v_k) / H(v_k), [numLatents][numFactors]. */
  readonly nmi: number[][];
  readonly factorNames: readonly string[];
  /** For each latent: the factor it shares most information with, or "-" when it is inactive. */
  readonly factorOfLatent: string[];
}

/**
 * Which latent encodes which factor: the normalised mutual information between each latent's
 * posterior mean (20-bin histogram) and each factor, on `n` images sampled from the dataset.
 * Latents listed in `inactive` are reported as "-".
 */
export function latentFactorMap(model: VaeModel, dataset: GroundTruthDataset, opts: { n?: number; seed?: number; inactive?: readonly number[] } = {}): LatentFactorMap {
  const n = opts.n ?? 5000;
  const factors = dataset.sampleFactors(n, makeRng(opts.seed ?? 0));
  const codes = encodeBatch(model, dataset.observe(factors));
  const mig = computeMig({ data: codes.mean, n, numLatents: codes.numLatents }, { data: factors, n, numFactors: dataset.numFactors });
  const h = mig.details.factorEntropy;
  const nmi = mig.details.mutualInfo.map((row) => row.map((m, k) => (h[k] > 0 ? m / h[k] : 0)));
  const factorOfLatent = nmi.map((row, j) => {
    if (opts.inactive?.includes(j)) return "-";
    let best = -1;
    row.forEach((v, k) => {
      if (h[k] > 0 && (best < 0 || v > row[best])) best = k;
    });
    return best < 0 ? "-" : dataset.factorNames[best];
  });
  return { nmi, factorNames: dataset.factorNames, factorOfLatent };
}

/**
 * A latent "mixes" factors when the factor it shares the second-most information with holds at least
 * this fraction of the first's normalised MI: both show when the latent is traversed.
 */
export const MIXING_RATIO = 0.5;

export interface LatentMixing {
  readonly latent: number;
  /** The factors with the highest and second-highest NMI, and those NMIs. */
  readonly first: string;
  readonly firstNmi: number;
  readonly second: string;
  readonly secondNmi: number;
  /** secondNmi / firstNmi (0 when the first is 0). */
  readonly ratio: number;
  /** ratio >= MIXING_RATIO. */
  readonly mixed: boolean;
}

/**
 * For each active latent of `map` (factor not "-"): its two most informative factors and whether it
 * mixes them (a constant factor, like dSprites' colour, has NMI 0 and never ranks above one that varies).
 */
export function latentMixing(map: LatentFactorMap, ratio = MIXING_RATIO): LatentMixing[] {
  const out: LatentMixing[] = [];
  map.nmi.forEach((row, j) => {
    if (map.factorOfLatent[j] === "-") return;
    const ranked = row.map((v, k) => ({ name: map.factorNames[k], v }))
      .filter((f) => Number.isFinite(f.v))
      .sort((a, b) => b.v - a.v);
    if (ranked.length < 2) throw new Error(`latentMixing: latent z${j} has fewer than two factors to compare`);
    const [a, b] = ranked;
    const r = a.v > 0 ? b.v / a.v : 0;
    out.push({ latent: j, first: a.name, firstNmi: a.v, second: b.name, secondNmi: b.v, ratio: r, mixed: r >= ratio });
  });
  return out;
}
