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
