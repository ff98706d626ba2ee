/**
 * The building blocks of the metrics against hand-computed values and optimality conditions:
 * histogram bins (numpy semantics), mutual information, the logistic regression and one-feature
 * SVM solutions (zero gradient), a one-split boosted tree, DCI from an importance matrix, FactorVAE
 * votes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { histogramBins, mutualInformation, entropy } from "../lib/metrics/discretize";
import { fitLogistic, predictLogistic, accuracy } from "../lib/metrics/logistic";
import { fitLinearSvc1d, predictLinearSvc1d } from "../lib/metrics/linear-svc";
import { fitGbt, predictGbt } from "../lib/metrics/gbt";
import { dciFromImportance } from "../lib/metrics/dci";
import { computeFactorVae } from "../lib/metrics/factorvae";
import { computeMig } from "../lib/metrics/mig";
import { makeRng } from "../lib/rng";

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} is not within ${tol} of ${b}`);

test("histogramBins follows numpy.histogram edges + digitize (max in the last bin, constant in one bin)", () => {
  assert.deepEqual(Array.from(histogramBins([0, 0.5, 1, 0.25, 0.49], 2)), [0, 1, 1, 0, 0]);
  assert.deepEqual(Array.from(histogramBins([0, 1, 2, 3, 4], 4)), [0, 1, 2, 3, 3]);
  assert.deepEqual(Array.from(histogramBins([7, 7, 7], 20)), [0, 0, 0]);
});

test("mutual information and entropy in nats", () => {
  close(mutualInformation([0, 0, 1, 1], [5, 5, 9, 9]), Math.log(2), 1e-12, "I(a;a)");
  close(mutualInformation([0, 0, 1, 1], [0, 1, 0, 1]), 0, 1e-12, "independent");
  close(entropy([0, 1, 2, 3]), Math.log(4), 1e-12, "H(uniform 4)");
  // p(a,b) = [[.5, 0], [.25, .25]]: I = .5 log(.5/(.5*.75)) + .25 log(.25/(.5*.75)) + .25 log(.25/(.5*.25))
  const expected = 0.5 * Math.log(0.5 / 0.375) + 0.25 * Math.log(0.25 / 0.375) + 0.25 * Math.log(0.25 / 0.125);
  close(mutualInformation([0, 0, 1, 1], [0, 0, 0, 1]), expected, 1e-12, "hand example");
});

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

test("boosted trees: one stage of depth 1 gives the hand-computed Newton leaves and importances", () => {
  const x = Float64Array.from([0, 1, 2, 3]); // one feature
  const y = Int32Array.from([0, 0, 1, 1]);
  const { model, trainPredictions } = fitGbt(x, y, 4, 1, 2, { numStages: 1, maxDepth: 1, learningRate: 1 });
  // init log-odds 0, p = 0.5, residuals -0.5/+0.5, hessians 0.25: leaves -1/0.5 = -2 and +2.
  const t = model.trees[0][0];
  assert.equal(t.feature[0], 0);
  assert.deepEqual(Array.from(t.value).filter((_, i) => t.feature[i] < 0), [-2, 2]);
  assert.deepEqual(Array.from(trainPredictions), [0, 0, 1, 1]);
  assert.deepEqual(Array.from(model.featureImportances), [1]);
  // Three features, only the middle one informative (5 classes), defaults otherwise.
  const rng = makeRng(2);
  const n = 1000;
  const x3 = new Float64Array(n * 3);
  const y3 = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y3[i] = rng.int(5);
    x3[i * 3] = rng.normal();
    x3[i * 3 + 1] = y3[i] + 0.1 * rng.normal();
    x3[i * 3 + 2] = rng.normal();
  }
  const fit = fitGbt(x3, y3, n, 3, 5, { numStages: 20 });
  assert.ok(fit.model.featureImportances[1] > 0.95, `importance of the informative feature ${fit.model.featureImportances[1]}`);
  assert.ok(accuracy(predictGbt(fit.model, x3, n), y3) > 0.99);
});

test("DCI from an importance matrix: diagonal 1, uniform 0, a shared factor", () => {
  const diag = dciFromImportance([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  close(diag.disentanglement, 1, 1e-6, "D(diag)");
  close(diag.completeness, 1, 1e-6, "C(diag)");
  const uni = dciFromImportance([[1, 1], [1, 1]]);
  close(uni.disentanglement, 0, 1e-9, "D(uniform)");
  close(uni.completeness, 0, 1e-9, "C(uniform)");
  // Two latents both for factor 0: each latent is disentangled, factor 0 is not complete.
  const shared = dciFromImportance([[0.5, 0], [0.5, 0]]);
  close(shared.disentanglement, 1, 1e-6, "D(shared)");
  close(shared.completeness, 0, 1e-6, "C(shared)");
  const zero = dciFromImportance([[0, 0], [0, 0]]);
  close(zero.disentanglement, 0, 1e-9, "D(zero)");
});

test("FactorVAE votes: the latent that stays still votes for the fixed factor; pruned latents never vote", () => {
  // Latent 0 is constant within groups fixing factor 0, latent 1 within groups fixing factor 1,
  // latent 2 is constant everywhere (pruned).
  const groupSize = 4;
  const rng = makeRng(1);
  const fixed = Int32Array.from([0, 1, 0, 1, 1]);
  const codes = new Float64Array(fixed.length * groupSize * 3);
  fixed.forEach((f, g) => {
    for (let b = 0; b < groupSize; b++) {
      const row = (g * groupSize + b) * 3;
      codes[row] = f === 0 ? g : rng.normal();
      codes[row + 1] = f === 1 ? g : rng.normal();
      codes[row + 2] = 1;
    }
  });
  const global = new Float64Array(300);
  for (let i = 0; i < 100; i++) {
    global[i * 3] = rng.normal();
    global[i * 3 + 1] = rng.normal();
    global[i * 3 + 2] = 1;
  }
  const groups = { codes: { data: codes, n: codes.length / 3, numLatents: 3 }, groupSize, fixedFactor: fixed };
  const s = computeFactorVae({ data: global, n: 100, numLatents: 3 }, groups, groups, { seed: 9 });
  assert.equal(s.value, 1);
  assert.deepEqual(s.details.activeDims, [0, 1]);
  assert.deepEqual(s.details.classifier, [0, 1, -1]);
  assert.deepEqual(s.details.trainVotes, [[2, 0, 0], [0, 3, 0]]);
  assert.equal(s.seed, 9);
  assert.equal(s.numTrain, 5);
});

test("MIG on codes equal to factors with at most 20 values is exactly 1, and 0 with every latent duplicated", () => {
  // A full 3 x 10 factorial design repeated 10 times: the two factors are exactly independent in
  // the sample, so the runner-up mutual information is exactly 0.
  const n = 300;
  const f = new Int32Array(n * 2);
  const z = new Float64Array(n * 2);
  const z2 = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) {
    f[i * 2] = i % 3;
    f[i * 2 + 1] = Math.floor(i / 3) % 10;
    z[i * 2] = f[i * 2];
    z[i * 2 + 1] = f[i * 2 + 1];
    z2.set([f[i * 2], f[i * 2 + 1], f[i * 2], f[i * 2 + 1]], i * 4);
  }
  const factors = { data: f, n, numFactors: 2 };
  close(computeMig({ data: z, n, numLatents: 2 }, factors).value, 1, 1e-12, "MIG(identity)");
  close(computeMig({ data: z2, n, numLatents: 4 }, factors).value, 0, 1e-12, "MIG(duplicated)");
});
