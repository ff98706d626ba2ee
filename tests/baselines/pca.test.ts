/**
 * PCA by randomised subspace iteration (baselines/pca.ts) against an exact eigendecomposition of the covariance (ml-matrix).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { fitPca, pcaTransform } from "../../lib/baselines/pca";
import { makeRng } from "../../lib/rng";

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

test("pcaTransform over the non-zero pixels equals the full dot products, bit for bit (sparse images)", () => {
  const n = 40, dim = 64, rng = makeRng(5);
  const x = new Float32Array(n * dim);
  for (let i = 0; i < x.length; i++) if (rng.int(5) === 0) x[i] = rng.int(2) === 0 ? 1 : rng.normal();
  x[3] = -0; // a negative zero is skipped like a zero
  const model = fitPca(x, n, dim, { numComponents: 4, seed: 1 });
  const z = pcaTransform(model, x, n);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < 4; r++) {
      let s = 0, m = 0;
      for (let j = 0; j < dim; j++) {
        m += model.mean[j] * model.components[r * dim + j];
        if (x[i * dim + j] !== 0) s += x[i * dim + j] * model.components[r * dim + j];
      }
      assert.equal(z[i * 4 + r], s - m, `image ${i}, component ${r}`);
    }
  }
});
