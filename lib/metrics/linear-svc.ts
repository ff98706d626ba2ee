/**
 * A one-feature linear SVM classifier: the model the reference SAP score fits on each
 * (latent, factor) pair, sklearn.svm.LinearSVC(C=0.01, class_weight="balanced") on a single
 * column. That is liblinear's L2-regularised squared-hinge SVM, one-vs-rest for more than two
 * classes, the intercept regularised like a weight (a constant feature 1), positives weighted by
 * C * classWeight[k] and negatives by C (as liblinear does one-vs-rest).
 *
 * liblinear solves the dual by coordinate descent; with one feature the primal has two unknowns
 * (w, b), so here it is solved exactly by Newton's method on the primal (the problem is strictly
 * convex, so both reach the same minimiser).
 */

export interface LinearSvcConfig {
  /** Regularisation (sklearn C). Default 0.01 (reference SAP). */
  readonly c: number;
  /** "balanced": class k weighs n / (numClasses * n_k); "none": 1. Default "balanced". */
  readonly classWeight: "balanced" | "none";
  /** Newton iterations. Default 50. */
  readonly maxIter: number;
}

export const LINEAR_SVC_DEFAULTS: LinearSvcConfig = { c: 0.01, classWeight: "balanced", maxIter: 50 };

export interface LinearSvc1d {
  readonly numClasses: number;
  /** One (w, b) per class (one-vs-rest), or a single pair for two classes (positive = class 1). */
  readonly w: Float64Array;
  readonly b: Float64Array;
}

/** Primal objective 0.5 (w^2 + b^2) + sum_i C_i max(0, 1 - y_i (w x_i + b))^2. */
function objective(w: number, b: number, x: Float64Array, y: Int8Array, ci: Float64Array): number {
  let f = 0.5 * (w * w + b * b);
  for (let i = 0; i < x.length; i++) {
    const m = 1 - y[i] * (w * x[i] + b);
    if (m > 0) f += ci[i] * m * m;
  }
  return f;
}

/** Fits one binary problem (y in {-1, +1}) by damped Newton steps. */
function fitBinary(x: Float64Array, y: Int8Array, ci: Float64Array, maxIter: number): [number, number] {
  let w = 0;
  let b = 0;
  let f = objective(w, b, x, y, ci);
  for (let it = 0; it < maxIter; it++) {
    let gw = w;
    let gb = b;
    let hww = 1;
    let hwb = 0;
    let hbb = 1;
    for (let i = 0; i < x.length; i++) {
      const m = 1 - y[i] * (w * x[i] + b);
      if (m <= 0) continue;
      const a = 2 * ci[i];
      gw -= a * m * y[i] * x[i];
      gb -= a * m * y[i];
      hww += a * x[i] * x[i];
      hwb += a * x[i];
      hbb += a;
    }
    if (Math.abs(gw) + Math.abs(gb) < 1e-10 * (1 + Math.abs(f))) break;
    const det = hww * hbb - hwb * hwb;
    const dw = -(hbb * gw - hwb * gb) / det;
    const db = -(-hwb * gw + hww * gb) / det;
    let step = 1;
    let fNew = objective(w + dw, b + db, x, y, ci);
    const slope = gw * dw + gb * db;
    while (fNew > f + 1e-4 * step * slope && step > 1e-10) {
      step *= 0.5;
      fNew = objective(w + step * dw, b + step * db, x, y, ci);
    }
    w += step * dw;
    b += step * db;
    const done = f - fNew <= 1e-14 * Math.max(1, Math.abs(f));
    f = fNew;
    if (done) break;
  }
  return [w, b];
}

/** Fits on one feature x [n] with labels 0..numClasses-1. */
export function fitLinearSvc1d(x: Float64Array, labels: Int32Array, numClasses: number, config: Partial<LinearSvcConfig> = {}): LinearSvc1d {
  const cfg = { ...LINEAR_SVC_DEFAULTS, ...config };
  const n = x.length;
  if (labels.length !== n) throw new Error(`fitLinearSvc1d: ${labels.length} labels for ${n} values`);
  const counts = new Float64Array(numClasses);
  for (let i = 0; i < n; i++) counts[labels[i]]++;
  const weight = (k: number): number => {
    switch (cfg.classWeight) {
      case "balanced":
        return counts[k] > 0 ? n / (numClasses * counts[k]) : 1;
      case "none":
        return 1;
    }
  };
  const y = new Int8Array(n);
  const ci = new Float64Array(n);
  if (numClasses <= 2) {
    for (let i = 0; i < n; i++) {
      y[i] = labels[i] === 1 ? 1 : -1;
      ci[i] = cfg.c * weight(labels[i]);
    }
    const [w, b] = numClasses < 2 ? [0, -1] : fitBinary(x, y, ci, cfg.maxIter);
    return { numClasses, w: Float64Array.of(w), b: Float64Array.of(b) };
  }
  const ws = new Float64Array(numClasses);
  const bs = new Float64Array(numClasses);
  for (let k = 0; k < numClasses; k++) {
    const wk = cfg.c * weight(k);
    for (let i = 0; i < n; i++) {
      const pos = labels[i] === k;
      y[i] = pos ? 1 : -1;
      ci[i] = pos ? wk : cfg.c;
    }
    [ws[k], bs[k]] = fitBinary(x, y, ci, cfg.maxIter);
  }
  return { numClasses, w: ws, b: bs };
}

/** Predicted classes (argmax of w_k x + b_k; first class on ties, as numpy.argmax). */
export function predictLinearSvc1d(model: LinearSvc1d, x: Float64Array): Int32Array {
  const out = new Int32Array(x.length);
  if (model.numClasses < 2) return out;
  for (let i = 0; i < x.length; i++) {
    if (model.numClasses === 2) {
      out[i] = model.w[0] * x[i] + model.b[0] > 0 ? 1 : 0;
      continue;
    }
    let best = 0;
    let bestV = -Infinity;
    for (let k = 0; k < model.numClasses; k++) {
      const v = model.w[k] * x[i] + model.b[k];
      if (v > bestV) {
        bestV = v;
        best = k;
      }
    }
    out[i] = best;
  }
  return out;
}
