/**
 * SAP, Separated Attribute Predictability (Kumar et al. 2018), reference-library protocol:
 * a score matrix S [numLatents, numFactors] holds, for each (latent, factor) pair, how well that
 * latent alone predicts the factor; SAP is the mean over factors of the gap between the two
 * largest scores in the factor's column.
 * - "discrete" factors (reference default): S[j][f] = held-out accuracy of a one-feature linear
 *   SVM (linear-svc.ts: LinearSVC, C = 0.01, balanced classes) trained on latent j;
 * - "continuous" factors: S[j][f] = R^2 of a linear fit, cov(z_j, y_f)^2 / (var z_j var y_f)
 *   (0 when var z_j <= 1e-12), on the training codes.
 * 10,000 training / 5,000 evaluation codes.
 *
 * Note: with "discrete" the ground truth cannot reach 1: a latent unrelated to a factor still
 * predicts its most frequent class, so the runner-up accuracy is about 1 / (number of classes).
 */
import { denseLabels } from "./discretize";
import { fitLinearSvc1d, predictLinearSvc1d, type LinearSvcConfig, LINEAR_SVC_DEFAULTS } from "./linear-svc";
import { accuracy } from "./logistic";
import { type Codes, type FactorClasses, type MetricScore, checkCodes, checkFactors, column, factorColumn } from "./types";

export type SapFactorType = "discrete" | "continuous";

export interface SapConfig {
  /** How factors are treated. Default "discrete" (reference). */
  readonly factorType: SapFactorType;
  readonly svc: LinearSvcConfig;
  readonly seed: number | null;
}

export const SAP_DEFAULTS: SapConfig = { factorType: "discrete", svc: LINEAR_SVC_DEFAULTS, seed: null };

export interface SapDetails {
  /** Score matrix S [numLatents][numFactors]. */
  readonly scoreMatrix: number[][];
  readonly gapPerFactor: number[];
  readonly factorType: SapFactorType;
}

function r2(z: Float64Array, y: Int32Array): number {
  const n = z.length;
  let mz = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mz += z[i];
    my += y[i];
  }
  mz /= n;
  my /= n;
  let szz = 0;
  let syy = 0;
  let szy = 0;
  for (let i = 0; i < n; i++) {
    const a = z[i] - mz;
    const b = y[i] - my;
    szz += a * a;
    syy += b * b;
    szy += a * b;
  }
  // numpy.cov with ddof 1: the (n - 1) factors cancel in cov^2 / (var var), but not in the 1e-12 test.
  const varZ = szz / (n - 1);
  if (!(varZ > 1e-12) || !(syy > 0)) return 0;
  return (szy * szy) / (szz * syy);
}

/** SAP of training codes/factors and held-out codes/factors (the held-out set is unused for "continuous"). */
export function computeSap(
  trainCodes: Codes, trainFactors: FactorClasses, evalCodes: Codes, evalFactors: FactorClasses, config: Partial<SapConfig> = {},
): MetricScore<SapDetails> {
  const cfg = { ...SAP_DEFAULTS, ...config };
  checkCodes(trainCodes, "trainCodes");
  checkCodes(evalCodes, "evalCodes");
  checkFactors(trainFactors, trainCodes.n, "trainFactors");
  checkFactors(evalFactors, evalCodes.n, "evalFactors");
  if (trainCodes.numLatents !== evalCodes.numLatents) throw new Error("computeSap: train and eval codes have different numLatents");
  const d = trainCodes.numLatents;
  const k = trainFactors.numFactors;
  const s = Array.from({ length: d }, () => new Array<number>(k).fill(0));
  for (let f = 0; f < k; f++) {
    const yTrainRaw = factorColumn(trainFactors, f);
    const yEvalRaw = factorColumn(evalFactors, f);
    const { labels: yTrain, classes } = denseLabels(yTrainRaw);
    const index = new Map<number, number>();
    classes.forEach((c, i) => index.set(c, i));
    const yEval = Int32Array.from(yEvalRaw, (v) => index.get(v) ?? -1);
    for (let j = 0; j < d; j++) {
      const z = column(trainCodes.data, trainCodes.n, d, j);
      switch (cfg.factorType) {
        case "continuous":
          s[j][f] = r2(z, yTrainRaw);
          break;
        case "discrete": {
          const model = fitLinearSvc1d(z, yTrain, classes.length, cfg.svc);
          const pred = predictLinearSvc1d(model, column(evalCodes.data, evalCodes.n, d, j));
          s[j][f] = accuracy(pred, yEval);
          break;
        }
      }
    }
  }
  const gaps: number[] = [];
  for (let f = 0; f < k; f++) {
    const sorted = s.map((row) => row[f]).sort((a, b) => b - a);
    gaps.push(sorted[0] - (sorted.length > 1 ? sorted[1] : 0));
  }
  return {
    metric: "sap",
    value: gaps.reduce((a, b) => a + b, 0) / gaps.length,
    details: { scoreMatrix: s, gapPerFactor: gaps, factorType: cfg.factorType },
    numTrain: trainCodes.n,
    numEval: cfg.factorType === "discrete" ? evalCodes.n : 0,
    seed: cfg.seed,
  };
}
