/**
 * The charts the notebooks draw, built by the same calls with stand-in data of the same shape and
 * the same labels (long run labels, 10 latents, 5 metric panels, 6 known-answer codes): what
 * tests/charts/width.test.ts lays out and measures.
 */
import type { VegaLiteSpec } from "../../lib/charts/spec";
import { lineChart, sideBySide } from "../../lib/charts/line";
import { barChart, klTotalChart, perLatentChart, reconChart, varianceComparisonChart } from "../../lib/charts/training";
import { sweepChart } from "../../lib/charts/sweep";

/** A training history of `steps` rows, `z` latents, reconstruction from ~2,800 down to ~30 nats. */
export function fakeHistory(steps: number, z = 10, capacity = false) {
  return Array.from({ length: steps }, (_, i) => {
    const s = i * 10;
    return {
      step: s,
      recon: 30 + 2800 * Math.exp(-s / 150),
      kl: 20 * (1 - Math.exp(-s / 800)),
      capacity: capacity ? Math.min(30, s / 100) : 0,
      klPerLatent: Array.from({ length: z }, (_, j) => (j % 3 === 0 ? 1e-4 : (j + 1) * (1 - Math.exp(-s / (200 * (j + 1)))))),
      mu: Array.from({ length: z }, (_, j) => Math.sin(s / 500 + j) * 0.1),
      muSd: Array.from({ length: z }, (_, j) => (j % 3 === 0 ? 0.01 : 1)),
      var: Array.from({ length: z }, (_, j) => (j % 3 === 0 ? 1 : Math.exp(-s / (300 * (j + 1))))),
    };
  });
}

const METRICS = ["higgins", "factorvae", "mig", "dci", "sap"];
const PRESETS = ["dsprites-vae", "dsprites-beta", "dsprites-capacity-report"];

/** [figure name, spec] for every chart the notebooks show. */
export function notebookCharts(): [string, VegaLiteSpec][] {
  const h = fakeHistory(500);
  const cap = fakeHistory(500, 10, true);
  const z5 = fakeHistory(300, 5);
  const curves = ["ELBO (closed form)", "ELBO (Monte Carlo)", "log p(x)"];
  const elbo = Array.from({ length: 31 }, (_, i) => curves.map((curve, k) => ({ qMean: -1 + i / 10, value: -3 + k * 0.1 - (i - 13) ** 2 / 100, curve }))).flat();
  const schedule = Array.from({ length: 61 }, (_, i) => [
    { step: i * 2500, C: Math.min(30, (i * 2500 * 30) / 100000), preset: "report: Cmax 30, gamma 100" },
    { step: i * 2500, C: Math.min(25, (i * 2500 * 25) / 100000), preset: "Burgess et al.: Cmax 25, gamma 1000" },
  ]).flat();
  const settings = ["far apart, narrow: KL 14.06, P(confuse) 0.000", "closer: KL 7.03, P(confuse) 0.030", "closer and broader: KL 2.29, P(confuse) 0.174"];
  const illus = settings.flatMap((setting) => Array.from({ length: 141 }, (_, i) => ["q(z|x1)", "q(z|x2)", "prior p(z)"].map((posterior) => ({ z: -3.5 + i * 0.05, density: Math.exp(-((i - 70) ** 2) / 400), posterior, setting }))).flat());
  const quantities = ["KL to prior (nats)", "P(confuse x2 with x1)", "reconstruction cost H(x|z) (nats)"];
  const bySep = Array.from({ length: 41 }, (_, i) => quantities.map((quantity, k) => ({ d: i / 10, value: k + i / 40, quantity }))).flat();
  const bySd = Array.from({ length: 29 }, (_, i) => quantities.map((quantity, k) => ({ sd: 0.1 + i * 0.05, value: k + i / 30, quantity }))).flat();
  const codes = ["identity", "duplicated", "padded", "rotated", "random", "constant"];
  const known = codes.flatMap((c, i) => METRICS.map((metric, k) => ({ codes: c, metric, score: ((i + k) % 5) / 5 })));
  const trained = PRESETS.flatMap((model, i) => METRICS.map((metric, k) => ({ model, metric, score: ((i + k) % 4) / 4 })));
  const overTraining = PRESETS.flatMap((model, i) => [500, 1000, 2500, 5000].flatMap((step) => METRICS.map((metric, k) => ({ model, step, metric, score: ((i + k + step / 500) % 7) / 7 }))));
  const runs3 = [{ label: "VAE", history: h }, { label: "beta-VAE (beta = 4)", history: h }, { label: "capacity (gamma 100, Cmax 30)", history: cap }];
  const both = [{ label: "report: gamma 100, Cmax 30", history: cap }, { label: "paper: gamma 1000, Cmax 25", history: cap }];
  const sweepRows = [1, 4, 16].flatMap((beta) => [1, 2, 3].map((seed) => ({ setting: `beta=${beta}`, seed, mig: beta / 20 + seed / 100 })));
  return [
    ["theory-elbo", lineChart({ data: elbo, x: "qMean", y: "value", color: "curve", title: "ELBO of q = N(m, v*) on a linear-Gaussian model (x = 1.3, s = 0.7)", xTitle: "mean m of q(z|x)", yTitle: "nats", colorTitle: "" })],
    ["theory-capacity-schedule", lineChart({ data: schedule, x: "step", y: "C", color: "preset", title: "Capacity target C over training", yTitle: "C (nats)", colorTitle: "" })],
    ["fig1-posteriors", lineChart({ data: illus, x: "z", y: "density", color: "posterior", column: "setting", width: 220, height: 160, title: "Figure 1 (a): two posteriors in a 1-D latent space", colorTitle: "" })],
    ["fig1-overlap-kl-reconstruction", sideBySide([
      lineChart({ data: bySep, x: "d", y: "value", color: "quantity", xTitle: "distance d between posterior means (sigma = 0.5)", yTitle: "", width: 300 }),
      lineChart({ data: bySd, x: "sd", y: "value", color: "quantity", xTitle: "posterior sd sigma (d = 2)", yTitle: "", width: 300 }),
    ], "Figure 1 (b): less KL means more overlap, more confusion and a higher reconstruction cost")],
    ["fig6-vae-reconstruction", reconChart([{ label: "VAE", history: h }], "Figure 6: VAE reconstruction loss on dSprites")],
    ["fig7-vae-kl-per-latent", perLatentChart(h, "klPerLatent", "Figure 7: VAE KL divergence per latent")],
    ["fig3a-capacity-reconstruction", sideBySide([reconChart([{ label: "capacity", history: cap }], "(a) reconstruction loss"), klTotalChart([{ label: "capacity", history: cap }], "total KL and target C")])],
    ["fig3d-capacity-posterior-variances", perLatentChart(cap, "var", "Figure 3 (d): posterior variance per latent (batch average)")],
    ["fig4-posterior-variance-comparison", varianceComparisonChart(runs3, "Figure 4: posterior variance per latent over training")],
    ["capacity-gamma100-vs-gamma1000", sideBySide([klTotalChart(both, "total KL and C"), reconChart(both, "reconstruction loss")])],
    ["capacity-gamma100-vs-gamma1000-kl-per-latent", sideBySide([perLatentChart(cap, "klPerLatent", "gamma 100, Cmax 30: KL per latent"), perLatentChart(cap, "klPerLatent", "gamma 1000, Cmax 25: KL per latent")])],
    ["metrics-known-answers", barChart({ data: known, x: "metric", y: "score", group: "codes", title: "Known answers: what each metric rewards", yTitle: "score", width: 520 })],
    ["metrics-trained-models", barChart({ data: trained, x: "metric", y: "score", group: "model", title: "Trained models on every metric", width: 420 })],
    ["metrics-over-training", lineChart({ data: overTraining, x: "step", y: "score", color: "model", column: "metric", columnSort: METRICS, points: true, width: 150, height: 170, title: "Disentanglement over training (stored scores of each run)" })],
    ["appendix-z5-kl-per-latent", sideBySide([perLatentChart(z5, "klPerLatent", "5-latent VAE: KL per latent"), perLatentChart(z5, "klPerLatent", "5-latent capacity (gamma 100, Cmax 30): KL per latent")])],
    ["sweep-strip", sweepChart({ rows: sweepRows, value: "mig", title: "mig per setting, beta-seeds: seeds as points, mean and ±1 sd", xTitle: "setting", yTitle: "mig" })],
    ["sweep-violin", sweepChart({ rows: sweepRows, value: "mig", kind: "violin" })],
  ];
}
