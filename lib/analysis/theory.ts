/**
 * Numbers behind section 2 of the report: the ELBO on a model whose evidence is known in closed
 * form, and Burgess et al.'s Figure 1 (posterior overlap vs KL vs the chance of confusing two
 * data points). Pure functions on numbers; the notebooks check them against Monte Carlo and
 * against the tensor objectives that training uses.
 */
import type { Rng } from "../rng";

const LOG_2PI = Math.log(2 * Math.PI);

/** Standard normal density. */
export function normalPdf(x: number, mean = 0, sd = 1): number {
  const u = (x - mean) / sd;
  return Math.exp(-0.5 * u * u) / (sd * Math.sqrt(2 * Math.PI));
}

/** Complementary error function (Chebyshev fit, |relative error| < 1.2e-7; Numerical Recipes' erfcc). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** KL( N(mean, variance) || N(0, 1) ) in nats, one latent. */
export function gaussianKl(mean: number, variance: number): number {
  return 0.5 * (mean * mean + variance - 1 - Math.log(variance));
}

// ---- The ELBO on a linear-Gaussian model: p(z) = N(0, 1), p(x|z) = N(z, s^2) -------------------

/** log p(x) = log N(x; 0, 1 + s^2), the evidence the ELBO bounds. */
export function linearGaussianLogEvidence(x: number, s: number): number {
  const v = 1 + s * s;
  return -0.5 * (LOG_2PI + Math.log(v) + (x * x) / v);
}

/** The exact posterior p(z|x) = N(x / (1 + s^2), s^2 / (1 + s^2)). */
export function linearGaussianPosterior(x: number, s: number): { mean: number; variance: number } {
  const v = 1 + s * s;
  return { mean: x / v, variance: (s * s) / v };
}

export interface ElboTerms {
  /** E_q[log p(x|z)] */
  readonly expectedLogLikelihood: number;
  /** KL(q(z|x) || p(z)) */
  readonly kl: number;
  /** expectedLogLikelihood - kl */
  readonly elbo: number;
}

/** The ELBO of q = N(qMean, qVariance) in closed form. */
export function linearGaussianElbo(x: number, s: number, qMean: number, qVariance: number): ElboTerms {
  const ell = -0.5 * (LOG_2PI + Math.log(s * s)) - ((x - qMean) ** 2 + qVariance) / (2 * s * s);
  const kl = gaussianKl(qMean, qVariance);
  return { expectedLogLikelihood: ell, kl, elbo: ell - kl };
}

/** The same ELBO by Monte Carlo with n reparameterised samples z = m + sqrt(v) * eps:
 * the estimate and its standard error. */
export function linearGaussianElboMonteCarlo(
  x: number,
  s: number,
  qMean: number,
  qVariance: number,
  n: number,
  rng: Rng,
): { estimate: number; standardError: number } {
  let sum = 0;
  let sumSq = 0;
  const sd = Math.sqrt(qVariance);
  for (let i = 0; i < n; i++) {
    const z = qMean + sd * rng.normal();
    const logLik = -0.5 * (LOG_2PI + Math.log(s * s)) - ((x - z) ** 2) / (2 * s * s);
    const logPrior = -0.5 * (LOG_2PI + z * z);
    const logQ = -0.5 * (LOG_2PI + Math.log(qVariance) + ((z - qMean) ** 2) / qVariance);
    const term = logLik + logPrior - logQ;
    sum += term;
    sumSq += term * term;
  }
  const mean = sum / n;
  return { estimate: mean, standardError: Math.sqrt(Math.max(sumSq / n - mean * mean, 0) / n) };
}

// ---- Figure 1 of Burgess et al.: two posteriors in a one-dimensional latent space -------------

export interface OverlapPoint {
  /** Distance between the posterior means; q1 = N(-d/2, sd^2), q2 = N(+d/2, sd^2). */
  readonly separation: number;
  /** Posterior standard deviation (both). */
  readonly sd: number;
  /** Mean KL of the two posteriors to the prior N(0, 1), nats. */
  readonly kl: number;
  /** P(a sample of q2 is more likely under q1) = Phi(-d / (2 sd)). */
  readonly pConfuse: number;
  /** Expected reconstruction cost of an optimal decoder telling x1 from x2 given z:
   * H(x | z) in nats (log 2 when the posteriors coincide, 0 when they are apart). */
  readonly reconCost: number;
}

/** KL, confusion probability and the optimal decoder's cost for one configuration. */
export function twoPosteriors(separation: number, sd: number): OverlapPoint {
  if (!(sd > 0)) throw new Error(`twoPosteriors: sd must be > 0, got ${sd}`);
  const m = separation / 2;
  const kl = gaussianKl(m, sd * sd);
  const pConfuse = normalCdf(-separation / (2 * sd));
  // H(x|z) = integral of q_mix(z) * h(p(x1|z)) dz, trapezoid rule on +-12 sd around the means.
  const lo = -m - 12 * sd;
  const hi = m + 12 * sd;
  const steps = 4000;
  const dz = (hi - lo) / steps;
  let cost = 0;
  for (let i = 0; i <= steps; i++) {
    const z = lo + i * dz;
    const q1 = normalPdf(z, -m, sd);
    const q2 = normalPdf(z, m, sd);
    const tot = q1 + q2;
    if (tot <= 0) continue;
    const p = q1 / tot;
    const h = (p > 0 ? -p * Math.log(p) : 0) + (p < 1 ? -(1 - p) * Math.log(1 - p) : 0);
    cost += (i === 0 || i === steps ? 0.5 : 1) * 0.5 * tot * h * dz;
  }
  return { separation, sd, kl, pConfuse, reconCost: cost };
}

/** Monte Carlo estimate of pConfuse: the fraction of n samples of q2 that are more likely under q1. */
export function confusionMonteCarlo(separation: number, sd: number, n: number, rng: Rng): number {
  const m = separation / 2;
  let confused = 0;
  for (let i = 0; i < n; i++) {
    const z = m + sd * rng.normal();
    if (normalPdf(z, -m, sd) > normalPdf(z, m, sd)) confused++;
  }
  return confused / n;
}
