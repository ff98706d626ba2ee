/**
 * DCI (Eastwood & Williams 2018), reference-library protocol: for each factor a gradient-boosted
 * tree classifier (gbt.ts; sklearn GradientBoostingClassifier defaults) predicts the factor from all
 * latents; its feature importances form column f of the importance matrix R [numLatents, numFactors].
 * - disentanglement: per latent 1 - H_K(R[j, :] / sum) (entropy base K = numFactors), averaged with
 *   weights sum_f R[j, f] / sum R;
 * - completeness: per factor 1 - H_D(R[:, f] / sum) (base D = numLatents), weighted by the factor's
 *   share of R;
 * - informativeness: the classifiers' mean accuracy on the held-out codes (and on the training ones).
 * The headline value is disentanglement (as the reference reports "dci" scores, the three are in
 * details). 10,000 training / 5,000 evaluation codes.
 */
import { denseLabels } from "./discretize";
import { fitGbt, predictGbt, type GbtConfig, GBT_DEFAULTS } from "./gbt";
import { accuracy } from "./logistic";
import { type Codes, type FactorClasses, type MetricScore, checkCodes, checkFactors, factorColumn } from "./types";

export interface DciConfig {
  /** The boosted trees (gbt.seed orders features to break ties; the adapter sets it to the sampling seed). */
  readonly gbt: GbtConfig;
  readonly seed: number | null;
}

export const DCI_DEFAULTS: DciConfig = { gbt: GBT_DEFAULTS, seed: null };

export interface DciDetails {
  readonly disentanglement: number;
  readonly completeness: number;
  /** Mean held-out accuracy of the per-factor classifiers. */
  readonly informativenessTest: number;
  readonly informativenessTrain: number;
  /** Importance matrix R [numLatents][numFactors]. */
  readonly importance: number[][];
  readonly disentanglementPerLatent: number[];
  readonly completenessPerFactor: number[];
  readonly importanceModel: "gradient-boosted-trees";
}

/** 1 - entropy (base `base`) of p (+1e-11 each, then normalised), as scipy.stats.entropy does it. */
function oneMinusEntropy(p: number[], base: number): number {
  const q = p.map((v) => v + 1e-11);
  const s = q.reduce((a, b) => a + b, 0);
  let h = 0;
  for (const v of q) {
    const x = v / s;
    if (x > 0) h -= x * Math.log(x);
  }
  return 1 - h / Math.log(base);
}

/** Disentanglement and completeness of an importance matrix R [numLatents][numFactors]. */
export function dciFromImportance(r: number[][]): {
  disentanglement: number; completeness: number; perLatent: number[]; perFactor: number[];
} {
  const d = r.length;
  const k = r[0]?.length ?? 0;
  if (d === 0 || k === 0) throw new Error("dciFromImportance: the importance matrix is empty");
  const perLatent = r.map((row) => (k > 1 ? oneMinusEntropy(row, k) : 1));
  const perFactor: number[] = [];
  for (let f = 0; f < k; f++) perFactor.push(d > 1 ? oneMinusEntropy(r.map((row) => row[f]), d) : 1);
  let total = 0;
  for (const row of r) for (const v of row) total += v;
  // As the reference: an all-zero matrix weighs every latent/factor equally.
  const w = total === 0 ? r.map((row) => row.map(() => 1)) : r;
  const wTotal = total === 0 ? d * k : total;
  let dis = 0;
  for (let j = 0; j < d; j++) dis += perLatent[j] * (w[j].reduce((a, b) => a + b, 0) / wTotal);
  let comp = 0;
  for (let f = 0; f < k; f++) comp += perFactor[f] * (w.reduce((a, row) => a + row[f], 0) / wTotal);
  return { disentanglement: dis, completeness: comp, perLatent, perFactor };
}

/** DCI of training codes/factors (to fit) and held-out codes/factors (to score informativeness). */
export function computeDci(
  trainCodes: Codes, trainFactors: FactorClasses, evalCodes: Codes, evalFactors: FactorClasses, config: Partial<DciConfig> = {},
): MetricScore<DciDetails> {
  const cfg = { ...DCI_DEFAULTS, ...config };
  checkCodes(trainCodes, "trainCodes");
  checkCodes(evalCodes, "evalCodes");
  checkFactors(trainFactors, trainCodes.n, "trainFactors");
  checkFactors(evalFactors, evalCodes.n, "evalFactors");
  if (trainCodes.numLatents !== evalCodes.numLatents) throw new Error("computeDci: train and eval codes have different numLatents");
  if (trainFactors.numFactors !== evalFactors.numFactors) throw new Error("computeDci: train and eval factors have different numFactors");
  const d = trainCodes.numLatents;
  const k = trainFactors.numFactors;
  const importance = Array.from({ length: d }, () => new Array<number>(k).fill(0));
  const accTrain: number[] = [];
  const accTest: number[] = [];
  for (let f = 0; f < k; f++) {
    const yTrainRaw = factorColumn(trainFactors, f);
    const { labels: yTrain, classes } = denseLabels(yTrainRaw);
    const { model, trainPredictions } = fitGbt(trainCodes.data, yTrain, trainCodes.n, d, classes.length, cfg.gbt);
    for (let j = 0; j < d; j++) importance[j][f] = Math.abs(model.featureImportances[j]);
    accTrain.push(accuracy(trainPredictions, yTrain));
    // Held-out classes never seen in training count as errors.
    const index = new Map<number, number>();
    classes.forEach((c, i) => index.set(c, i));
    const yTestRaw = factorColumn(evalFactors, f);
    const yTest = Int32Array.from(yTestRaw, (v) => index.get(v) ?? -1);
    accTest.push(accuracy(predictGbt(model, evalCodes.data, evalCodes.n), yTest));
  }
  const { disentanglement, completeness, perLatent, perFactor } = dciFromImportance(importance);
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  return {
    metric: "dci",
    value: disentanglement,
    details: {
      disentanglement,
      completeness,
      informativenessTest: mean(accTest),
      informativenessTrain: mean(accTrain),
      importance,
      disentanglementPerLatent: perLatent,
      completenessPerFactor: perFactor,
      importanceModel: "gradient-boosted-trees",
    },
    numTrain: trainCodes.n,
    numEval: evalCodes.n,
    seed: cfg.seed,
  };
}
