/**
 * The FactorVAE disentanglement metric (Kim & Mnih 2018), reference-library protocol:
 * - global variance of each latent over 10,000 random codes (ddof 1); latents whose std is below
 *   0.05 are pruned (inactive);
 * - one training point = a group of 64 codes sharing one fixed factor (chosen uniformly); the
 *   latent with the smallest variance / global variance (among active latents) votes for that
 *   factor;
 * - the classifier maps each latent to the factor with most votes (majority vote); accuracy is
 *   the fraction of votes it gets right, on 10,000 training and 5,000 evaluation groups.
 * With no active latent the score is 0 (as in the reference).
 *
 * Pure core on arrays: groups are passed in already sampled (adapter.ts samples them).
 */
import { type Codes, type MetricScore, checkCodes } from "./types";

/** Groups of codes sharing a fixed factor: codes [numGroups * groupSize, numLatents], group g = rows g*groupSize.. */
export interface FactorVaeGroups {
  readonly codes: Codes;
  readonly groupSize: number;
  /** Index of the fixed factor of each group: [numGroups]. */
  readonly fixedFactor: Int32Array;
}

/** The same groups reduced to their per-latent variances: [numGroups, numLatents] (ddof 1). */
export interface FactorVaeVariances {
  readonly variances: Float64Array;
  readonly numLatents: number;
  readonly fixedFactor: Int32Array;
}

export interface FactorVaeConfig {
  /** Number of factors that can be fixed. Default: max fixed factor + 1. */
  readonly numFactors: number | null;
  /** Latents with global std below this are pruned. Default 0.05 (reference gin config). */
  readonly pruneThreshold: number;
  /** Codes per group, recorded with the score. Default 64. */
  readonly batchSize: number;
  readonly seed: number | null;
}

export const FACTORVAE_DEFAULTS: FactorVaeConfig = { numFactors: null, pruneThreshold: 0.05, batchSize: 64, seed: null };

export interface FactorVaeDetails {
  readonly trainAccuracy: number;
  readonly evalAccuracy: number;
  readonly numActiveDims: number;
  readonly activeDims: number[];
  readonly globalVariance: number[];
  /** Factor each latent votes for (-1 for pruned latents). */
  readonly classifier: number[];
  /** Training votes [numFactors][numLatents]. */
  readonly trainVotes: number[][];
  readonly numGlobalSamples: number;
  readonly batchSize: number;
  readonly pruneThreshold: number;
}

/** Per-latent variance (ddof 1) of each column of codes [n, numLatents]. */
export function latentVariances(data: ArrayLike<number>, n: number, numLatents: number, offsetRow = 0, out?: Float64Array, outOffset = 0): Float64Array {
  const res = out ?? new Float64Array(numLatents);
  for (let j = 0; j < numLatents; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[(offsetRow + i) * numLatents + j];
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const dlt = data[(offsetRow + i) * numLatents + j] - mean;
      ss += dlt * dlt;
    }
    res[outOffset + j] = n > 1 ? ss / (n - 1) : 0;
  }
  return res;
}

/** Reduces grouped codes to per-group variances. */
export function groupVariances(groups: FactorVaeGroups): FactorVaeVariances {
  const { codes, groupSize, fixedFactor } = groups;
  checkCodes(codes, "groups.codes");
  const numGroups = fixedFactor.length;
  if (codes.n !== numGroups * groupSize) {
    throw new Error(`groups.codes.n is ${codes.n}, expected fixedFactor.length * groupSize = ${numGroups * groupSize}`);
  }
  const variances = new Float64Array(numGroups * codes.numLatents);
  for (let g = 0; g < numGroups; g++) latentVariances(codes.data, groupSize, codes.numLatents, g * groupSize, variances, g * codes.numLatents);
  return { variances, numLatents: codes.numLatents, fixedFactor };
}

function votes(v: FactorVaeVariances, globalVar: Float64Array, active: number[], numFactors: number): number[][] {
  const out = Array.from({ length: numFactors }, () => new Array<number>(v.numLatents).fill(0));
  for (let g = 0; g < v.fixedFactor.length; g++) {
    let best = -1;
    let bestVal = Infinity;
    for (const j of active) {
      const r = v.variances[g * v.numLatents + j] / globalVar[j];
      if (r < bestVal) {
        bestVal = r;
        best = j;
      }
    }
    const f = v.fixedFactor[g];
    if (!(f >= 0 && f < numFactors)) throw new Error(`fixedFactor[${g}] = ${f} is not in 0..${numFactors - 1}`);
    out[f][best]++;
  }
  return out;
}

function voteAccuracy(vt: number[][], classifier: number[]): number {
  let right = 0;
  let total = 0;
  for (let f = 0; f < vt.length; f++) for (let j = 0; j < vt[f].length; j++) total += vt[f][j];
  classifier.forEach((f, j) => {
    if (f >= 0) right += vt[f][j];
  });
  return total ? right / total : 0;
}

/** FactorVAE score from global codes and per-group variances (the streaming form used by the adapter). */
export function computeFactorVaeFromVariances(
  globalCodes: Codes, train: FactorVaeVariances, evalSet: FactorVaeVariances, config: Partial<FactorVaeConfig> = {},
): MetricScore<FactorVaeDetails> {
  const cfg = { ...FACTORVAE_DEFAULTS, ...config };
  checkCodes(globalCodes, "globalCodes");
  const d = globalCodes.numLatents;
  if (train.numLatents !== d || evalSet.numLatents !== d) {
    throw new Error(`computeFactorVae: globalCodes have ${d} latents but the groups have ${train.numLatents} / ${evalSet.numLatents}`);
  }
  let maxF = 0;
  for (const f of train.fixedFactor) maxF = Math.max(maxF, f);
  for (const f of evalSet.fixedFactor) maxF = Math.max(maxF, f);
  const numFactors = cfg.numFactors ?? maxF + 1;
  const globalVar = latentVariances(globalCodes.data, globalCodes.n, d);
  const active: number[] = [];
  for (let j = 0; j < d; j++) if (Math.sqrt(globalVar[j]) >= cfg.pruneThreshold) active.push(j);
  const base = {
    numActiveDims: active.length,
    activeDims: active,
    globalVariance: Array.from(globalVar),
    numGlobalSamples: globalCodes.n,
    batchSize: cfg.batchSize,
    pruneThreshold: cfg.pruneThreshold,
  };
  const record = { numTrain: train.fixedFactor.length, numEval: evalSet.fixedFactor.length, seed: cfg.seed };
  if (active.length === 0) {
    return {
      metric: "factorvae", value: 0, ...record,
      details: { ...base, trainAccuracy: 0, evalAccuracy: 0, classifier: new Array<number>(d).fill(-1), trainVotes: [] },
    };
  }
  const trainVotes = votes(train, globalVar, active, numFactors);
  // Majority vote: each latent predicts the factor it was most often the argmin for (first on ties).
  const classifier: number[] = [];
  for (let j = 0; j < d; j++) {
    if (!active.includes(j)) {
      classifier.push(-1);
      continue;
    }
    let best = 0;
    for (let f = 1; f < numFactors; f++) if (trainVotes[f][j] > trainVotes[best][j]) best = f;
    classifier.push(best);
  }
  const evalVotes = votes(evalSet, globalVar, active, numFactors);
  const evalAccuracy = voteAccuracy(evalVotes, classifier);
  return {
    metric: "factorvae",
    value: evalAccuracy,
    details: { ...base, trainAccuracy: voteAccuracy(trainVotes, classifier), evalAccuracy, classifier, trainVotes },
    ...record,
  };
}

/** FactorVAE score from global codes and grouped codes. */
export function computeFactorVae(
  globalCodes: Codes, train: FactorVaeGroups, evalSet: FactorVaeGroups, config: Partial<FactorVaeConfig> = {},
): MetricScore<FactorVaeDetails> {
  return computeFactorVaeFromVariances(globalCodes, groupVariances(train), groupVariances(evalSet), {
    batchSize: train.groupSize,
    ...config,
  });
}
