import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nbgen import nb
cells = []
md = lambda s: cells.append(("markdown", s))
code = lambda s: cells.append(("code", s))
md(r"""# 00 · Theory: the ELBO, the KL term, the reparameterisation trick and the three objectives

Section 2 of the report, made executable. Every claim in prose is followed by a cell that checks it on
real numbers; the objectives are the library's own (`bvae.objective`, `bvae.klPerLatent`,
`bvae.reconstructionLoss`), the same functions the training engine minimises.

The profile (`PROFILE=smoke|cpu|long|paper`) only sets how many Monte Carlo samples the checks draw.""")
code(r"""import * as tf from "@tensorflow/tfjs";
import * as bvae from "bvae";

const backend = await bvae.initBackend();
const profile = bvae.currentProfile();
const mcSamples = bvae.byProfile({ smoke: 20_000, cpu: 200_000, long: 200_000, paper: 1_000_000 });
console.log(`profile ${profile}: ${mcSamples} Monte Carlo samples per check`);""")
md(r"""## 2.1 The evidence lower bound

For any approximate posterior $q(z|x)$,
$\log p(x) = \mathcal{L}(q) + D_{KL}(q(z|x)\,\|\,p(z|x))$ with
$\mathcal{L}(q) = \mathbb{E}_{q}[\log p(x|z)] - D_{KL}(q(z|x)\,\|\,p(z))$.
Since the KL is non-negative, the ELBO never exceeds $\log p(x)$, and it touches it exactly when $q$ is the true posterior.

We check this on the one model where everything is known in closed form: $p(z) = \mathcal{N}(0, 1)$,
$p(x|z) = \mathcal{N}(z, s^2)$, so that $p(x) = \mathcal{N}(0, 1 + s^2)$ and
$p(z|x) = \mathcal{N}\big(x/(1+s^2),\ s^2/(1+s^2)\big)$. We sweep the mean of a Gaussian $q$ (its variance fixed at the
posterior's) and compute the ELBO both in closed form and by Monte Carlo with reparameterised samples.""")
code(r"""const x = 1.3, s = 0.7;
const logEvidence = bvae.linearGaussianLogEvidence(x, s);
const post = bvae.linearGaussianPosterior(x, s);
const rng = bvae.makeRng(0);
const elboRows = [];
for (let m = -1; m <= 2.0001; m += 0.1) {
  const cf = bvae.linearGaussianElbo(x, s, m, post.variance);
  elboRows.push({ qMean: m, value: cf.elbo, curve: "ELBO (closed form)", standardError: 0 });
  const est = bvae.linearGaussianElboMonteCarlo(x, s, m, post.variance, mcSamples, rng);
  elboRows.push({ qMean: m, value: est.estimate, curve: "ELBO (Monte Carlo)", standardError: est.standardError });
  elboRows.push({ qMean: m, value: logEvidence, curve: "log p(x)", standardError: 0 });
}
await bvae.showChart(bvae.lineChart({
  data: elboRows, x: "qMean", y: "value", color: "curve",
  title: "ELBO of q = N(m, v*) on a linear-Gaussian model (x = 1.3, s = 0.7)",
  xTitle: "mean m of q(z|x)", yTitle: "nats", colorTitle: "",
}), "theory-elbo");""")
code(r"""const closed = elboRows.filter(r => r.curve === "ELBO (closed form)");
const mc = elboRows.filter(r => r.curve === "ELBO (Monte Carlo)");
const best = closed.reduce((a, b) => (b.value > a.value ? b : a));
const atPosterior = bvae.linearGaussianElbo(x, s, post.mean, post.variance).elbo;
bvae.check("the ELBO never exceeds log p(x)", closed.every(r => r.value <= logEvidence + 1e-12), { logEvidence: logEvidence, maxElbo: best.value });
bvae.check("the ELBO equals log p(x) at the exact posterior", Math.abs(atPosterior - logEvidence) < 1e-12, { atPosterior: atPosterior, logEvidence: logEvidence });
bvae.check("the best q on the grid sits at the posterior mean", Math.abs(best.qMean - post.mean) <= 0.05 + 1e-9, { bestMean: best.qMean, posteriorMean: post.mean });
const worstZ = Math.max(...mc.map((r, i) => Math.abs(r.value - closed[i].value) / r.standardError));
bvae.check("Monte Carlo ELBO agrees with the closed form within 5 standard errors at every m", worstZ < 5, { worstZ: worstZ, samples: mcSamples });""")
md(r"""## The KL term in closed form

For a diagonal Gaussian posterior against $\mathcal{N}(0, I)$ the KL splits over latents:
$D_{KL} = \sum_i -\tfrac12\big(1 + \log\sigma_i^2 - \mu_i^2 - \sigma_i^2\big)$.
`bvae.klPerLatent(zMean, zLogVar)` returns the per-latent terms averaged over the batch. We compare it with
a Monte Carlo estimate of $\mathbb{E}_q[\log q(z) - \log p(z)]$ for a batch of random posteriors.""")
code(r"""const zMean = tf.tensor2d([[0, 0.5, -1.2, 2.0], [0, -0.3, 0.8, 1.0]]);    // [batch 2, 4 latents]
const zLogVar = tf.tensor2d([[0, -1.0, 0.7, -3.0], [0, 0.2, -0.5, -2.0]]);
const closedKl = Array.from(await bvae.klPerLatent(zMean, zLogVar).data());
const mu = await zMean.array(), lv = await zLogVar.array();
const mcKl = closedKl.map((_, j) => {
  let sum = 0;
  for (let b = 0; b < 2; b++) {
    const m = mu[b][j], sd = Math.exp(lv[b][j] / 2);
    for (let i = 0; i < mcSamples; i++) {
      const e = rng.normal(), z = m + sd * e;
      sum += (-0.5 * e * e - Math.log(sd)) - (-0.5 * z * z);   // log q(z) - log p(z), constants cancel
    }
  }
  return sum / (2 * mcSamples);
});
bvae.showTable(closedKl.map((k, j) => ({ latent: j, closedForm: k, monteCarlo: mcKl[j] })), "KL per latent (nats), batch average");
bvae.check("the KL of a posterior equal to the prior is 0", Math.abs(closedKl[0]) < 1e-7, { kl0: closedKl[0] });
const klErr = Math.max(...closedKl.map((k, j) => Math.abs(k - mcKl[j]) / Math.max(k, 0.1)));
bvae.check("closed-form KL matches Monte Carlo (relative error < 3%)", klErr < 0.03, { maxRelErr: klErr });
const theoryKl = [0, 1, 2, 3].map(j => (bvae.gaussianKl(mu[0][j], Math.exp(lv[0][j])) + bvae.gaussianKl(mu[1][j], Math.exp(lv[1][j]))) / 2);
bvae.check("the tensor KL used in training equals the scalar formula", Math.max(...theoryKl.map((k, j) => Math.abs(k - closedKl[j]))) < 1e-5);""")
md(r"""## The reparameterisation trick

Writing $z = \mu + \sigma\,\epsilon$ with $\epsilon \sim \mathcal{N}(0, 1)$ moves the randomness out of the
parameters, so $\nabla_{\mu,\log\sigma^2}\,\mathbb{E}_q[f(z)] = \mathbb{E}_\epsilon[\nabla f(\mu + \sigma\epsilon)]$ can be
estimated by back-propagation. For $f(z) = z^2$ the expectation is $\mu^2 + \sigma^2$, so the exact gradients
are $2\mu$ and $\sigma^2$ (with respect to $\log\sigma^2$). We differentiate through `bvae.reparameterise`
with TensorFlow.js and compare, and check against central finite differences with the same noise.""")
code(r"""const n = mcSamples;
const eps = tf.randomNormal([n, 1], 0, 1, "float32", 7) as tf.Tensor2D;
const estimate = (m: tf.Tensor, l: tf.Tensor) =>
  tf.mean(tf.square(bvae.reparameterise(tf.tile(m.reshape([1, 1]), [n, 1]) as tf.Tensor2D, tf.tile(l.reshape([1, 1]), [n, 1]) as tf.Tensor2D, eps))) as tf.Scalar;
const m0 = tf.scalar(0.8), l0 = tf.scalar(Math.log(0.3));
const [gMu, gLogVar] = tf.grads(estimate)([m0, l0]).map(g => g.dataSync()[0]);
const h = 1e-2;
const fd = (dm: number, dl: number) => estimate(tf.scalar(0.8 + dm), tf.scalar(Math.log(0.3) + dl)).dataSync()[0];
const fdMu = (fd(h, 0) - fd(-h, 0)) / (2 * h), fdLogVar = (fd(0, h) - fd(0, -h)) / (2 * h);
bvae.showTable([
  { parameter: "mu", reparameterised: gMu, finiteDifference: fdMu, exact: 2 * 0.8 },
  { parameter: "log sigma^2", reparameterised: gLogVar, finiteDifference: fdLogVar, exact: 0.3 },
], "d E[z^2] / d parameter at mu = 0.8, sigma^2 = 0.3");
bvae.check("reparameterised gradients match finite differences (same noise)", Math.abs(gMu - fdMu) < 2e-3 && Math.abs(gLogVar - fdLogVar) < 2e-3, { gMu: gMu, fdMu: fdMu, gLogVar: gLogVar, fdLogVar: fdLogVar });
bvae.check("reparameterised gradients match the exact ones within Monte Carlo error", Math.abs(gMu - 1.6) < 0.05 && Math.abs(gLogVar - 0.3) < 0.03, { gMu: gMu, gLogVar: gLogVar });""")
md(r"""## The three objectives, as the library defines them

| objective | loss minimised | paper |
|---|---|---|
| VAE | recon + KL | Kingma & Welling 2014 |
| beta-VAE | recon + beta KL | Higgins et al. 2017 (beta = 4 on dSprites) |
| capacity increase | recon + gamma \|KL - C\|, C = min(Cmax, Cmax step / Cstop) | Burgess et al. 2018 (gamma 1000, Cmax 25); the report used gamma 100, Cmax 30 |

The reconstruction term is the Bernoulli negative log-likelihood (sigmoid cross-entropy on logits) summed over
pixels and averaged over the batch; the KL is summed over latents and averaged over the batch. The three differ
only in the regulariser. Below, one fixed batch of 2 two-pixel "images" goes through `bvae.objective` with each.""")
code(r"""const logits = tf.tensor2d([[2.0, -1.0], [-0.5, 3.0]]);
const images = tf.tensor2d([[1, 0], [0, 1]]);
const regs: bvae.Regulariser[] = [
  { kind: "vae" },
  { kind: "beta", beta: 4 },
  { kind: "capacity", gamma: 100, cMax: 30, cStopStep: 100_000 },
];
const step = 20_000;
const terms = regs.map(r => {
  const t = bvae.objective(logits, images, zMean, zLogVar, "bernoulli", r, step);
  const row = { objective: r.kind, recon: t.recon.dataSync()[0], kl: t.kl.dataSync()[0], C: t.capacity, regulariser: t.regulariser.dataSync()[0], loss: t.loss.dataSync()[0] };
  bvae.disposeTerms(t);
  return row;
});
bvae.showTable(terms, `objective terms at step ${step}`);
// By hand: softplus(l) - l*x per pixel, summed, averaged over the batch.
const softplus = (v: number) => Math.log1p(Math.exp(v));
const reconByHand = ((softplus(2) - 2) + softplus(-1) + softplus(-0.5) + (softplus(3) - 3)) / 2;
const klByHand = closedKl.reduce((a, b) => a + b, 0);
bvae.check("Bernoulli reconstruction term matches the hand computation", Math.abs(terms[0].recon - reconByHand) < 1e-5, { library: terms[0].recon, byHand: reconByHand });
bvae.check("all three objectives share the reconstruction term", terms.every(t => t.recon === terms[0].recon));
bvae.check("VAE: loss = recon + KL", Math.abs(terms[0].loss - (reconByHand + klByHand)) < 1e-4);
bvae.check("beta-VAE: loss = recon + 4 KL", Math.abs(terms[1].loss - (reconByHand + 4 * klByHand)) < 1e-4);
bvae.check("capacity: C = 30 * 20000 / 100000 = 6 and loss = recon + 100 |KL - C|", terms[2].C === 6 && Math.abs(terms[2].loss - (reconByHand + 100 * Math.abs(klByHand - 6))) < 1e-3);""")
code(r"""const scheduleRows = [];
for (let st = 0; st <= 150_000; st += 2_500) {
  scheduleRows.push({ step: st, C: bvae.capacityAt(st, 30, 100_000), preset: "report: Cmax 30, gamma 100" });
  scheduleRows.push({ step: st, C: bvae.capacityAt(st, 25, 100_000), preset: "Burgess et al.: Cmax 25, gamma 1000" });
}
await bvae.showChart(bvae.lineChart({ data: scheduleRows, x: "step", y: "C", color: "preset", title: "Capacity target C over training", yTitle: "C (nats)", colorTitle: "" }), "theory-capacity-schedule");
bvae.check("C rises linearly, then stays at Cmax", bvae.capacityAt(50_000, 30, 100_000) === 15 && bvae.capacityAt(1e6, 30, 100_000) === 30);""")
md(r"""## Figure 1 · Posterior overlap, KL and reconstruction (Burgess et al. 2018)

Two data points $x_1, x_2$ are encoded as $q(z|x_1) = \mathcal{N}(-d/2, \sigma^2)$ and $q(z|x_2) = \mathcal{N}(d/2, \sigma^2)$.
Bringing the means together (smaller $d$) or broadening the posteriors (larger $\sigma$) lowers the KL to the prior,
but makes the posteriors overlap: a sample $\tilde z$ drawn from $q(z|x_2)$ becomes more likely under $q(z|x_1)$,
with probability $\Phi(-d / 2\sigma)$, and even the best decoder then pays a reconstruction cost of
$H(x\,|\,z)$ nats (up to $\log 2$ when the posteriors coincide). The charts below are computed from these formulas,
the confusion probability is checked by sampling.""")
code(r"""const sdFixed = 0.5, dFixed = 2;
const illus = [];
for (const [label, d, sd] of [["far apart, narrow", 3, 0.4], ["closer", 1.5, 0.4], ["closer and broader", 1.5, 0.8]] as const) {
  const p = bvae.twoPosteriors(d, sd);
  const setting = `${label}: KL ${p.kl.toFixed(2)}, P(confuse) ${p.pConfuse.toFixed(3)}`;
  for (let z = -3.5; z <= 3.5001; z += 0.05) {
    illus.push({ z, density: bvae.normalPdf(z, -d / 2, sd), posterior: "q(z|x1)", setting });
    illus.push({ z, density: bvae.normalPdf(z, d / 2, sd), posterior: "q(z|x2)", setting });
    illus.push({ z, density: bvae.normalPdf(z), posterior: "prior p(z)", setting });
  }
}
await bvae.showChart(bvae.lineChart({ data: illus, x: "z", y: "density", color: "posterior", column: "setting", width: 220, height: 160, title: "Figure 1 (a): two posteriors in a 1-D latent space", colorTitle: "" }), "fig1-posteriors");
const bySep = [], bySd = [];
for (let d = 0; d <= 4.0001; d += 0.1) {
  const p = bvae.twoPosteriors(d, sdFixed);
  bySep.push({ d, value: p.kl, quantity: "KL to prior (nats)" }, { d, value: p.pConfuse, quantity: "P(confuse x2 with x1)" }, { d, value: p.reconCost, quantity: "reconstruction cost H(x|z) (nats)" });
}
for (let sd = 0.1; sd <= 1.5001; sd += 0.05) {
  const p = bvae.twoPosteriors(dFixed, sd);
  bySd.push({ sd, value: p.kl, quantity: "KL to prior (nats)" }, { sd, value: p.pConfuse, quantity: "P(confuse x2 with x1)" }, { sd, value: p.reconCost, quantity: "reconstruction cost H(x|z) (nats)" });
}
await bvae.showChart(bvae.sideBySide([
  bvae.lineChart({ data: bySep, x: "d", y: "value", color: "quantity", xTitle: "distance d between posterior means (sigma = 0.5)", yTitle: "", width: 300 }),
  bvae.lineChart({ data: bySd, x: "sd", y: "value", color: "quantity", xTitle: "posterior sd sigma (d = 2)", yTitle: "", width: 300 }),
], "Figure 1 (b): less KL means more overlap, more confusion and a higher reconstruction cost"), "fig1-overlap-kl-reconstruction");""")
code(r"""const series = (rows: any[], q: string) => rows.filter(r => r.quantity === q).map(r => r.value as number);
const increasing = (v: number[]) => v.every((a, i) => i === 0 || a >= v[i - 1] - 1e-12);
const decreasing = (v: number[]) => v.every((a, i) => i === 0 || a <= v[i - 1] + 1e-12);
bvae.check("moving the means together lowers the KL", increasing(series(bySep, "KL to prior (nats)")));
bvae.check("... and raises the chance of confusion and the reconstruction cost", decreasing(series(bySep, "P(confuse x2 with x1)")) && decreasing(series(bySep, "reconstruction cost H(x|z) (nats)")));
const klSd = series(bySd, "KL to prior (nats)");
bvae.check("broadening the posteriors (up to sigma = 1) lowers the KL", decreasing(klSd.slice(0, 19)));
bvae.check("... and raises the chance of confusion", increasing(series(bySd, "P(confuse x2 with x1)")));
const coincide = bvae.twoPosteriors(0, 1);
bvae.check("coinciding posteriors cost log 2 nats and are confused half the time", Math.abs(coincide.reconCost - Math.log(2)) < 1e-6 && Math.abs(coincide.pConfuse - 0.5) < 1e-6, coincide);
for (const [d, sd] of [[1, 0.5], [2, 0.8]]) {
  const mcP = bvae.confusionMonteCarlo(d, sd, mcSamples, rng), exact = bvae.twoPosteriors(d, sd).pConfuse;
  bvae.check(`confusion probability by sampling matches Phi(-d/2 sigma) at d = ${d}, sigma = ${sd}`, Math.abs(mcP - exact) < 4 * Math.sqrt(exact * (1 - exact) / mcSamples) + 1e-3, { sampled: mcP, exact: exact });
}
tf.dispose([zMean, zLogVar, eps, m0, l0, logits, images]);""")
md(r"""## What this notebook established

- The ELBO bounds $\log p(x)$ and is tight at the true posterior (closed form and Monte Carlo agree).
- The closed-form KL that the training objective uses equals a Monte Carlo estimate.
- Gradients through the reparameterised sample are correct (finite differences, exact values).
- VAE, beta-VAE and capacity increase share the reconstruction term and differ only in the regulariser.
- Burgess et al.'s Figure 1: lowering the KL by moving posteriors together or broadening them increases their
  overlap, the chance of confusing data points and the reconstruction cost of the best decoder; this is the
  pressure that makes beta-VAE align nearby data points along few latent directions.""")
nb(cells, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "notebooks", "00-theory.ipynb"))
