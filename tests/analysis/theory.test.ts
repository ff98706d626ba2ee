import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as th from "../../lib/analysis/theory";
import { makeRng } from "../../lib/rng";

test("normalCdf matches tabulated values", () => {
  assert.ok(Math.abs(th.normalCdf(0) - 0.5) < 1e-7);
  assert.ok(Math.abs(th.normalCdf(1.959964) - 0.975) < 1e-6);
  assert.ok(Math.abs(th.normalCdf(-1) - 0.15865525) < 1e-6);
});

test("the ELBO is tight at the exact posterior and below log p(x) elsewhere", () => {
  const x = -0.4, s = 1.5;
  const post = th.linearGaussianPosterior(x, s);
  const logEv = th.linearGaussianLogEvidence(x, s);
  assert.ok(Math.abs(th.linearGaussianElbo(x, s, post.mean, post.variance).elbo - logEv) < 1e-12);
  for (const [m, v] of [[0, 1], [1, 0.2], [post.mean, post.variance * 2]]) {
    const e = th.linearGaussianElbo(x, s, m, v);
    // log p(x) - ELBO = KL(q || posterior), in closed form for two Gaussians.
    const klPost = 0.5 * (Math.log(post.variance / v) + (v + (m - post.mean) ** 2) / post.variance - 1);
    assert.ok(Math.abs(logEv - e.elbo - klPost) < 1e-10);
  }
});

test("Monte Carlo ELBO agrees with the closed form within its standard error", () => {
  const { estimate, standardError } = th.linearGaussianElboMonteCarlo(0.7, 0.8, 0.1, 0.5, 50_000, makeRng(3));
  const exact = th.linearGaussianElbo(0.7, 0.8, 0.1, 0.5).elbo;
  assert.ok(Math.abs(estimate - exact) < 5 * standardError, `${estimate} vs ${exact} (se ${standardError})`);
});

test("two posteriors: limits of KL, confusion and reconstruction cost", () => {
  const same = th.twoPosteriors(0, 1);
  assert.ok(Math.abs(same.kl) < 1e-12);
  assert.ok(Math.abs(same.pConfuse - 0.5) < 1e-7);
  assert.ok(Math.abs(same.reconCost - Math.log(2)) < 1e-6);
  const apart = th.twoPosteriors(10, 0.1);
  assert.ok(apart.pConfuse < 1e-12 && apart.reconCost < 1e-9);
  assert.ok(Math.abs(apart.kl - th.gaussianKl(5, 0.01)) < 1e-12);
  const p = th.twoPosteriors(1.5, 0.6);
  const mc = th.confusionMonteCarlo(1.5, 0.6, 100_000, makeRng(4));
  assert.ok(Math.abs(mc - p.pConfuse) < 4 * Math.sqrt((p.pConfuse * (1 - p.pConfuse)) / 100_000));
  assert.throws(() => th.twoPosteriors(1, 0), /sd must be > 0/);
});
