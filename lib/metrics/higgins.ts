/**
 * The beta-VAE disentanglement metric (Higgins et al. 2017), reference-library protocol:
 * one training point = a batch of L = 64 pairs (x1, x2) that share one fixed factor (chosen
 * uniformly), its feature = mean over the batch of |z(x1) - z(x2)|, its label = the fixed factor.
 * A linear classifier (multinomial logistic regression, sklearn defaults; see logistic.ts) is
 * trained on 10,000 such points and the score is its accuracy on 5,000 fresh ones.
 *
 * This file is the pure core: it takes the points already built (adapter.ts samples them from a
 * GroundTruthDataset through an encoder). `higginsFeature` builds one point from two code batches.
 */
import { accuracy, fitLogistic, predictLogistic, type LogisticConfig, LOGISTIC_DEFAULTS } from "./logistic";
import type { MetricScore } from "./types";

/** Classifier inputs: features [numPoints, dim] and the index of the fixed factor of each point. */
export interface HigginsPoints {
  readonly features: Float32Array | Float64Array;
  readonly labels: Int32Array;
  readonly numPoints: number;
  readonly dim: number;
}

export interface HigginsConfig {
  /** Number of classes (factors that can be fixed). Default: max label + 1. */
  readonly numFactors: number | null;
  /** Pairs per point, recorded with the score. Default 64. */
  readonly batchSize: number;
  /** Seed that sampled the points (recorded). */
  readonly seed: number | null;
  readonly logistic: LogisticConfig;
}

export const HIGGINS_DEFAULTS: HigginsConfig = { numFactors: null, batchSize: 64, seed: null, logistic: LOGISTIC_DEFAULTS };

export interface HigginsDetails {
  readonly trainAccuracy: number;
  readonly evalAccuracy: number;
  readonly numFactors: number;
  readonly batchSize: number;
  readonly classifier: "multinomial-logistic-l2";
  readonly classifierIterations: number;
  readonly classifierConverged: boolean;
  /** Eval accuracy per fixed factor (NaN if that factor never appears in the eval points). */
  readonly accuracyPerFactor: number[];
}

/** Writes mean_b |z1[b] - z2[b]| (over a batch of [batchSize, numLatents] codes) into out[offset..]. */
export function higginsFeature(
  z1: ArrayLike<number>, z2: ArrayLike<number>, batchSize: number, numLatents: number, out: Float32Array | Float64Array, offset: number,
): void {
  if (z1.length !== batchSize * numLatents || z2.length !== batchSize * numLatents) {
    throw new Error(`higginsFeature: expected two batches of ${batchSize} x ${numLatents} codes, got lengths ${z1.length} and ${z2.length}`);
  }
  for (let j = 0; j < numLatents; j++) {
    let s = 0;
    for (let b = 0; b < batchSize; b++) s += Math.abs(z1[b * numLatents + j] - z2[b * numLatents + j]);
    out[offset + j] = s / batchSize;
  }
}

function checkPoints(p: HigginsPoints, what: string): void {
  if (p.features.length !== p.numPoints * p.dim) {
    throw new Error(`${what}.features has length ${p.features.length}, expected numPoints * dim = ${p.numPoints * p.dim}`);
  }
  if (p.labels.length !== p.numPoints) throw new Error(`${what}.labels has length ${p.labels.length}, expected ${p.numPoints}`);
}

/** Trains the linear classifier on `train` and scores it on `evalPoints`. */
export function computeHiggins(
  train: HigginsPoints, evalPoints: HigginsPoints, config: Partial<HigginsConfig> = {},
): MetricScore<HigginsDetails> {
  const cfg = { ...HIGGINS_DEFAULTS, ...config };
  checkPoints(train, "train");
  checkPoints(evalPoints, "eval");
  if (train.dim !== evalPoints.dim) throw new Error(`computeHiggins: train.dim ${train.dim} != eval.dim ${evalPoints.dim}`);
  let maxLabel = 0;
  for (const l of train.labels) maxLabel = Math.max(maxLabel, l);
  for (const l of evalPoints.labels) maxLabel = Math.max(maxLabel, l);
  const numFactors = cfg.numFactors ?? maxLabel + 1;
  const model = fitLogistic(train.features, train.labels, train.numPoints, train.dim, numFactors, cfg.logistic);
  const trainPred = predictLogistic(model, train.features, train.numPoints);
  const evalPred = predictLogistic(model, evalPoints.features, evalPoints.numPoints);
  const perFactor: number[] = [];
  for (let f = 0; f < numFactors; f++) {
    let hit = 0;
    let count = 0;
    for (let i = 0; i < evalPoints.numPoints; i++) {
      if (evalPoints.labels[i] !== f) continue;
      count++;
      if (evalPred[i] === f) hit++;
    }
    perFactor.push(count ? hit / count : NaN);
  }
  const evalAccuracy = accuracy(evalPred, evalPoints.labels);
  return {
    metric: "higgins",
    value: evalAccuracy,
    details: {
      trainAccuracy: accuracy(trainPred, train.labels),
      evalAccuracy,
      numFactors,
      batchSize: cfg.batchSize,
      classifier: "multinomial-logistic-l2",
      classifierIterations: model.iterations,
      classifierConverged: model.converged,
      accuracyPerFactor: perFactor,
    },
    numTrain: train.numPoints,
    numEval: evalPoints.numPoints,
    seed: cfg.seed,
  };
}
