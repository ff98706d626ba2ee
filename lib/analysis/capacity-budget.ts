/**
 * Where a model's KL went, against what the data's factors can carry: how large C should be.
 *
 * For a dataset whose images are a function of independent, uniformly drawn discrete factors
 * (dSprites), an image carries at most H(x) = sum_f ln(n_f) nats, ln(n_f) of them about factor f.
 * The KL the objectives constrain is, averaged over the data,
 *   E_x KL(q(z|x) || p(z)) = I(x; z) + KL(q(z) || p(z)),
 * and I(x; z) <= H(x). So KL beyond H(x) cannot carry information about the image: it only makes
 * the posteriors narrower than needed to tell images apart (the aggregate posterior departs from
 * the prior). ln(n_f) is an upper bound on what an image says about factor f: rotations of a square
 * by 90 degrees look the same, so orientation carries less than ln(40).
 *
 * Pure: from the factor sizes, the KL per latent and the factor each latent encodes
 * (`latentFactorMap(...).factorOfLatent`, "-" for none).
 */

export interface FactorBudget {
  readonly factor: string;
  /** Number of values of the factor. */
  readonly values: number;
  /** ln(values): what a uniformly drawn factor carries at most (nats). */
  readonly entropyNats: number;
  /** The latents that encode it. */
  readonly latents: readonly number[];
  /** Their summed KL (nats). */
  readonly klNats: number;
}

export interface CapacityBudget {
  readonly factors: readonly FactorBudget[];
  /** H(x) = sum of the factors' entropies (nats): the most any code can say about an image. */
  readonly dataEntropyNats: number;
  /** Total KL over all latents (nats). */
  readonly totalKlNats: number;
  /** KL of latents that encode no factor ("-"). */
  readonly unassignedKlNats: number;
  /** max(0, totalKl - H(x)): KL that cannot be information about the image (nats). */
  readonly excessKlNats: number;
}

export function capacityBudget(
  factorNames: readonly string[],
  factorSizes: readonly number[],
  klPerLatent: readonly number[],
  factorOfLatent: readonly string[],
): CapacityBudget {
  if (factorNames.length !== factorSizes.length) {
    throw new Error(`capacityBudget: ${factorNames.length} factor names for ${factorSizes.length} factor sizes`);
  }
  if (factorOfLatent.length !== klPerLatent.length) {
    throw new Error(`capacityBudget: ${factorOfLatent.length} factors given for ${klPerLatent.length} latents`);
  }
  factorSizes.forEach((n, f) => {
    if (!(Number.isInteger(n) && n >= 1)) throw new Error(`capacityBudget: factor "${factorNames[f]}" has ${n} values, expected a positive integer`);
  });
  factorOfLatent.forEach((name, i) => {
    if (name !== "-" && !factorNames.includes(name)) throw new Error(`capacityBudget: latent z${i} is mapped to "${name}", not one of ${factorNames.join(", ")} (or "-")`);
  });
  const factors = factorNames.map((factor, f) => {
    const latents = factorOfLatent.flatMap((name, i) => (name === factor ? [i] : []));
    return {
      factor,
      values: factorSizes[f],
      entropyNats: Math.log(factorSizes[f]),
      latents,
      klNats: latents.reduce((s, i) => s + klPerLatent[i], 0),
    };
  });
  const dataEntropyNats = factors.reduce((s, f) => s + f.entropyNats, 0);
  const totalKlNats = klPerLatent.reduce((s, v) => s + v, 0);
  const unassignedKlNats = factorOfLatent.reduce((s, name, i) => (name === "-" ? s + klPerLatent[i] : s), 0);
  return { factors, dataEntropyNats, totalKlNats, unassignedKlNats, excessKlNats: Math.max(0, totalKlNats - dataEntropyNats) };
}
