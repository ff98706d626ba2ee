/** One colour per model and per latent across charts (charts/palette.ts). */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { latentColor, modelColor, modelFamily, paletteScale, LATENT_COLORS, MODEL_COLORS } from "../../lib/charts/palette";
import { barChart, klTotalChart, perLatentChart, reconChart } from "../../lib/charts/training";
import { lineChart } from "../../lib/charts/line";
import { fakeHistory } from "./notebook-charts";

test("run labels, preset names and report settings name the same model families", () => {
  const cases: [string, string][] = [
    ["VAE", "vae"], ["dsprites-vae", "vae"], ["5-latent VAE", "vae"], ["dsprites-vae-z5", "vae"],
    ["beta-VAE (beta = 4)", "beta"], ["dsprites-beta", "beta"], ["beta-VAE [Higgins] (beta = 4)", "beta"],
    ["capacity (gamma 100, Cmax 30)", "capacity"], ["dsprites-capacity-report", "capacity"], ["beta-VAE [Burgess] (capacity, gamma 100, Cmax 30)", "capacity"],
    ["report: gamma 100, Cmax 30", "capacity"], ["5-latent capacity", "capacity"],
    ["paper: gamma 1000, Cmax 25", "capacity-paper"], ["dsprites-capacity-paper", "capacity-paper"], ["Burgess et al.: Cmax 25, gamma 1000", "capacity-paper"],
    ["untrained VAE", "untrained"],
  ];
  for (const [label, family] of cases) assert.equal(modelFamily(label), family, label);
  for (const other of ["identity", "random", "ELBO (closed form)", "z3", "pixels"]) assert.equal(modelFamily(other), undefined, other);
  assert.equal(new Set(MODEL_COLORS.map((m) => m.color)).size, MODEL_COLORS.length, "each family its own colour");
});

test("paletteScale: latents by index, models by family, the rest in order without the models' colours", () => {
  assert.deepEqual(paletteScale(["z0", "z3", "z1"]).range, [LATENT_COLORS[0], LATENT_COLORS[3], LATENT_COLORS[1]]);
  assert.equal(latentColor(12), LATENT_COLORS[12]);
  assert.throws(() => latentColor(-1), /non-negative integer/);
  // The VAE keeps its colour whether it comes first or last, whatever else is in the chart.
  const a = paletteScale(["VAE", "beta-VAE (beta = 4)"]);
  const b = paletteScale(["identity", "beta-VAE (beta = 4)", "dsprites-vae"]);
  assert.equal(a.range[0], modelColor("VAE"));
  assert.equal(b.range[2], a.range[0]);
  assert.equal(b.range[1], a.range[1]);
  // A series that names no model never takes a model's colour, even one absent from its chart.
  const models = new Set(MODEL_COLORS.map((m) => m.color));
  const others = paletteScale(["identity", "duplicated", "padded", "rotated", "random", "constant"]);
  assert.equal(others.range.filter((c) => models.has(c)).length, 0, others.range.join(", "));
  assert.equal(new Set(others.range).size, 6, "six distinct colours");
  assert.ok(!models.has(b.range[0]));
});

/** The colour a spec gives a series, from its colour scale (top level, a layer, or a facet's spec). */
function colourOf(spec: unknown, label: string): string | undefined {
  const s = spec as Record<string, any>;
  const unit = s.spec ?? s;
  for (const l of unit.layer ?? [unit]) {
    const scale = l.encoding?.color?.scale;
    if (scale) return scale.range[scale.domain.indexOf(label)];
  }
  return undefined;
}

test("the same model and latent have the same colour in every chart", () => {
  const h = fakeHistory(20);
  const vae = modelColor("VAE");
  assert.ok(vae);
  assert.equal(colourOf(reconChart([{ label: "beta-VAE (beta = 4)", history: h }, { label: "VAE", history: h }], "r"), "VAE"), vae);
  assert.equal(colourOf(klTotalChart([{ label: "VAE", history: h }], "k"), "VAE"), vae);
  assert.equal(colourOf(barChart({ data: [{ m: "mig", s: 1, model: "dsprites-vae" }, { m: "mig", s: 2, model: "dsprites-beta" }], x: "m", y: "s", group: "model" }), "dsprites-vae"), vae);
  assert.equal(colourOf(lineChart({ data: [{ step: 1, v: 1, model: "dsprites-vae", metric: "mig" }], x: "step", y: "v", color: "model", column: "metric" }), "dsprites-vae"), vae);
  assert.equal(colourOf(perLatentChart(h, "klPerLatent", "t"), "z3"), LATENT_COLORS[3]);
});
