/**
 * Multinomial logistic regression (metrics/logistic.ts): the penalised objective's gradient is zero at the fit.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fitLogistic, predictLogistic, accuracy } from "../../lib/metrics/logistic";
import { makeRng } from "../../lib/rng";

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} is not within ${tol} of ${b}`);

test("logistic regression reaches a zero gradient of its L2-penalised objective (finite differences)", () => {
  const rng = makeRng(5);
  const n = 300;
  const d = 3;
  const k = 3;
  const x = new Float64Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.int(k);
    for (let j = 0; j < d; j++) x[i * d + j] = rng.normal() + (j === y[i] ? 1.5 : 0);
  }
  const model = fitLogistic(x, y, n, d, k, { c: 1, maxIter: 500, tol: 1e-8 });
  assert.ok(model.converged);
  const loss = (p: Float64Array): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const z = new Array<number>(k).fill(0).map((_, c) => p[d * k + c] + Array.from({ length: d }, (_, j) => x[i * d + j] * p[j * k + c]).reduce((a, b) => a + b));
      const m = Math.max(...z);
      f += Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0)) + m - z[y[i]];
    }
    let reg = 0;
    for (let i = 0; i < d * k; i++) reg += p[i] * p[i];
    return (f + 0.5 * reg) / n;
  };
  const h = 1e-5;
  for (let i = 0; i < model.params.length; i++) {
    const p1 = Float64Array.from(model.params);
    const p2 = Float64Array.from(model.params);
    p1[i] += h;
    p2[i] -= h;
    close((loss(p1) - loss(p2)) / (2 * h), 0, 1e-5, `d loss / d param ${i}`);
  }
  assert.ok(accuracy(predictLogistic(model, x, n), y) > 0.6);
});
