/**
 * Baselines of the Higgins table: PCA against an exact eigendecomposition of the covariance
 * (ml-matrix), FastICA recovering known independent sources, and the whole table on the toy
 * square dataset (small samples).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { fitPca, pcaTransform } from "../lib/baselines/pca";
import { fastIcaWhitened, fitFastIca, fastIcaTransform } from "../lib/baselines/fastica";
import { higginsBaselineTable, formatHigginsTable, PUBLISHED_HIGGINS } from "../lib/baselines/higgins-table";
import { makeToyDataset } from "../lib/data/toy";
import { makeRng } from "../lib/rng";

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

test("PCA by subspace iteration matches the exact covariance eigenvectors and variances", () => {
  const rng = makeRng(3);
  const n = 400;
  const dim = 30;
  const x = new Float32Array(n * dim);
  // Decaying variances per direction of a random basis, plus a mean.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) x[i * dim + j] = 0.5 + rng.normal() * Math.pow(0.8, j);
  }
  const k = 4;
  const model = fitPca(x, n, dim, { numComponents: k });
  // Exact: eigendecomposition of the sample covariance.
  const cov = new Matrix(dim, dim);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += x[i * dim + j] / n;
  for (let a = 0; a < dim; a++) {
    for (let b = 0; b < dim; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += (x[i * dim + a] - mean[a]) * (x[i * dim + b] - mean[b]);
      cov.set(a, b, s / (n - 1));
    }
  }
  const evd = new EigenvalueDecomposition(cov, { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((v, i) => [v, i] as const).sort((p, q) => q[0] - p[0]);
  for (let r = 0; r < k; r++) {
    const [value, idx] = order[r];
    assert.ok(Math.abs(model.explainedVariance[r] - value) < 1e-6 * value, `variance ${r}: ${model.explainedVariance[r]} vs ${value}`);
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += model.components[r * dim + j] * evd.eigenvectorMatrix.get(j, idx);
    assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-6, `component ${r}: |cos| = ${Math.abs(dot)}`);
  }
  // Projections have the component variances and zero mean.
  const z = pcaTransform(model, x, n);
  let m0 = 0;
  for (let i = 0; i < n; i++) m0 += z[i * k] / n;
  assert.ok(Math.abs(m0) < 1e-9);
});

test("FastICA recovers independent uniform sources from a linear mixture (up to order and sign)", () => {
  const rng = makeRng(8);
  const n = 4000;
  const k = 3;
  const s = new Float64Array(n * k);
  for (let i = 0; i < s.length; i++) s[i] = (rng.next() - 0.5) * Math.sqrt(12);
  // Mix with a fixed well-conditioned matrix, then embed in 12 "pixels" with a little noise.
  const dim = 12;
  const mix = Array.from({ length: dim * k }, () => rng.normal());
  const x = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) {
      let v = 0;
      for (let c = 0; c < k; c++) v += mix[j * k + c] * s[i * k + c];
      x[i * dim + j] = v + 0.01 * rng.normal();
    }
  }
  const model = fitFastIca(x, n, dim, { numComponents: k, seed: 1 });
  assert.ok(model.converged, `converged after ${model.iterations}`);
  const est = fastIcaTransform(model, x, n);
  for (let c = 0; c < k; c++) {
    const src = Float64Array.from({ length: n }, (_, i) => s[i * k + c]);
    let best = 0;
    for (let e = 0; e < k; e++) best = Math.max(best, Math.abs(correlation(src, Float64Array.from({ length: n }, (_, i) => est[i * k + e]))));
    assert.ok(best > 0.98, `source ${c}: best |corr| ${best}`);
  }
  // Whitened Gaussian data has no preferred rotation, but the result is still orthogonal.
  const g = Float64Array.from({ length: 500 * 2 }, () => rng.normal());
  const w = fastIcaWhitened(g, 500, 2, { seed: 2 }).unmixing;
  const dot = w[0] * w[2] + w[1] * w[3];
  assert.ok(Math.abs(dot) < 1e-9);
});

test("Higgins baseline table on the toy squares: ground truth 100%, rows in order beside the published numbers", () => {
  const ds = makeToyDataset();
  const rows = higginsBaselineTable(ds, {
    numTrain: 300, numEval: 150, batchSize: 16, numFitImages: 500, numComponents: 3,
    baselines: ["ground-truth", "raw-pixels", "pca", "ica"],
  });
  assert.deepEqual(rows.map((r) => r.baseline), ["ground-truth", "raw-pixels", "pca", "ica"]);
  assert.equal(rows[0].accuracy, 100);
  for (const r of rows) {
    assert.equal(r.published, PUBLISHED_HIGGINS[r.baseline]);
    assert.equal(r.score.numTrain, 300);
    assert.equal(r.score.numEval, 150);
    assert.ok(r.accuracy >= 100 / 3 - 10 && r.accuracy <= 100, `${r.baseline} ${r.accuracy}`);
  }
  const text = formatHigginsTable(rows);
  assert.match(text, /\| pca \| [0-9.]+ \| 84\.9 \+- 0\.4 \|/);
});
