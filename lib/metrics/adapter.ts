/**
 * The thin adapter between the pure metric cores and a model: samples a GroundTruthDataset,
 * renders the images, encodes them with `encode` (a model's posterior means, or a baseline) and
 * hands arrays to the cores. Every function takes a seed; the same seed gives the same samples
 * and so the same score.
 *
 * Only factors with more than one value are used (dSprites' colour has one value; the reference
 * library leaves it out too): "factor f" in scores means the f-th varying factor, whose names are
 * in `varyingFactors(ds).names`.
 */
import type { GroundTruthDataset, ImageBatch } from "../data/dataset";
import { makeRng, type Rng } from "../rng";
import { cachedEncoder } from "./code-cache";
import { isFactorEncoder, isStochastic, type Encoder } from "./encoder";
import { computeDci, type DciConfig } from "./dci";
import { GBT_DEFAULTS } from "./gbt";
import { computeFactorVaeFromVariances, latentVariances, type FactorVaeConfig, type FactorVaeVariances } from "./factorvae";
import { computeHiggins, higginsFeature, type HigginsConfig, type HigginsPoints } from "./higgins";
import { computeMig, type MigConfig } from "./mig";
import { computeSap, type SapConfig } from "./sap";
import type { Codes, FactorClasses, MetricName, MetricScore } from "./types";

export interface AdapterConfig {
  /** Training points: Higgins/FactorVAE batches, or codes for MIG/DCI/SAP. Default 10000. */
  readonly numTrain: number;
  /** Evaluation points. Default 5000. */
  readonly numEval: number;
  /** Pairs per Higgins point / codes per FactorVAE group. Default 64. */
  readonly batchSize: number;
  /** Codes for FactorVAE's global variance. Default 10000. */
  readonly numVarianceSamples: number;
  /** Images per call of `encode` (memory bound, not a result parameter). Default 1024. */
  readonly encodeChunk: number;
  /**
   * Encode each distinct image once and reuse its code (code-cache.ts; not a result parameter:
   * the scores are the same bit for bit). Default true.
   */
  readonly cacheCodes: boolean;
  readonly seed: number;
}

/** The reference protocol's FactorVAE global-variance sample (the scores stored with a run assume it where a protocol names none). */
export const DEFAULT_VARIANCE_SAMPLES = 10000;

export const ADAPTER_DEFAULTS: AdapterConfig = {
  numTrain: 10000, numEval: 5000, batchSize: 64, numVarianceSamples: DEFAULT_VARIANCE_SAMPLES, encodeChunk: 1024, cacheCodes: true, seed: 0,
};

/**
 * `encode` with a code cache for `ds` when `cacheCodes` (unchanged if it already has one, or if it
 * is marked stochastic: markStochastic in encoder.ts).
 */
export function withCodeCache(ds: GroundTruthDataset, encode: Encoder, cfg: Pick<AdapterConfig, "cacheCodes" | "encodeChunk">): Encoder {
  return cfg.cacheCodes && !isFactorEncoder(encode) && !isStochastic(encode) ? cachedEncoder(ds, encode, { chunk: cfg.encodeChunk }) : encode;
}

/** The factors with more than one value: their indices in the dataset and names. */
export function varyingFactors(ds: GroundTruthDataset): { indices: number[]; names: string[]; sizes: number[] } {
  const indices = ds.factorSizes.map((s, i) => (s > 1 ? i : -1)).filter((i) => i >= 0);
  if (indices.length === 0) throw new Error(`dataset "${ds.name}" has no factor with more than one value`);
  return { indices, names: indices.map((i) => ds.factorNames[i]), sizes: indices.map((i) => ds.factorSizes[i]) };
}

/**
 * Encodes the images of the given factor classes [n * numFactors], in chunks; returns
 * [n, numLatents]. An encoder with a code cache (code-cache.ts) is asked by factors instead.
 */
export function encodeFactors(ds: GroundTruthDataset, encode: Encoder, factors: Int32Array, chunk: number): Codes {
  const n = factors.length / ds.numFactors;
  if (isFactorEncoder(encode)) {
    const data = encode.byFactors(factors);
    return { data, n, numLatents: n > 0 ? data.length / n : 0 };
  }
  const parts: Float32Array[] = [];
  let numLatents = -1;
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    const images = ds.observe(factors.subarray(start * ds.numFactors, (start + m) * ds.numFactors));
    const z = encode(images);
    if (z.length % m !== 0) throw new Error(`encoder returned ${z.length} values for ${m} images (not a multiple)`);
    if (numLatents < 0) numLatents = z.length / m;
    else if (z.length !== m * numLatents) throw new Error(`encoder returned ${z.length / m} latents per image, earlier ${numLatents}`);
    parts.push(z);
  }
  const data = new Float32Array(n * numLatents);
  let off = 0;
  for (const p of parts) {
    data.set(p, off);
    off += p.length;
  }
  return { data, n, numLatents };
}

/** n random codes with their varying factor classes. */
export function sampleCodes(ds: GroundTruthDataset, encode: Encoder, n: number, rng: Rng, chunk = ADAPTER_DEFAULTS.encodeChunk): { codes: Codes; factors: FactorClasses } {
  const all = ds.sampleFactors(n, rng);
  const { indices } = varyingFactors(ds);
  const data = new Int32Array(n * indices.length);
  for (let i = 0; i < n; i++) indices.forEach((f, k) => (data[i * indices.length + k] = all[i * ds.numFactors + f]));
  return { codes: encodeFactors(ds, encode, all, chunk), factors: { data, n, numFactors: indices.length } };
}

/** Higgins points: numPoints batches of batchSize pairs sharing one uniformly chosen varying factor. */
export function sampleHigginsPoints(
  ds: GroundTruthDataset, encode: Encoder, numPoints: number, batchSize: number, rng: Rng, chunk = ADAPTER_DEFAULTS.encodeChunk,
  progress?: (done: number, total: number) => void,
): HigginsPoints {
  const { indices } = varyingFactors(ds);
  const nf = ds.numFactors;
  const perCall = Math.max(1, Math.floor(chunk / (2 * batchSize)));
  const labels = new Int32Array(numPoints);
  let features: Float32Array | undefined;
  let dim = 0;
  for (let start = 0; start < numPoints; start += perCall) {
    const m = Math.min(perCall, numPoints - start);
    // Rows: point p's first batch at [2p*B, 2p*B + B), its second batch right after.
    const factors = new Int32Array(m * 2 * batchSize * nf);
    for (let p = 0; p < m; p++) {
      const k = rng.int(indices.length);
      labels[start + p] = k;
      const f1 = ds.sampleFactors(batchSize, rng);
      const f2 = ds.sampleFactors(batchSize, rng);
      for (let b = 0; b < batchSize; b++) f2[b * nf + indices[k]] = f1[b * nf + indices[k]];
      factors.set(f1, 2 * p * batchSize * nf);
      factors.set(f2, (2 * p + 1) * batchSize * nf);
    }
    const z = encodeFactors(ds, encode, factors, chunk);
    if (!features) {
      dim = z.numLatents;
      features = new Float32Array(numPoints * dim);
    }
    for (let p = 0; p < m; p++) {
      const a = z.data.subarray(2 * p * batchSize * dim, (2 * p + 1) * batchSize * dim);
      const b = z.data.subarray((2 * p + 1) * batchSize * dim, (2 * p + 2) * batchSize * dim);
      higginsFeature(a, b, batchSize, dim, features, (start + p) * dim);
    }
    progress?.(start + m, numPoints);
  }
  return { features: features ?? new Float32Array(0), labels, numPoints, dim };
}

/** FactorVAE groups, reduced to per-latent variances: numGroups groups of batchSize codes with one varying factor fixed. */
export function sampleFactorVaeVariances(
  ds: GroundTruthDataset, encode: Encoder, numGroups: number, batchSize: number, rng: Rng, chunk = ADAPTER_DEFAULTS.encodeChunk,
): FactorVaeVariances {
  const { indices } = varyingFactors(ds);
  const nf = ds.numFactors;
  const perCall = Math.max(1, Math.floor(chunk / batchSize));
  const fixedFactor = new Int32Array(numGroups);
  let variances: Float64Array | undefined;
  let dim = 0;
  for (let start = 0; start < numGroups; start += perCall) {
    const m = Math.min(perCall, numGroups - start);
    const factors = new Int32Array(m * batchSize * nf);
    for (let g = 0; g < m; g++) {
      const k = rng.int(indices.length);
      fixedFactor[start + g] = k;
      const f = ds.sampleFactors(batchSize, rng);
      for (let b = 1; b < batchSize; b++) f[b * nf + indices[k]] = f[indices[k]];
      factors.set(f, g * batchSize * nf);
    }
    const z = encodeFactors(ds, encode, factors, chunk);
    if (!variances) {
      dim = z.numLatents;
      variances = new Float64Array(numGroups * dim);
    }
    for (let g = 0; g < m; g++) latentVariances(z.data, batchSize, dim, g * batchSize, variances, (start + g) * dim);
  }
  return { variances: variances ?? new Float64Array(0), numLatents: dim, fixedFactor };
}

export function evaluateHiggins(ds: GroundTruthDataset, encode: Encoder, config: Partial<AdapterConfig> = {}, metric: Partial<HigginsConfig> = {}): MetricScore {
  const cfg = { ...ADAPTER_DEFAULTS, ...config };
  encode = withCodeCache(ds, encode, cfg);
  const rng = makeRng(cfg.seed);
  const train = sampleHigginsPoints(ds, encode, cfg.numTrain, cfg.batchSize, rng, cfg.encodeChunk);
  const evalPoints = sampleHigginsPoints(ds, encode, cfg.numEval, cfg.batchSize, rng, cfg.encodeChunk);
  const numFactors = varyingFactors(ds).indices.length;
  return computeHiggins(train, evalPoints, { numFactors, batchSize: cfg.batchSize, seed: cfg.seed, ...metric });
}

export function evaluateFactorVae(ds: GroundTruthDataset, encode: Encoder, config: Partial<AdapterConfig> = {}, metric: Partial<FactorVaeConfig> = {}): MetricScore {
  const cfg = { ...ADAPTER_DEFAULTS, ...config };
  encode = withCodeCache(ds, encode, cfg);
  const rng = makeRng(cfg.seed);
  const global = sampleCodes(ds, encode, cfg.numVarianceSamples, rng, cfg.encodeChunk).codes;
  const train = sampleFactorVaeVariances(ds, encode, cfg.numTrain, cfg.batchSize, rng, cfg.encodeChunk);
  const evalSet = sampleFactorVaeVariances(ds, encode, cfg.numEval, cfg.batchSize, rng, cfg.encodeChunk);
  const numFactors = varyingFactors(ds).indices.length;
  return computeFactorVaeFromVariances(global, train, evalSet, { numFactors, batchSize: cfg.batchSize, seed: cfg.seed, ...metric });
}

export interface EvaluateAllConfig {
  readonly metrics: readonly MetricName[];
  readonly mig: Partial<MigConfig>;
  readonly dci: Partial<DciConfig>;
  readonly sap: Partial<SapConfig>;
}

/**
 * Every requested metric with the reference protocol. MIG, DCI and SAP share one sample of
 * numTrain + numEval codes (MIG uses the numTrain training codes); Higgins and FactorVAE sample
 * their own batches. Each metric's sampling starts from `seed`. With `cacheCodes` (default) one
 * code cache serves every metric, so each distinct image is encoded once.
 */
export function evaluateAll(
  ds: GroundTruthDataset, encode: Encoder, config: Partial<AdapterConfig> = {},
  which: Partial<EvaluateAllConfig> = {}, onScore?: (s: MetricScore, seconds: number) => void,
): MetricScore[] {
  const cfg = { ...ADAPTER_DEFAULTS, ...config };
  encode = withCodeCache(ds, encode, cfg);
  const metrics = which.metrics ?? ["higgins", "factorvae", "mig", "dci", "sap"];
  const scores: MetricScore[] = [];
  let shared: { train: { codes: Codes; factors: FactorClasses }; evalSet: { codes: Codes; factors: FactorClasses } } | undefined;
  const codes = () => {
    if (!shared) {
      const rng = makeRng(cfg.seed);
      shared = { train: sampleCodes(ds, encode, cfg.numTrain, rng, cfg.encodeChunk), evalSet: sampleCodes(ds, encode, cfg.numEval, rng, cfg.encodeChunk) };
    }
    return shared;
  };
  for (const m of metrics) {
    const t0 = Date.now();
    let s: MetricScore;
    switch (m) {
      case "higgins":
        s = evaluateHiggins(ds, encode, cfg);
        break;
      case "factorvae":
        s = evaluateFactorVae(ds, encode, cfg);
        break;
      case "mig":
        s = computeMig(codes().train.codes, codes().train.factors, { seed: cfg.seed, ...which.mig });
        break;
      case "dci": {
        const c = codes();
        // The boosted trees' tie-breaking order is seeded from the same seed.
        s = computeDci(c.train.codes, c.train.factors, c.evalSet.codes, c.evalSet.factors, {
          seed: cfg.seed, gbt: { ...GBT_DEFAULTS, seed: cfg.seed }, ...which.dci,
        });
        break;
      }
      case "sap": {
        const c = codes();
        s = computeSap(c.train.codes, c.train.factors, c.evalSet.codes, c.evalSet.factors, { seed: cfg.seed, ...which.sap });
        break;
      }
    }
    scores.push(s);
    onScore?.(s, (Date.now() - t0) / 1000);
  }
  return scores;
}
