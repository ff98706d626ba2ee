/**
 * Shared types of the disentanglement metrics: codes and factor classes as flat arrays with their
 * dimensions, and the score object every metric returns.
 *
 * Layout is row-major: codes.data[i * numLatents + j] is latent j of point i, factors.data[i *
 * numFactors + f] is the class of factor f of point i.
 */

/** Representations (encoder means): [n, numLatents]. */
export interface Codes {
  readonly data: Float32Array | Float64Array;
  readonly n: number;
  readonly numLatents: number;
}

/** Ground-truth factor classes: [n, numFactors], integers. */
export interface FactorClasses {
  readonly data: Int32Array;
  readonly n: number;
  readonly numFactors: number;
}

export type MetricName = "higgins" | "factorvae" | "mig" | "dci" | "sap";

export const METRIC_NAMES: readonly MetricName[] = ["higgins", "factorvae", "mig", "dci", "sap"];

/** What every metric returns: the headline value plus what is needed to reproduce it. */
export interface MetricScore<D extends object = object> {
  readonly metric: MetricName;
  /** The headline number (accuracy in [0, 1] for Higgins and FactorVAE, a score in [0, 1] otherwise). */
  readonly value: number;
  /** Metric-specific extras (train accuracy, per-factor values, importance matrix, ...). */
  readonly details: D;
  /** Training points (Higgins/FactorVAE: number of batches; others: number of codes). */
  readonly numTrain: number;
  /** Evaluation points (0 where the metric has no held-out set, e.g. MIG). */
  readonly numEval: number;
  /** Seed of the sampling (and of any randomised classifier); null if the caller gave none. */
  readonly seed: number | null;
}

/** Checks shape consistency of codes, with a message naming the argument. */
export function checkCodes(codes: Codes, what = "codes"): void {
  if (!Number.isInteger(codes.n) || codes.n <= 0) throw new Error(`${what}.n must be a positive integer, got ${codes.n}`);
  if (!Number.isInteger(codes.numLatents) || codes.numLatents <= 0) {
    throw new Error(`${what}.numLatents must be a positive integer, got ${codes.numLatents}`);
  }
  if (codes.data.length !== codes.n * codes.numLatents) {
    throw new Error(`${what}.data has length ${codes.data.length}, expected n * numLatents = ${codes.n * codes.numLatents}`);
  }
  for (let i = 0; i < codes.data.length; i++) {
    if (!Number.isFinite(codes.data[i])) throw new Error(`${what}.data[${i}] is ${codes.data[i]}, expected a finite number`);
  }
}

/** Checks shape consistency of factor classes (and, if given, that n matches the codes). */
export function checkFactors(factors: FactorClasses, n?: number, what = "factors"): void {
  if (!Number.isInteger(factors.numFactors) || factors.numFactors <= 0) {
    throw new Error(`${what}.numFactors must be a positive integer, got ${factors.numFactors}`);
  }
  if (factors.data.length !== factors.n * factors.numFactors) {
    throw new Error(`${what}.data has length ${factors.data.length}, expected n * numFactors = ${factors.n * factors.numFactors}`);
  }
  if (n !== undefined && factors.n !== n) throw new Error(`${what}.n is ${factors.n} but the codes have n = ${n}`);
}

/** Column j of a row-major [n, d] array, as float64. */
export function column(data: ArrayLike<number>, n: number, d: number, j: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = data[i * d + j];
  return out;
}

/** Column f of the factor classes. */
export function factorColumn(factors: FactorClasses, f: number): Int32Array {
  const out = new Int32Array(factors.n);
  for (let i = 0; i < factors.n; i++) out[i] = factors.data[i * factors.numFactors + f];
  return out;
}
