/**
 * Gradient-boosted decision trees for classification, with impurity-based feature importances:
 * the model DCI's reference implementation uses (sklearn.ensemble.GradientBoostingClassifier at its
 * defaults: 100 stages, learning rate 0.1, depth-3 regression trees on the deviance gradient, one
 * tree per class per stage (one per stage for two classes), Newton leaf values, prior init).
 *
 * One deliberate difference, for speed in JavaScript: split thresholds are searched over at most
 * 255 bins per feature (midpoints between distinct values when a feature has fewer, quantiles
 * otherwise), as histogram GBTs (LightGBM, sklearn's HistGradientBoosting) do, instead of over every
 * distinct value. No JS library of the ml.js family offers gradient boosting with importances
 * (ml-cart/ml-random-forest have no feature importances), hence this file.
 *
 * Importances follow sklearn: per tree, the sum over splits of the decrease in squared error of
 * the residuals (n_node * impurity - n_left * impurity_left - n_right * impurity_right) divided by
 * the root's n; averaged over trees with at least one split; normalised to sum 1 (all zero if no
 * tree ever split).
 */
import { makeRng, type Rng } from "../rng";


export interface GbtConfig {
  /** Boosting stages. Default 100. */
  readonly numStages: number;
  /** Shrinkage. Default 0.1. */
  readonly learningRate: number;
  /** Depth of each regression tree. Default 3. */
  readonly maxDepth: number;
  /** Threshold candidates per feature. Default 255. */
  readonly maxBins: number;
  /** Seed of the random feature order that breaks ties between equally good splits. Default 0. */
  readonly seed: number;
}

export const GBT_DEFAULTS: GbtConfig = { numStages: 100, learningRate: 0.1, maxDepth: 3, maxBins: 255, seed: 0 };

/** One regression tree; node 0 is the root; leaves have feature -1. Goes left when bin <= thresholdBin. */
export interface GbtTree {
  readonly feature: Int32Array;
  readonly thresholdBin: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
}

export interface GbtModel {
  readonly numFeatures: number;
  readonly numClasses: number;
  /** Split candidates per feature: a value goes to bin = number of thresholds below it. */
  readonly thresholds: Float64Array[];
  /** Initial raw score per output (k outputs: numClasses, or 1 for two classes). */
  readonly init: Float64Array;
  /** trees[stage][output]. */
  readonly trees: GbtTree[][];
  readonly learningRate: number;
  /** Normalised importances [numFeatures]. */
  readonly featureImportances: Float64Array;
}

function makeThresholds(values: Float64Array, maxBins: number): Float64Array {
  const sorted = Float64Array.from(values).sort();
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  const t: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 1; i < distinct.length; i++) t.push((distinct[i - 1] + distinct[i]) / 2);
  } else {
    const n = sorted.length;
    for (let b = 1; b < maxBins; b++) {
      const p = Math.round((b * n) / maxBins);
      if (p <= 0 || p >= n || sorted[p - 1] === sorted[p]) continue;
      const mid = (sorted[p - 1] + sorted[p]) / 2;
      if (t.length === 0 || mid > t[t.length - 1]) t.push(mid);
    }
  }
  return Float64Array.from(t);
}

function binOf(x: number, t: Float64Array): number {
  // Number of thresholds strictly below x (binary search).
  let a = 0;
  let b = t.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (t[m] < x) a = m + 1;
    else b = m;
  }
  return a;
}

/** Bins x [n, d] row-major into Uint8 bins [n, d]. */
function binAll(x: ArrayLike<number>, n: number, d: number, thresholds: Float64Array[]): Uint8Array {
  const bins = new Uint8Array(n * d);
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) bins[i * d + f] = binOf(x[i * d + f], thresholds[f]);
  return bins;
}

/** Histogram [feature][bin] of (sum of residuals, count) over idx[start:end], interleaved. */
function fillHistogram(
  hist: Float64Array, bins: Uint8Array, d: number, numBins: number, r: Float64Array, idx: Int32Array, start: number, end: number,
): void {
  hist.fill(0);
  for (let i = start; i < end; i++) {
    const s = idx[i];
    const rs = r[s];
    const row = s * d;
    for (let f = 0; f < d; f++) {
      const h = (f * numBins + bins[row + f]) << 1;
      hist[h] += rs;
      hist[h + 1]++;
    }
  }
}

/** Working memory reused across trees: two histograms per depth and the sample order. */
interface TreeScratch {
  readonly idx: Int32Array;
  readonly hists: Float64Array[][];
}

function makeScratch(n: number, d: number, numBins: number, maxDepth: number): TreeScratch {
  const hists: Float64Array[][] = [];
  for (let t = 0; t <= maxDepth; t++) hists.push([new Float64Array(d * numBins * 2), new Float64Array(d * numBins * 2)]);
  return { idx: new Int32Array(n), hists };
}

/**
 * Grows one depth-limited least-squares tree on residuals r (for output `out` of raw [k][n]);
 * adds the Newton leaf values times the learning rate to raw, and split gains to importance.
 * Histograms: the smaller child is scanned, the larger one is parent minus smaller; nodes at
 * maxDepth are leaves and need none. Ties between equally good splits go to the feature that
 * comes first in a random order (as sklearn's splitter, which shuffles features at each node).
 */
function growTree(
  bins: Uint8Array, n: number, d: number, numBins: number, r: Float64Array, hessFactor: Float64Array, leafScale: number,
  cfg: GbtConfig, raw: Float64Array, out: number, importance: Float64Array, scratch: TreeScratch, rng: Rng,
): { tree: GbtTree; splits: number } {
  const idx = scratch.idx;
  for (let i = 0; i < n; i++) idx[i] = i;
  const feature: number[] = [];
  const thresholdBin: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const order = new Int32Array(d);
  let splits = 0;
  const rawOff = out * n;
  const build = (start: number, end: number, depth: number, hist: Float64Array | null): number => {
    const node = feature.length;
    feature.push(-1);
    thresholdBin.push(0);
    left.push(-1);
    right.push(-1);
    value.push(0);
    const count = end - start;
    let bestGain = 0;
    let bestF = -1;
    let bestB = -1;
    let sum = 0;
    if (hist) {
      for (let b = 0; b < numBins; b++) sum += hist[b << 1];
      const parent = (sum * sum) / count;
      for (let f = 0; f < d; f++) order[f] = f;
      for (let f = d - 1; f > 0; f--) {
        const j = rng.int(f + 1);
        const t = order[f];
        order[f] = order[j];
        order[j] = t;
      }
      for (let o = 0; o < d; o++) {
        const f = order[o];
        let sl = 0;
        let nl = 0;
        const base = f * numBins;
        for (let b = 0; b < numBins - 1; b++) {
          const h = (base + b) << 1;
          sl += hist[h];
          nl += hist[h + 1];
          if (nl === 0) continue;
          const nr = count - nl;
          if (nr === 0) break;
          const sr = sum - sl;
          const gain = (sl * sl) / nl + (sr * sr) / nr - parent;
          if (gain > bestGain * (1 + 1e-12)) {
            bestGain = gain;
            bestF = f;
            bestB = b;
          }
        }
      }
      if (!(bestGain > 1e-12 * Math.max(1, parent))) bestF = -1;
    } else {
      for (let i = start; i < end; i++) sum += r[idx[i]];
    }
    if (bestF < 0) {
      // Leaf: one Newton step on the deviance.
      let den = 0;
      for (let i = start; i < end; i++) den += hessFactor[idx[i]];
      const v = Math.abs(den) < 1e-150 ? 0 : (leafScale * sum) / den;
      value[node] = v;
      const step = cfg.learningRate * v;
      for (let i = start; i < end; i++) raw[rawOff + idx[i]] += step;
      return node;
    }
    splits++;
    importance[bestF] += bestGain / n;
    // Partition idx[start:end] by bin <= bestB.
    let a = start;
    let b = end - 1;
    while (a <= b) {
      if (bins[idx[a] * d + bestF] <= bestB) a++;
      else {
        const t = idx[a];
        idx[a] = idx[b];
        idx[b] = t;
        b--;
      }
    }
    feature[node] = bestF;
    thresholdBin[node] = bestB;
    let hl: Float64Array | null = null;
    let hr: Float64Array | null = null;
    if (depth + 1 < cfg.maxDepth && hist) {
      const [small, large] = scratch.hists[depth + 1];
      const leftSmaller = a - start <= end - a;
      if (leftSmaller) fillHistogram(small, bins, d, numBins, r, idx, start, a);
      else fillHistogram(small, bins, d, numBins, r, idx, a, end);
      for (let i = 0; i < large.length; i++) large[i] = hist[i] - small[i];
      hl = leftSmaller ? small : large;
      hr = leftSmaller ? large : small;
    }
    left[node] = build(start, a, depth + 1, hl);
    right[node] = build(a, end, depth + 1, hr);
    return node;
  };
  let rootHist: Float64Array | null = null;
  if (cfg.maxDepth > 0 && n >= 2) {
    rootHist = scratch.hists[0][0];
    fillHistogram(rootHist, bins, d, numBins, r, idx, 0, n);
  }
  build(0, n, 0, rootHist);
  return {
    tree: {
      feature: Int32Array.from(feature),
      thresholdBin: Int32Array.from(thresholdBin),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      value: Float64Array.from(value),
    },
    splits,
  };
}

/** Fits on x [n, d] row-major, labels 0..numClasses-1. Returns the model and its training predictions. */
export function fitGbt(
  x: ArrayLike<number>, y: Int32Array, n: number, d: number, numClasses: number, config: Partial<GbtConfig> = {},
): { model: GbtModel; trainPredictions: Int32Array } {
  const cfg = { ...GBT_DEFAULTS, ...config };
  if (x.length !== n * d) throw new Error(`fitGbt: x has length ${x.length}, expected n * d = ${n * d}`);
  if (cfg.maxBins > 256 || cfg.maxBins < 2) throw new Error(`fitGbt: maxBins must be in 2..256, got ${cfg.maxBins}`);
  const thresholds: Float64Array[] = [];
  for (let f = 0; f < d; f++) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = x[i * d + f];
    thresholds.push(makeThresholds(col, cfg.maxBins));
  }
  const bins = binAll(x, n, d, thresholds);
  const numBins = cfg.maxBins;
  const counts = new Float64Array(numClasses);
  for (let i = 0; i < n; i++) counts[y[i]]++;
  const k = numClasses === 2 ? 1 : numClasses;
  const init = new Float64Array(k);
  if (numClasses === 2) init[0] = Math.log(Math.max(counts[1], 1e-300) / Math.max(counts[0], 1e-300));
  else for (let c = 0; c < k; c++) init[c] = Math.log(Math.max(counts[c] / n, 1e-300));
  // Raw scores and probabilities are laid out [k][n] (output-major) for sequential access.
  const raw = new Float64Array(n * k);
  for (let c = 0; c < k; c++) raw.fill(init[c], c * n, (c + 1) * n);
  const trees: GbtTree[][] = [];
  const importanceSum = new Float64Array(d);
  let relevantTrees = 0;
  const r = new Float64Array(n);
  const hess = new Float64Array(n);
  const probs = new Float64Array(n * k);
  const maxRaw = new Float64Array(n);
  const z = new Float64Array(n);
  const scratch = makeScratch(n, d, numBins, cfg.maxDepth);
  const rng = makeRng(cfg.seed);
  const stages = numClasses < 2 ? 0 : cfg.numStages;
  for (let s = 0; s < stages; s++) {
    // Probabilities at the current raw scores (fixed for all trees of this stage, as in sklearn).
    if (k === 1) {
      for (let i = 0; i < n; i++) probs[i] = 1 / (1 + Math.exp(-raw[i]));
    } else {
      maxRaw.fill(-Infinity);
      z.fill(0);
      for (let c = 0; c < k; c++) for (let i = 0; i < n; i++) if (raw[c * n + i] > maxRaw[i]) maxRaw[i] = raw[c * n + i];
      for (let c = 0; c < k; c++) {
        for (let i = 0; i < n; i++) {
          const e = Math.exp(raw[c * n + i] - maxRaw[i]);
          probs[c * n + i] = e;
          z[i] += e;
        }
      }
      for (let c = 0; c < k; c++) for (let i = 0; i < n; i++) probs[c * n + i] /= z[i];
    }
    const stage: GbtTree[] = [];
    for (let c = 0; c < k; c++) {
      const target = k === 1 ? 1 : c;
      for (let i = 0; i < n; i++) {
        const rr = (y[i] === target ? 1 : 0) - probs[c * n + i];
        r[i] = rr;
        const ar = Math.abs(rr);
        hess[i] = ar * (1 - ar);
      }
      const imp = new Float64Array(d);
      const leafScale = k === 1 ? 1 : (k - 1) / k;
      const { tree, splits } = growTree(bins, n, d, numBins, r, hess, leafScale, cfg, raw, c, imp, scratch, rng);
      if (splits > 0) {
        relevantTrees++;
        for (let f = 0; f < d; f++) importanceSum[f] += imp[f];
      }
      stage.push(tree);
    }
    trees.push(stage);
  }
  const featureImportances = new Float64Array(d);
  let total = 0;
  for (let f = 0; f < d; f++) total += importanceSum[f];
  if (relevantTrees > 0 && total > 0) for (let f = 0; f < d; f++) featureImportances[f] = importanceSum[f] / total;
  const model: GbtModel = { numFeatures: d, numClasses, thresholds, init, trees, learningRate: cfg.learningRate, featureImportances };
  return { model, trainPredictions: argmaxRaw(raw, n, k, numClasses) };
}

/** Class with the largest raw score; raw is [k][n]. */
function argmaxRaw(raw: Float64Array, n: number, k: number, numClasses: number): Int32Array {
  const out = new Int32Array(n);
  if (numClasses < 2) return out;
  for (let i = 0; i < n; i++) {
    if (k === 1) {
      out[i] = raw[i] > 0 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let c = 1; c < k; c++) if (raw[c * n + i] > raw[best * n + i]) best = c;
    out[i] = best;
  }
  return out;
}

/** Predicted classes for x [n, d]. */
export function predictGbt(model: GbtModel, x: ArrayLike<number>, n: number): Int32Array {
  const d = model.numFeatures;
  if (x.length !== n * d) throw new Error(`predictGbt: x has length ${x.length}, expected n * d = ${n * d}`);
  const bins = binAll(x, n, d, model.thresholds);
  const k = model.init.length;
  const raw = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      let v = model.init[c];
      for (const stage of model.trees) {
        const t = stage[c];
        let node = 0;
        while (t.feature[node] >= 0) node = bins[i * d + t.feature[node]] <= t.thresholdBin[node] ? t.left[node] : t.right[node];
        v += model.learningRate * t.value[node];
      }
      raw[c * n + i] = v;
    }
  }
  return argmaxRaw(raw, n, k, model.numClasses);
}
