/**
 * PCA of images, for the PCA row of the Higgins table: the codes are the projections of the
 * centred pixels on the top principal components (not whitened).
 *
 * Fitted by randomised subspace iteration (Halko, Martinsson & Tropp 2011) with centring on the
 * fly, so the [n, 4096] pixel matrix is never copied or squared: a few passes of X M and X^T Y
 * (skipping zero pixels, which are most of a dSprites image), then an eigendecomposition of a small
 * l x l matrix with ml-matrix. ml-pca would form the 4096 x 4096 covariance or SVD the whole
 * matrix, far slower here.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { makeRng } from "../rng";
import type { Encoder } from "../metrics/encoder";
import type { ImageBatch } from "../data/dataset";

export interface PcaConfig {
  /** Components kept (the latent size of the models compared). Default 10. */
  readonly numComponents: number;
  /** Extra random directions in the subspace. Default 10. */
  readonly oversample: number;
  /** Subspace (power) iterations. Default 4. */
  readonly powerIterations: number;
  readonly seed: number;
}

export const PCA_DEFAULTS: PcaConfig = { numComponents: 10, oversample: 10, powerIterations: 4, seed: 0 };

export interface PcaModel {
  /** Pixel means [dim]. */
  readonly mean: Float64Array;
  /** Components [numComponents, dim], row-major, orthonormal rows. */
  readonly components: Float64Array;
  /** Variance along each component (descending). */
  readonly explainedVariance: Float64Array;
  readonly numComponents: number;
  readonly dim: number;
}

/** out [n, l] = (X - 1 mean^T) M, for M [dim, l]. */
function centredTimes(x: Float32Array, n: number, dim: number, mean: Float64Array, m: Float64Array, l: number): Float64Array {
  const out = new Float64Array(n * l);
  const meanM = new Float64Array(l);
  for (let j = 0; j < dim; j++) for (let c = 0; c < l; c++) meanM[c] += mean[j] * m[j * l + c];
  for (let i = 0; i < n; i++) {
    const o = i * l;
    for (let j = 0; j < dim; j++) {
      const v = x[i * dim + j];
      if (v === 0) continue;
      const mo = j * l;
      for (let c = 0; c < l; c++) out[o + c] += v * m[mo + c];
    }
    for (let c = 0; c < l; c++) out[o + c] -= meanM[c];
  }
  return out;
}

/** out [dim, l] = (X - 1 mean^T)^T Y, for Y [n, l]. */
function centredTransposeTimes(x: Float32Array, n: number, dim: number, mean: Float64Array, y: Float64Array, l: number): Float64Array {
  const out = new Float64Array(dim * l);
  const colSum = new Float64Array(l);
  for (let i = 0; i < n; i++) {
    const yo = i * l;
    for (let c = 0; c < l; c++) colSum[c] += y[yo + c];
    for (let j = 0; j < dim; j++) {
      const v = x[i * dim + j];
      if (v === 0) continue;
      const oo = j * l;
      for (let c = 0; c < l; c++) out[oo + c] += v * y[yo + c];
    }
  }
  for (let j = 0; j < dim; j++) for (let c = 0; c < l; c++) out[j * l + c] -= mean[j] * colSum[c];
  return out;
}

/** Orthonormalises the l columns of a [rows, l] matrix in place (modified Gram-Schmidt). */
function orthonormalColumns(a: Float64Array, rows: number, l: number): void {
  for (let c = 0; c < l; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let i = 0; i < rows; i++) dot += a[i * l + c] * a[i * l + p];
      for (let i = 0; i < rows; i++) a[i * l + c] -= dot * a[i * l + p];
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += a[i * l + c] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < rows; i++) a[i * l + c] /= norm;
  }
}

/** Fits PCA on x [n, dim] (row-major pixels). */
export function fitPca(x: Float32Array, n: number, dim: number, config: Partial<PcaConfig> = {}): PcaModel {
  const cfg = { ...PCA_DEFAULTS, ...config };
  if (x.length !== n * dim) throw new Error(`fitPca: x has length ${x.length}, expected n * dim = ${n * dim}`);
  const k = cfg.numComponents;
  const l = Math.min(k + cfg.oversample, n, dim);
  if (k > l) throw new Error(`fitPca: numComponents ${k} exceeds min(n, dim) = ${Math.min(n, dim)}`);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += x[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= n;
  const rng = makeRng(cfg.seed);
  let omega = new Float64Array(dim * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rng.normal();
  let q = centredTimes(x, n, dim, mean, omega, l); // [n, l]
  orthonormalColumns(q, n, l);
  for (let it = 0; it < cfg.powerIterations; it++) {
    omega = centredTransposeTimes(x, n, dim, mean, q, l); // [dim, l]
    orthonormalColumns(omega, dim, l);
    q = centredTimes(x, n, dim, mean, omega, l);
    orthonormalColumns(q, n, l);
  }
  // B^T = Xc^T Q [dim, l]; B B^T = (Q^T Xc)(Xc^T Q) [l, l].
  const bt = centredTransposeTimes(x, n, dim, mean, q, l);
  const bbt = new Matrix(l, l);
  for (let a = 0; a < l; a++) {
    for (let b = a; b < l; b++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += bt[j * l + a] * bt[j * l + b];
      bbt.set(a, b, s);
      bbt.set(b, a, s);
    }
  }
  const evd = new EigenvalueDecomposition(bbt, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  const order = values.map((v, i) => [v, i] as const).sort((p, r) => r[0] - p[0]).map((p) => p[1]);
  const components = new Float64Array(k * dim);
  const explainedVariance = new Float64Array(k);
  for (let r = 0; r < k; r++) {
    const e = order[r];
    const s = Math.sqrt(Math.max(values[e], 0));
    explainedVariance[r] = (s * s) / (n - 1);
    // Right singular vector v = B^T u / s.
    for (let j = 0; j < dim; j++) {
      let v = 0;
      for (let a = 0; a < l; a++) v += bt[j * l + a] * vectors.get(a, e);
      components[r * dim + j] = s > 0 ? v / s : 0;
    }
  }
  return { mean, components, explainedVariance, numComponents: k, dim };
}

/** Projections [n, numComponents] of x [n, dim]. */
export function pcaTransform(model: PcaModel, x: Float32Array, n: number): Float64Array {
  const { dim, numComponents: k, mean, components } = model;
  if (x.length !== n * dim) throw new Error(`pcaTransform: x has length ${x.length}, expected n * ${dim}`);
  const out = new Float64Array(n * k);
  const meanProj = new Float64Array(k);
  for (let r = 0; r < k; r++) for (let j = 0; j < dim; j++) meanProj[r] += mean[j] * components[r * dim + j];
  // Images like dSprites' are mostly 0: each image's non-zero pixels are listed once, then every
  // component sums over them alone, in the same order as a full pass (the same sums, bit for bit).
  const at = new Int32Array(dim);
  const val = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const xo = i * dim;
    let nnz = 0;
    for (let j = 0; j < dim; j++) {
      const v = x[xo + j];
      if (v !== 0) {
        at[nnz] = j;
        val[nnz++] = v;
      }
    }
    for (let r = 0; r < k; r++) {
      let s = 0;
      const co = r * dim;
      for (let t = 0; t < nnz; t++) s += val[t] * components[co + at[t]];
      out[i * k + r] = s - meanProj[r];
    }
  }
  return out;
}

/** The PCA projection as a metric encoder. */
export function pcaEncoder(model: PcaModel): Encoder {
  return (images: ImageBatch) => Float32Array.from(pcaTransform(model, images.data, images.n));
}
