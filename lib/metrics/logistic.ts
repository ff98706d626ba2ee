/**
 * Multinomial logistic regression with an L2 penalty, fitted by L-BFGS: the model of
 * sklearn.linear_model.LogisticRegression() at its defaults (C = 1, lbfgs, multinomial, intercept
 * not penalised, 100 iterations, no feature scaling), which the reference Higgins metric uses.
 *
 * Why not ml-logistic-regression: it trains one-vs-rest classifiers without an intercept by plain
 * gradient ascent on the summed gradient with a fixed step (default 50,000 steps through ml-matrix
 * objects); on 10,000 Higgins points it is orders of magnitude slower and not the reference model
 * (measured in docs/metrics.md).
 *
 * Objective (divided by n so the tolerance does not depend on n):
 *   f(W, b) = (1/n) sum_i -log softmax(x_i W + b)[y_i] + (1 / (2 C n)) ||W||^2
 */

export interface LogisticConfig {
  /** Inverse regularisation strength (sklearn C). Default 1. */
  readonly c: number;
  /** L-BFGS iterations. Default 100 (sklearn max_iter). */
  readonly maxIter: number;
  /** Stop when max |gradient| of the (1/n-scaled) objective falls below this. Default 1e-4 (sklearn tol). */
  readonly tol: number;
  /** L-BFGS memory. Default 10. */
  readonly memory: number;
}

export const LOGISTIC_DEFAULTS: LogisticConfig = { c: 1, maxIter: 100, tol: 1e-4, memory: 10 };

export interface LogisticModel {
  /** Weights [d, k] then biases [k], one flat array of length (d + 1) * k. */
  readonly params: Float64Array;
  readonly numFeatures: number;
  readonly numClasses: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Final value of the scaled objective. */
  readonly loss: number;
}

/** Loss and gradient of the scaled objective at params (writes grad). x is [n, d] row-major. */
function lossAndGrad(
  params: Float64Array, grad: Float64Array, x: ArrayLike<number>, y: Int32Array, n: number, d: number, k: number, c: number,
): number {
  grad.fill(0);
  const logits = new Float64Array(k);
  let loss = 0;
  const bOff = d * k;
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let c2 = 0; c2 < k; c2++) logits[c2] = params[bOff + c2];
    for (let j = 0; j < d; j++) {
      const v = x[row + j];
      if (v === 0) continue;
      const wOff = j * k;
      for (let c2 = 0; c2 < k; c2++) logits[c2] += v * params[wOff + c2];
    }
    let max = -Infinity;
    for (let c2 = 0; c2 < k; c2++) if (logits[c2] > max) max = logits[c2];
    let sum = 0;
    for (let c2 = 0; c2 < k; c2++) {
      logits[c2] = Math.exp(logits[c2] - max);
      sum += logits[c2];
    }
    loss += Math.log(sum) + max - (Math.log(logits[y[i]]) + max);
    // logits now holds exp; turn into p - onehot (the gradient wrt the logits).
    for (let c2 = 0; c2 < k; c2++) logits[c2] /= sum;
    logits[y[i]] -= 1;
    for (let j = 0; j < d; j++) {
      const v = x[row + j];
      if (v === 0) continue;
      const wOff = j * k;
      for (let c2 = 0; c2 < k; c2++) grad[wOff + c2] += v * logits[c2];
    }
    for (let c2 = 0; c2 < k; c2++) grad[bOff + c2] += logits[c2];
  }
  let reg = 0;
  const lam = 1 / c;
  for (let i = 0; i < bOff; i++) {
    reg += params[i] * params[i];
    grad[i] += lam * params[i];
  }
  for (let i = 0; i < grad.length; i++) grad[i] /= n;
  return (loss + 0.5 * lam * reg) / n;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/**
 * Fits the model on x [n, d] (row-major) with labels y in 0..numClasses-1.
 * Deterministic: starts from zero weights.
 */
export function fitLogistic(
  x: ArrayLike<number>, y: Int32Array, n: number, d: number, numClasses: number, config: Partial<LogisticConfig> = {},
): LogisticModel {
  const cfg = { ...LOGISTIC_DEFAULTS, ...config };
  if (x.length !== n * d) throw new Error(`fitLogistic: x has length ${x.length}, expected n * d = ${n * d}`);
  if (y.length !== n) throw new Error(`fitLogistic: y has length ${y.length}, expected n = ${n}`);
  for (let i = 0; i < n; i++) {
    if (!(y[i] >= 0 && y[i] < numClasses)) throw new Error(`fitLogistic: y[${i}] = ${y[i]} is not in 0..${numClasses - 1}`);
  }
  const k = numClasses;
  const size = (d + 1) * k;
  let w = new Float64Array(size);
  let g = new Float64Array(size);
  let f = lossAndGrad(w, g, x, y, n, d, k, cfg.c);
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rhoList: number[] = [];
  let iter = 0;
  let converged = maxAbs(g) < cfg.tol;
  const dir = new Float64Array(size);
  const alpha = new Float64Array(cfg.memory);
  while (!converged && iter < cfg.maxIter) {
    // Two-loop recursion: dir = -H g.
    for (let i = 0; i < size; i++) dir[i] = -g[i];
    for (let m = sList.length - 1; m >= 0; m--) {
      alpha[m] = rhoList[m] * dot(sList[m], dir);
      const ym = yList[m];
      for (let i = 0; i < size; i++) dir[i] -= alpha[m] * ym[i];
    }
    if (sList.length > 0) {
      const last = sList.length - 1;
      const gamma = dot(sList[last], yList[last]) / dot(yList[last], yList[last]);
      for (let i = 0; i < size; i++) dir[i] *= gamma;
    } else {
      const scale = 1 / Math.max(1e-12, Math.sqrt(dot(g, g)));
      for (let i = 0; i < size; i++) dir[i] *= scale;
    }
    for (let m = 0; m < sList.length; m++) {
      const beta = rhoList[m] * dot(yList[m], dir);
      const sm = sList[m];
      for (let i = 0; i < size; i++) dir[i] += sm[i] * (alpha[m] - beta);
    }
    let slope = dot(g, dir);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      sList.length = yList.length = rhoList.length = 0;
      for (let i = 0; i < size; i++) dir[i] = -g[i];
      slope = dot(g, dir);
    }
    // Backtracking line search with the Armijo condition.
    let step = 1;
    const wNew = new Float64Array(size);
    const gNew = new Float64Array(size);
    let fNew = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < size; i++) wNew[i] = w[i] + step * dir[i];
      fNew = lossAndGrad(wNew, gNew, x, y, n, d, k, cfg.c);
      if (fNew <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    iter++;
    if (!(fNew < f) && !(fNew <= f)) break; // line search failed
    const s = new Float64Array(size);
    const yy = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      s[i] = wNew[i] - w[i];
      yy[i] = gNew[i] - g[i];
    }
    const sy = dot(s, yy);
    if (sy > 1e-12) {
      sList.push(s);
      yList.push(yy);
      rhoList.push(1 / sy);
      if (sList.length > cfg.memory) {
        sList.shift();
        yList.shift();
        rhoList.shift();
      }
    }
    const decrease = f - fNew;
    w = wNew;
    g = gNew;
    f = fNew;
    // Converged as scipy's L-BFGS-B judges it: small gradient or a negligible relative decrease.
    if (maxAbs(g) < cfg.tol || decrease <= 1e-10 * Math.max(1, Math.abs(f))) converged = true;
  }
  return { params: w, numFeatures: d, numClasses: k, iterations: iter, converged, loss: f };
}

/** Predicted classes for x [n, d]. */
export function predictLogistic(model: LogisticModel, x: ArrayLike<number>, n: number): Int32Array {
  const { numFeatures: d, numClasses: k, params } = model;
  if (x.length !== n * d) throw new Error(`predictLogistic: x has length ${x.length}, expected n * d = ${n * d}`);
  const out = new Int32Array(n);
  const logits = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) logits[c] = params[d * k + c];
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j];
      if (v === 0) continue;
      for (let c = 0; c < k; c++) logits[c] += v * params[j * k + c];
    }
    let best = 0;
    for (let c = 1; c < k; c++) if (logits[c] > logits[best]) best = c;
    out[i] = best;
  }
  return out;
}

/** Fraction of equal entries. */
export function accuracy(pred: Int32Array, truth: Int32Array): number {
  if (pred.length !== truth.length) throw new Error(`accuracy: lengths differ (${pred.length} vs ${truth.length})`);
  let hit = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === truth[i]) hit++;
  return pred.length ? hit / pred.length : 0;
}
