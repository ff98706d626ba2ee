/**
 * The objectives of lib/models/objectives.ts against independent answers: Monte Carlo for the closed-form
 * KL, hand-computed values for the losses and regularisers, finite differences for the gradient.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { capacityAt, klPerLatent, objective, reconstructionLoss, reparameterise, disposeTerms } from "../../lib/models/objectives";
import { makeRng } from "../../lib/rng";

before(async () => {
  await tf.setBackend("cpu");
});

const close = (a: number, b: number, tol: number, what: string): void =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tolerance ${tol})`);

test("closed-form KL per latent matches hand values", () => {
  // mu = 1, logvar = 0: 0.5 * mu^2 = 0.5.  mu = 0, logvar = ln 2: -0.5 (1 + ln 2 - 2) = 0.5 (1 - ln 2).
  const zMean = tf.tensor2d([[1, 0, 0]]);
  const zLogVar = tf.tensor2d([[0, Math.log(2), 0]]);
  const kl = klPerLatent(zMean, zLogVar).arraySync();
  close(kl[0], 0.5, 1e-6, "KL(mu=1, var=1)");
  close(kl[1], 0.5 * (1 - Math.log(2)), 1e-6, "KL(mu=0, var=2)");
  close(kl[2], 0, 1e-7, "KL(prior)");
  tf.dispose([zMean, zLogVar]);
});

test("closed-form KL agrees with a Monte Carlo estimate", () => {
  // KL(q || p) = E_q[log q(z) - log p(z)], estimated per latent with 200k draws.
  const mus = [0.7, -1.5, 0.0, 2.0];
  const logVars = [-1.0, 0.5, -3.0, 0.0];
  const closed = tf.tidy(() => klPerLatent(tf.tensor2d([mus]), tf.tensor2d([logVars])).arraySync());
  const rng = makeRng(7);
  const n = 200_000;
  mus.forEach((mu, i) => {
    const sd = Math.exp(logVars[i] / 2);
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const e = rng.normal();
      const z = mu + sd * e;
      const logQ = -0.5 * e * e - Math.log(sd); // constants cancel with log p's
      const logP = -0.5 * z * z;
      sum += logQ - logP;
    }
    const mc = sum / n;
    // Standard error is below 0.01 for these parameters; allow 4 of them.
    close(closed[i], mc, 0.04, `latent ${i} (mu ${mu}, logvar ${logVars[i]})`);
  });
});

test("KL is averaged over the batch, per latent", () => {
  const kl = tf.tidy(() => klPerLatent(tf.tensor2d([[1], [3]]), tf.tensor2d([[0], [0]])).arraySync());
  close(kl[0], (0.5 + 4.5) / 2, 1e-6, "batch mean");
});

test("Bernoulli reconstruction: sigmoid cross-entropy summed over pixels, averaged over the batch", () => {
  const logits = tf.tensor4d([0, 2, -1, 40, 0, 0, 0, 0], [2, 2, 2, 1]);
  const x = tf.tensor4d([1, 1, 0, 0, 0, 1, 1, 0], [2, 2, 2, 1]);
  const sp = (v: number): number => Math.log1p(Math.exp(v)); // softplus
  // image 1: -log s(0), -log s(2), -log(1 - s(-1)), -log(1 - s(40)) (clamped at 30: s(30))
  const img1 = sp(-0) + sp(-2) + sp(-1) + 30 + sp(-30);
  const img2 = 4 * Math.log(2);
  const got = reconstructionLoss(logits, x, "bernoulli").arraySync();
  close(got, (img1 + img2) / 2, 1e-4, "bernoulli");
  tf.dispose([logits, x]);
});

test("Gaussian reconstruction: squared error of sigmoid outputs, summed per image", () => {
  const logits = tf.tensor4d([0, 1, -2, 3], [1, 2, 2, 1]);
  const x = tf.tensor4d([0, 1, 0.5, 0.25], [1, 2, 2, 1]);
  const s = (v: number): number => 1 / (1 + Math.exp(-v));
  const want = (s(0) - 0) ** 2 + (s(1) - 1) ** 2 + (s(-2) - 0.5) ** 2 + (s(3) - 0.25) ** 2;
  close(reconstructionLoss(logits, x, "gaussian").arraySync(), want, 1e-6, "gaussian");
  tf.dispose([logits, x]);
});

test("VAE, beta-VAE and capacity objectives differ only in the regulariser", () => {
  tf.tidy(() => {
    const logits = tf.zeros([1, 2, 2, 1]);
    const x = tf.ones([1, 2, 2, 1]);
    const zMean = tf.tensor2d([[1, 2]]) as tf.Tensor2D; // KL = 0.5 + 2 = 2.5
    const zLogVar = tf.zeros([1, 2]) as tf.Tensor2D;
    const recon = 4 * Math.log(2);
    const vae = objective(logits, x, zMean, zLogVar, "bernoulli", { kind: "vae" }, 0);
    close(vae.kl.arraySync(), 2.5, 1e-6, "kl");
    close(vae.recon.arraySync(), recon, 1e-5, "recon");
    close(vae.loss.arraySync(), recon + 2.5, 1e-5, "vae loss");
    assert.deepEqual(vae.klPerLatent.arraySync().map((v) => Math.round(v * 1e6) / 1e6), [0.5, 2]);
    const beta = objective(logits, x, zMean, zLogVar, "bernoulli", { kind: "beta", beta: 4 }, 0);
    close(beta.loss.arraySync(), recon + 10, 1e-5, "beta loss");
    // C at step 500 of a 0 -> 30 ramp over 1000 steps is 15: loss = recon + 100 * |2.5 - 15|.
    const cap = objective(logits, x, zMean, zLogVar, "bernoulli", { kind: "capacity", gamma: 100, cMax: 30, cStopStep: 1000 }, 500);
    assert.equal(cap.capacity, 15);
    close(cap.loss.arraySync(), recon + 1250, 1e-3, "capacity loss");
    close(cap.regulariser.arraySync(), 1250, 1e-3, "capacity regulariser");
  });
});

test("capacity schedule rises linearly to cMax at cStopStep and stays there", () => {
  assert.equal(capacityAt(0, 25, 100_000), 0);
  assert.equal(capacityAt(50_000, 25, 100_000), 12.5);
  assert.equal(capacityAt(100_000, 25, 100_000), 25);
  assert.equal(capacityAt(1_500_000, 25, 100_000), 25);
  assert.equal(capacityAt(10, 30, 0), 30);
});

test("gradient of the reconstruction term matches central finite differences", () => {
  const shape: [number, number, number, number] = [2, 2, 2, 1];
  const rng = makeRng(3);
  const l0 = Array.from({ length: 8 }, () => 3 * rng.normal());
  const xv = Array.from({ length: 8 }, () => rng.next());
  for (const dist of ["bernoulli", "gaussian"] as const) {
    const x = tf.tensor4d(xv, shape);
    const f = (l: tf.Tensor): tf.Scalar => reconstructionLoss(l, x, dist);
    const g = tf.tidy(() => tf.grad(f)(tf.tensor4d(l0, shape)).arraySync() as number[][][][]).flat(3);
    // Finite differences in float64 on the host, from the loss definition.
    const h = 1e-4;
    const lossAt = (l: number[]): number =>
      l.reduce((acc, li, i) => {
        const s = 1 / (1 + Math.exp(-li));
        const per = dist === "bernoulli" ? Math.max(li, 0) - li * xv[i] + Math.log1p(Math.exp(-Math.abs(li))) : (s - xv[i]) ** 2;
        return acc + per;
      }, 0) / 2;
    l0.forEach((_, i) => {
      const up = [...l0];
      const down = [...l0];
      up[i] += h;
      down[i] -= h;
      const fd = (lossAt(up) - lossAt(down)) / (2 * h);
      close(g[i], fd, 1e-4, `${dist} d/dlogit[${i}]`);
    });
    x.dispose();
  }
});

test("reparameterise uses the given noise: z = mu + exp(logvar / 2) * eps", () => {
  const z = tf.tidy(() => reparameterise(tf.tensor2d([[1, -1]]), tf.tensor2d([[Math.log(4), 0]]), tf.tensor2d([[0.5, 2]])).arraySync());
  close(z[0][0], 1 + 2 * 0.5, 1e-6, "z0");
  close(z[0][1], -1 + 2, 1e-6, "z1");
});

test("objective terms are owned by the caller and disposed by disposeTerms", () => {
  const before = tf.memory().numTensors;
  const inputs = [tf.zeros([1, 2, 2, 1]), tf.ones([1, 2, 2, 1]), tf.zeros([1, 3]), tf.zeros([1, 3])] as const;
  const t = objective(inputs[0], inputs[1], inputs[2] as tf.Tensor2D, inputs[3] as tf.Tensor2D, "bernoulli", { kind: "beta", beta: 4 }, 0);
  disposeTerms(t);
  tf.dispose([...inputs]);
  assert.equal(tf.memory().numTensors, before);
});
