/**
 * The one-feature linear SVM (metrics/linear-svc.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fitLinearSvc1d, predictLinearSvc1d } from "../../lib/metrics/linear-svc";

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} is not within ${tol} of ${b}`);

test("one-feature linear SVM: primal gradient is zero, and a separable threshold is learned", () => {
  const x = Float64Array.from([-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2]);
  const y = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1]);
  const c = 10;
  const model = fitLinearSvc1d(x, y, 2, { c, classWeight: "none" });
  const w = model.w[0];
  const b = model.b[0];
  let gw = w;
  let gb = b;
  for (let i = 0; i < x.length; i++) {
    const yi = y[i] === 1 ? 1 : -1;
    const m = 1 - yi * (w * x[i] + b);
    if (m > 0) {
      gw -= 2 * c * m * yi * x[i];
      gb -= 2 * c * m * yi;
    }
  }
  close(gw, 0, 1e-8, "dF/dw");
  close(gb, 0, 1e-8, "dF/db");
  assert.deepEqual(Array.from(predictLinearSvc1d(model, x)), Array.from(y));
  // One-vs-rest with three ordered classes predicts the two outer ones on their sides.
  const x3 = Float64Array.from([-3, -2.5, 0, 0.1, 2.5, 3]);
  const y3 = Int32Array.from([0, 0, 1, 1, 2, 2]);
  const m3 = fitLinearSvc1d(x3, y3, 3, { c: 1 });
  const p3 = predictLinearSvc1d(m3, Float64Array.from([-3, 3]));
  assert.deepEqual(Array.from(p3), [0, 2]);
});
