/**
 * FastICA (baselines/fastica.ts) recovers known independent sources.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fastIcaWhitened, fitFastIca, fastIcaTransform } from "../../lib/baselines/fastica";
import { makeRng } from "../../lib/rng";

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
