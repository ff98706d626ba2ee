/**
 * Presets: one TrainConfig per experiment of the report (targets.md), at four profiles.
 *
 * Profiles (steps at batch 64 unless stated):
 * - smoke: 20 steps at batch 32 -- seconds; checks that everything runs (tests, `make test`).
 * - cpu:   5,000 steps -- under an hour per model on a laptop CPU at >= 100 images/s. Too short for
 *          the report's findings (targets.md: at 3,000 steps nothing is disentangled yet).
 * - long:  100,000 steps -- the field's usual length; hours per model here, trained in the
 *          background and resumed across sessions.
 * - paper: the published schedule (1.5M steps; 2M for the report's capacity run), for a GPU.
 *
 * Capacity schedule: the papers ramp C from 0 to Cmax over cStopStep = 100,000 steps of a
 * 1.5M-2M step run. A profile shorter than that ramps over min(100,000, steps / 2): C reaches Cmax
 * half-way and the second half trains at full capacity (keeping the paper's 1/15 ratio instead
 * would ramp over 6,700 steps at the long profile, faster than the decoder can follow).
 */
import type { Profile } from "../profile";
import { currentProfile, PROFILES } from "../profile";
import type { Regulariser } from "../models/objectives";
import { makeConfig, mergeOptimizer, type ConfigOverrides, type TrainConfig } from "./config";
import { DEFAULT_ADAGRAD } from "./adagrad";

export type PresetName =
  | "dsprites-vae"
  | "dsprites-beta"
  | "dsprites-capacity-report"
  | "dsprites-capacity-paper"
  | "dsprites-beta-mlp"
  | "dsprites-vae-z5"
  | "dsprites-capacity-z5"
  | "chairs-beta"
  | "celeba-beta"
  | "chairs3d-beta"
  | "faces3d-beta";

export interface Preset {
  readonly name: PresetName;
  /** What it reproduces. */
  readonly description: string;
  /** Everything but the profile-dependent fields (profile, steps, batch size, history spacing). */
  readonly base: Omit<TrainConfig, "preset" | "profile" | "steps" | "historyEvery">;
  /** Steps of the published schedule (the paper profile). */
  readonly paperSteps: number;
}

/** What a profile sets, for every preset. */
export interface ProfileSettings {
  /** Steps (undefined: the preset's paperSteps). */
  readonly steps?: number;
  /** Overrides the preset's batch size (smoke only). */
  readonly batchSize?: number;
  readonly historyEvery: number;
  /** Checkpoint spacing the CLI and notebooks use (not part of the run's key). */
  readonly checkpointEvery: number;
}

export const PROFILE_SETTINGS: Readonly<Record<Profile, ProfileSettings>> = {
  smoke: { steps: 20, batchSize: 32, historyEvery: 2, checkpointEvery: 10 },
  cpu: { steps: 5_000, historyEvery: 25, checkpointEvery: 500 },
  long: { steps: 100_000, historyEvery: 200, checkpointEvery: 2_000 },
  paper: { historyEvery: 1_000, checkpointEvery: 10_000 },
};

/** The papers' capacity ramp length (Burgess et al. 2018; the report). */
export const PAPER_C_STOP = 100_000;

const DSPRITES = {
  dataset: "dsprites",
  architecture: "burgess",
  numLatents: 10,
  decoder: "bernoulli",
  batchSize: 64,
  heldOut: 10_000,
  optimizer: { learningRate: 5e-4, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  seed: 1,
} as const;

const capacity = (gamma: number, cMax: number): Regulariser => ({ kind: "capacity", gamma, cMax, cStopStep: PAPER_C_STOP });

const LIST: readonly Preset[] = [
  // The report trained its VAE and beta-VAE on the H network (Higgins et al.'s 3D Chairs network);
  // the runs shipped before that switch are the same presets with { architecture: "burgess" }.
  {
    name: "dsprites-vae",
    description: "VAE on dSprites, z = 10, the report's H network (report Fig 2, 6, 7, 9; Table 1 VAE 11.28); --arch burgess: the shipped Burgess-network runs",
    base: { ...DSPRITES, architecture: "chairs", regulariser: { kind: "vae" } },
    paperSteps: 1_500_000,
  },
  {
    name: "dsprites-beta",
    description: "beta-VAE, beta = 4, on dSprites, the report's H network (report Fig 2, 8; Table 1 beta-VAE[Higgins] 23.77); --arch burgess: the shipped Burgess-network runs",
    base: { ...DSPRITES, architecture: "chairs", regulariser: { kind: "beta", beta: 4 } },
    paperSteps: 1_500_000,
  },
  {
    name: "dsprites-capacity-report",
    description: "capacity increase as the report ran it: gamma = 100, C 0 -> 30 nats (Fig 3, 4; Table 1 beta-VAE[Burgess] 17.44)",
    base: { ...DSPRITES, regulariser: capacity(100, 30) },
    paperSteps: 2_000_000,
  },
  { name: "dsprites-capacity-paper", description: "capacity increase as Burgess et al. 2018: gamma = 1000, C 0 -> 25 nats", base: { ...DSPRITES, regulariser: capacity(1000, 25) }, paperSteps: 1_500_000 },
  {
    name: "dsprites-beta-mlp",
    description: "beta-VAE, beta = 4, on Higgins et al.'s own dSprites network: MLP 1200-1200 ReLU encoder, 1200-1200-1200 tanh decoder, Adagrad 1e-2 (the report's network-size hypothesis)",
    base: { ...DSPRITES, architecture: "mlp", optimizer: DEFAULT_ADAGRAD, regulariser: { kind: "beta", beta: 4 } },
    paperSteps: 1_500_000,
  },
  { name: "dsprites-vae-z5", description: "5-latent VAE (report appendix)", base: { ...DSPRITES, numLatents: 5, regulariser: { kind: "vae" } }, paperSteps: 1_500_000 },
  { name: "dsprites-capacity-z5", description: "5-latent capacity increase, gamma = 100, C 0 -> 30 (report appendix)", base: { ...DSPRITES, numLatents: 5, regulariser: capacity(100, 30) }, paperSteps: 2_000_000 },
  {
    name: "chairs-beta",
    description: "beta-VAE, beta = 4, on 3D Chairs, Gaussian decoder (report Fig 5a, Table 3)",
    base: { ...DSPRITES, dataset: "chairs", architecture: "chairs", decoder: "gaussian", heldOut: 1_000, optimizer: { ...DSPRITES.optimizer, learningRate: 1e-4 }, regulariser: { kind: "beta", beta: 4 } },
    paperSteps: 1_500_000,
  },
  {
    name: "celeba-beta",
    description: "beta-VAE, beta = 10, on CelebA, Gaussian decoder (report Fig 5b, Table 2)",
    base: { ...DSPRITES, dataset: "celeba", architecture: "chairs", decoder: "gaussian", heldOut: 1_000, optimizer: { ...DSPRITES.optimizer, learningRate: 1e-4 }, regulariser: { kind: "beta", beta: 10 } },
    paperSteps: 1_500_000,
  },
  // The rendered stand-ins (lib/data/chairs3d.ts, faces3d.ts): chairs-beta / celeba-beta's settings
  // on data with known factors; about 10% of the images held out.
  {
    name: "chairs3d-beta",
    description: "beta-VAE, beta = 4, on rendered chairs3d (7,936 images, known factors), Gaussian decoder (stand-in for Fig 5a, Table 3)",
    base: { ...DSPRITES, dataset: "chairs3d", architecture: "chairs", decoder: "gaussian", heldOut: 800, optimizer: { ...DSPRITES.optimizer, learningRate: 1e-4 }, regulariser: { kind: "beta", beta: 4 } },
    paperSteps: 1_500_000,
  },
  {
    name: "faces3d-beta",
    description: "beta-VAE, beta = 10, on rendered faces3d (19,440 images, known factors), Gaussian decoder (stand-in for Fig 5b, Table 2)",
    base: { ...DSPRITES, dataset: "faces3d", architecture: "chairs", decoder: "gaussian", heldOut: 2_000, optimizer: { ...DSPRITES.optimizer, learningRate: 1e-4 }, regulariser: { kind: "beta", beta: 10 } },
    paperSteps: 1_500_000,
  },
];

export const PRESETS: Readonly<Record<PresetName, Preset>> = Object.fromEntries(LIST.map((p) => [p.name, p])) as Record<PresetName, Preset>;
export const PRESET_NAMES: readonly PresetName[] = LIST.map((p) => p.name);

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** C's ramp for a run of `steps` steps: the paper's, or half the run if that is shorter. */
export function scaledCapacityStop(paperStop: number, steps: number): number {
  return Math.min(paperStop, Math.round(steps / 2));
}

/**
 * The TrainConfig of a preset at a profile, with overrides (e.g. {architecture: "chairs"} for the
 * report's network, {seed: 2}, {steps: 20000}). A capacity ramp is scaled to the final step count
 * unless the overrides give a regulariser.
 */
export function presetConfig(name: PresetName, profile: Profile = currentProfile(), overrides: ConfigOverrides = {}): TrainConfig {
  const preset = PRESETS[name];
  if (!preset) throw new Error(`unknown preset "${String(name)}"; presets: ${PRESET_NAMES.join(", ")}`);
  if (!PROFILES.includes(profile)) throw new Error(`unknown profile "${String(profile)}"; profiles: ${PROFILES.join(", ")}`);
  const p = PROFILE_SETTINGS[profile];
  const steps = overrides.steps ?? p.steps ?? preset.paperSteps;
  let regulariser = preset.base.regulariser;
  if (regulariser.kind === "capacity") regulariser = { ...regulariser, cStopStep: scaledCapacityStop(regulariser.cStopStep, steps) };
  return makeConfig({
    ...preset.base,
    preset: name,
    profile,
    steps,
    batchSize: p.batchSize ?? preset.base.batchSize,
    historyEvery: p.historyEvery,
    regulariser,
    ...overrides,
    optimizer: mergeOptimizer(preset.base.optimizer, overrides.optimizer),
  });
}
