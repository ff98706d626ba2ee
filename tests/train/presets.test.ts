/** Presets: every experiment of the report at every profile, with the published hyperparameters. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { PRESET_NAMES, PROFILE_SETTINGS, presetConfig, scaledCapacityStop, type PresetName } from "../../lib/train/presets";
import { PROFILES } from "../../lib/profile";
import { runKey } from "../../lib/runs";
import type { AdamConfig } from "../../lib/train/adam";
import { DATASETS, type ConfigOverrides } from "../../lib/train/config";

const adam = (c: { optimizer: unknown }): AdamConfig => c.optimizer as AdamConfig;

test("every preset gives a valid config at every profile, each with its own key", () => {
  const keys = new Set<string>();
  for (const name of PRESET_NAMES) {
    for (const profile of PROFILES) {
      const c = presetConfig(name, profile);
      assert.equal(c.preset, name);
      assert.equal(c.profile, profile);
      keys.add(runKey(c));
    }
  }
  assert.equal(keys.size, PRESET_NAMES.length * PROFILES.length);
});

test("published hyperparameters (targets.md)", () => {
  const vae = presetConfig("dsprites-vae", "long");
  assert.deepEqual(
    [vae.dataset, vae.architecture, vae.numLatents, vae.decoder, vae.batchSize, vae.optimizer.learningRate, adam(vae).beta1, adam(vae).beta2, vae.steps],
    ["dsprites", "chairs", 10, "bernoulli", 64, 5e-4, 0.9, 0.999, 100_000],
  );
  assert.deepEqual(vae.regulariser, { kind: "vae" });
  assert.deepEqual(presetConfig("dsprites-beta", "cpu").regulariser, { kind: "beta", beta: 4 });
  assert.equal(presetConfig("dsprites-beta", "cpu").architecture, "chairs", "the report's H network");
  for (const p of ["dsprites-capacity-report", "dsprites-capacity-paper", "dsprites-vae-z5", "dsprites-capacity-z5"] as const) {
    assert.equal(presetConfig(p, "cpu").architecture, "burgess", p);
  }
  assert.deepEqual(presetConfig("dsprites-capacity-report", "paper").regulariser, { kind: "capacity", gamma: 100, cMax: 30, cStopStep: 100_000 });
  assert.equal(presetConfig("dsprites-capacity-report", "paper").steps, 2_000_000);
  assert.deepEqual(presetConfig("dsprites-capacity-paper", "paper").regulariser, { kind: "capacity", gamma: 1000, cMax: 25, cStopStep: 100_000 });
  assert.equal(presetConfig("dsprites-vae-z5", "cpu").numLatents, 5);
  assert.equal(presetConfig("dsprites-capacity-z5", "cpu").numLatents, 5);
  const chairs = presetConfig("chairs-beta", "cpu");
  assert.deepEqual([chairs.decoder, chairs.architecture, chairs.optimizer.learningRate, chairs.regulariser], ["gaussian", "chairs", 1e-4, { kind: "beta", beta: 4 }]);
  const mlp = presetConfig("dsprites-beta-mlp", "long");
  assert.deepEqual([mlp.architecture, mlp.decoder, mlp.regulariser, mlp.optimizer], ["mlp", "bernoulli", { kind: "beta", beta: 4 }, { kind: "adagrad", learningRate: 1e-2, epsilon: 1e-10, initialAccumulator: 0 }]);
  const celeba = presetConfig("celeba-beta", "cpu");
  assert.deepEqual([celeba.decoder, celeba.regulariser], ["gaussian", { kind: "beta", beta: 10 }]);
});

test("profiles: smoke is tiny, cpu 5k, long 100k, paper the published schedule; C's ramp is scaled", () => {
  assert.equal(presetConfig("dsprites-vae", "smoke").steps, PROFILE_SETTINGS.smoke.steps);
  assert.equal(presetConfig("dsprites-vae", "cpu").steps, 5_000);
  assert.equal(presetConfig("dsprites-vae", "paper").steps, 1_500_000);
  const cap = (p: "smoke" | "cpu" | "long") => presetConfig("dsprites-capacity-report", p).regulariser;
  assert.deepEqual(cap("cpu"), { kind: "capacity", gamma: 100, cMax: 30, cStopStep: 2_500 });
  assert.deepEqual(cap("long"), { kind: "capacity", gamma: 100, cMax: 30, cStopStep: 50_000 });
  assert.equal(scaledCapacityStop(100_000, 2_000_000), 100_000);
  // --steps rescales the ramp too.
  assert.deepEqual(presetConfig("dsprites-capacity-paper", "long", { steps: 300_000 }).regulariser, { kind: "capacity", gamma: 1000, cMax: 25, cStopStep: 100_000 });
});

test("overrides: the report's architecture, a seed, one optimizer field", () => {
  const c = presetConfig("chairs-beta", "cpu", { architecture: "burgess", seed: 7, optimizer: { beta1: 0.5 } });
  assert.equal(c.architecture, "burgess");
  assert.equal(c.seed, 7);
  assert.equal(c.optimizer.learningRate, 1e-4, "the preset's learning rate is kept");
  assert.equal(adam(c).beta1, 0.5);
  assert.throws(() => presetConfig("nope" as "dsprites-vae", "cpu"), /unknown preset "nope"/);
});

test("optimizer overrides: a field of the preset's optimiser merges; another kind replaces it; a foreign field is refused", () => {
  const lr = presetConfig("dsprites-beta-mlp", "cpu", { optimizer: { learningRate: 5e-3 } });
  assert.deepEqual(lr.optimizer, { kind: "adagrad", learningRate: 5e-3, epsilon: 1e-10, initialAccumulator: 0 });
  const adagrad = presetConfig("dsprites-beta", "cpu", { optimizer: { kind: "adagrad", learningRate: 1e-2, epsilon: 1e-10, initialAccumulator: 0 } });
  assert.deepEqual(adagrad.optimizer, { kind: "adagrad", learningRate: 1e-2, epsilon: 1e-10, initialAccumulator: 0 });
  assert.throws(() => presetConfig("dsprites-beta-mlp", "cpu", { optimizer: { beta1: 0.5 } }), /optimizer\.beta1: expected one of kind, learningRate, epsilon, initialAccumulator for Adagrad/);
  assert.throws(() => presetConfig("dsprites-beta", "cpu", { optimizer: { kind: "sgd" } as never }), /optimizer\.kind/);
});

/** runKey at smoke, cpu, long, paper, computed on main before chairs3d / faces3d were added
 * (dsprites-beta-mlp: on main at 4fd4cc8, where it had been added meanwhile). */
const KEYS_BEFORE: Record<string, string[]> = {
  "dsprites-vae": ["fdacdabff0", "9928601b00", "0d6310ebff", "b12cd388a0"],
  "dsprites-beta": ["b84579516a", "553b21b18b", "513b5bc037", "57006cfb15"],
  "dsprites-capacity-report": ["ce179f8a96", "02ab6836a4", "17792d2c2d", "e0711b0203"],
  "dsprites-capacity-paper": ["8a749de957", "d14347995f", "6d12d5426b", "919b9d434e"],
  "dsprites-beta-mlp": ["f35c443312", "0c13a33ff4", "e5717c96ed", "0bffa12fb3"],
  "dsprites-vae-z5": ["a1e97dde60", "429b67aaa2", "7d8059b7bf", "102936bb98"],
  "dsprites-capacity-z5": ["634ff0984e", "d6bd8da8b6", "cec2c6ca36", "de2ea86beb"],
  "chairs-beta": ["4ec5534c13", "33c7d774c2", "32f9caf1e4", "f87d1bfc0c"],
  "celeba-beta": ["e2846f839f", "15fcdfb588", "9a31c57c86", "34fcc3c49b"],
};

/** The presets moved to the H network (issue 16): their shipped Burgess-network runs are asked with this. */
const MOVED: Record<string, ConfigOverrides> = { "dsprites-vae": { architecture: "burgess" }, "dsprites-beta": { architecture: "burgess" } };

test("adding presets and moving the VAE and beta-VAE to the H network changes no earlier run key", () => {
  assert.deepEqual([...PROFILES], ["smoke", "cpu", "long", "paper"]);
  for (const [name, keys] of Object.entries(KEYS_BEFORE)) {
    assert.deepEqual(PROFILES.map((p) => runKey(presetConfig(name as PresetName, p, MOVED[name]))), keys, name);
  }
  assert.deepEqual(PRESET_NAMES.slice(0, Object.keys(KEYS_BEFORE).length), Object.keys(KEYS_BEFORE), "earlier presets keep their order");
  // The H-network long runs were started as `bvae train dsprites-vae|dsprites-beta --profile long --arch chairs`
  // before the switch (runs/.partial/dsprites-vae-long-773c541a5e, dsprites-beta-long-16a0a40aee): the same keys.
  assert.equal(runKey(presetConfig("dsprites-vae", "long")), "773c541a5e");
  assert.equal(runKey(presetConfig("dsprites-beta", "long")), "16a0a40aee");
  assert.equal(runKey(presetConfig("dsprites-vae", "long", { architecture: "chairs" })), "773c541a5e");
});

test("an override naming no config field is refused, not hashed into a new key", () => {
  assert.throws(() => presetConfig("dsprites-vae", "cpu", { arch: "burgess" } as unknown as ConfigOverrides), /TrainConfig has no field "arch"; fields: preset, profile, dataset, architecture/);
});

test("chairs3d-beta and faces3d-beta: chairs-beta's settings (H network, Gaussian decoder, lr 1e-4) on the rendered sets", () => {
  const chairs = presetConfig("chairs3d-beta", "cpu");
  assert.deepEqual([chairs.dataset, chairs.architecture, chairs.decoder, chairs.optimizer.learningRate, chairs.batchSize, chairs.numLatents, chairs.heldOut], ["chairs3d", "chairs", "gaussian", 1e-4, 64, 10, 800]);
  assert.deepEqual(chairs.regulariser, { kind: "beta", beta: 4 });
  const faces = presetConfig("faces3d-beta", "cpu");
  assert.deepEqual([faces.dataset, faces.architecture, faces.decoder, faces.optimizer.learningRate, faces.heldOut], ["faces3d", "chairs", "gaussian", 1e-4, 2000]);
  assert.deepEqual(faces.regulariser, { kind: "beta", beta: 10 });
  // the same as the real-data presets but for the dataset and the held-out count
  const strip = (c: ReturnType<typeof presetConfig>) => ({ ...c, preset: "", dataset: "", heldOut: 0 });
  assert.deepEqual(strip(chairs), strip(presetConfig("chairs-beta", "cpu")));
  assert.deepEqual(strip(faces), strip(presetConfig("celeba-beta", "cpu")));
  assert.ok(DATASETS.includes("chairs3d") && DATASETS.includes("faces3d"));
});
