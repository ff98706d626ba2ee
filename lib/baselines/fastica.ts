/**
 * FastICA (Hyvarinen & Oja 2000) for the ICA row of the Higgins table, with sklearn's FastICA
 * defaults: whitening by PCA to numComponents unit-variance directions, the symmetric ("parallel")
 * fixed-point update with the logcosh contrast (g = tanh), tolerance 1e-4, at most 200 iterations,
 * a random Gaussian start. No maintained JavaScript FastICA exists on npm, hence this file; the
 * small k x k eigendecompositions use ml-matrix.
 *
 * Codes: s = W whiten(pca(x)), [n, numComponents], unit variance.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { makeRng } from "../rng";
import type { Encoder } from "../metrics/encoder";
import type { ImageBatch } from "../data/dataset";
import { fitPca, pcaTransform, type PcaModel, type PcaConfig, PCA_DEFAULTS } from "./pca";

export interface FastIcaConfig {
  /** Independent components (= PCA components kept for whitening). Default 10. */
  readonly numComponents: number;
  /** Fixed-point iterations. Default 200. */
  readonly maxIter: number;
  /** Stop when max |1 - |diag(W_new W^T)|| falls below this. Default 1e-4. */
  readonly tol: number;
  readonly seed: number;
  readonly pca: Omit<PcaConfig, "numComponents" | "seed">;
}

export const FASTICA_DEFAULTS: FastIcaConfig = { numComponents: 10, maxIter: 200, tol: 1e-4, seed: 0, pca: PCA_DEFAULTS };

export interface FastIcaModel {
  readonly pca: PcaModel;
  /** Unmixing matrix W [k, k] (row-major) acting on whitened PCA codes. */
  readonly unmixing: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

/** (W W^T)^(-1/2) W for W [k, k]. */
function symmetricDecorrelation(w: Float64Array, k: number): Float64Array {
  const m = new Matrix(k, k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += w[a * k + c] * w[b * k + c];
      m.set(a, b, s);
    }
  }
  const evd = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const e = evd.eigenvectorMatrix;
  const d = evd.realEigenvalues.map((v) => 1 / Math.sqrt(Math.max(v, 1e-300)));
  // S = E diag(d) E^T, result = S W.
  const s = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let v = 0;
      for (let c = 0; c < k; c++) v += e.get(a, c) * d[c] * e.get(b, c);
      s[a * k + b] = v;
    }
  }
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) for (let c = 0; c < k; c++) out[a * k + b] += s[a * k + c] * w[c * k + b];
  return out;
}

/** Whitened PCA codes [n, k]: projections divided by their standard deviation. */
function whiten(pca: PcaModel, x: Float32Array, n: number): Float64Array {
  const z = pcaTransform(pca, x, n);
  const k = pca.numComponents;
  for (let i = 0; i < n; i++) for (let r = 0; r < k; r++) z[i * k + r] /= Math.sqrt(Math.max(pca.explainedVariance[r], 1e-300));
  return z;
}

/** FastICA on already whitened data z [n, k]. */
export function fastIcaWhitened(z: Float64Array, n: number, k: number, config: Partial<FastIcaConfig> = {}): { unmixing: Float64Array; iterations: number; converged: boolean } {
  const cfg = { ...FASTICA_DEFAULTS, ...config };
  const rng = makeRng(cfg.seed);
  let w = new Float64Array(k * k);
  for (let i = 0; i < w.length; i++) w[i] = rng.normal();
  w = symmetricDecorrelation(w, k);
  let iterations = 0;
  let converged = false;
  const wx = new Float64Array(k);
  while (iterations < cfg.maxIter) {
    iterations++;
    // W1 = E[g(W z) z^T] - diag(E[g'(W z)]) W
    const gz = new Float64Array(k * k);
    const gPrime = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < k; a++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += w[a * k + c] * z[i * k + c];
        wx[a] = s;
      }
      for (let a = 0; a < k; a++) {
        const t = Math.tanh(wx[a]);
        gPrime[a] += 1 - t * t;
        for (let c = 0; c < k; c++) gz[a * k + c] += t * z[i * k + c];
      }
    }
    const w1 = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) w1[a * k + c] = gz[a * k + c] / n - (gPrime[a] / n) * w[a * k + c];
    const wNew = symmetricDecorrelation(w1, k);
    let lim = 0;
    for (let a = 0; a < k; a++) {
      let d = 0;
      for (let c = 0; c < k; c++) d += wNew[a * k + c] * w[a * k + c];
      lim = Math.max(lim, Math.abs(Math.abs(d) - 1));
    }
    w = wNew;
    if (lim < cfg.tol) {
      converged = true;
      break;
    }
  }
  return { unmixing: w, iterations, converged };
}

/** Fits PCA whitening and FastICA on x [n, dim] (row-major pixels). */
export function fitFastIca(x: Float32Array, n: number, dim: number, config: Partial<FastIcaConfig> = {}): FastIcaModel {
  const cfg = { ...FASTICA_DEFAULTS, ...config };
  const pca = fitPca(x, n, dim, { ...cfg.pca, numComponents: cfg.numComponents, seed: cfg.seed });
  const z = whiten(pca, x, n);
  const ica = fastIcaWhitened(z, n, cfg.numComponents, cfg);
  return { pca, ...ica };
}

/** Sources [n, k] of x [n, dim]. */
export function fastIcaTransform(model: FastIcaModel, x: Float32Array, n: number): Float64Array {
  const z = whiten(model.pca, x, n);
  const k = model.pca.numComponents;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += model.unmixing[a * k + c] * z[i * k + c];
      out[i * k + a] = s;
    }
  }
  return out;
}

/** The ICA sources as a metric encoder. */
export function fastIcaEncoder(model: FastIcaModel): Encoder {
  return (images: ImageBatch) => Float32Array.from(fastIcaTransform(model, images.data, images.n));
}
