/**
 * TrainConfig: everything that determines a trained run, and nothing else. A run is keyed by a
 * hash of this object (lib/runs/key.ts), so two equal configs give the same run folder; how often to
 * checkpoint or print progress lives in TrainOptions (lib/runs/train-or-load.ts) and does not change the key.
 */
import type { Regulariser, DecoderDistribution } from "../models/objectives";
import type { Profile } from "../profile";
import { PROFILES } from "../profile";
import { ARCHITECTURES, type ArchitectureName } from "../models/types";
import { DEFAULT_ADAM, type AdamConfig } from "./adam";
import type { AdagradConfig } from "./adagrad";
import { isAdagrad, type OptimizerConfig } from "./optimizer";

/** Datasets a config can name. "toy" is the tiny square dataset of lib/data/toy.ts (tests);
 * "chairs3d" / "faces3d" are rendered by lib/data (stand-ins for 3D Chairs / CelebA with known factors). */
export type DatasetName = "dsprites" | "toy" | "chairs" | "celeba" | "chairs3d" | "faces3d";
export const DATASETS: readonly DatasetName[] = ["dsprites", "toy", "chairs", "celeba", "chairs3d", "faces3d"];

export interface TrainConfig {
  /** Preset name ("custom" when built by hand); the first part of the run folder's name. */
  readonly preset: string;
  /** The profile this config was made for (part of the key, and of the folder's name). */
  readonly profile: Profile;
  readonly dataset: DatasetName;
  /** Default "burgess" (the fastest conv net); the report used "chairs" on dSprites. */
  readonly architecture: ArchitectureName;
  /** 10 in the report; 5 in its appendix. */
  readonly numLatents: number;
  /** "bernoulli" for dSprites, "gaussian" for CelebA and Chairs. */
  readonly decoder: DecoderDistribution;
  /** VAE, beta-VAE (beta) or capacity increase (gamma, cMax, cStopStep). */
  readonly regulariser: Regulariser;
  /** Number of optimiser updates. */
  readonly steps: number;
  /** 64 in the report and its sources. */
  readonly batchSize: number;
  /** Items of the fixed held-out split (lib/data/splits.ts) never trained on: 10,000 for dSprites
   * (what metrics and held-out reconstructions use); 0 trains on everything. */
  readonly heldOut: number;
  /** Adam (no `kind` field) or Adagrad (`kind: "adagrad"`). */
  readonly optimizer: OptimizerConfig;
  /** Seeds the weights, the data order and the reparameterisation noise (all functions of (seed, step)). */
  readonly seed: number;
  /** A history row every this many steps (and at the last step). */
  readonly historyEvery: number;
  /**
   * Where the images come from when it is not the dataset's default: "dsprites-file:<16 hex of the
   * SHA-256 of the file>" for dSprites read from the official file (lib/runs/data-source.ts fills it
   * in). Absent for the generator (and for the other datasets), so generator runs keep their keys.
   */
  readonly dataSource?: string;
}

export const DEFAULT_TRAIN: TrainConfig = {
  preset: "custom",
  profile: "cpu",
  dataset: "dsprites",
  architecture: "burgess",
  numLatents: 10,
  decoder: "bernoulli",
  regulariser: { kind: "vae" },
  steps: 3000,
  batchSize: 64,
  heldOut: 10_000,
  optimizer: DEFAULT_ADAM,
  seed: 0,
  historyEvery: 25,
};

function fail(field: string, expected: string, got: unknown): never {
  throw new Error(`TrainConfig.${field}: expected ${expected}, got ${JSON.stringify(got)}`);
}

const posInt = (v: unknown): boolean => typeof v === "number" && Number.isInteger(v) && v > 0;
const posNum = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v) && v > 0;

/** Checks every field; throws an error naming the field and what was expected. */
export function validateConfig(c: TrainConfig): TrainConfig {
  const fields = [...Object.keys(DEFAULT_TRAIN), "dataSource"];
  for (const k of Object.keys(c)) if (!fields.includes(k)) throw new Error(`TrainConfig has no field "${k}"; fields: ${fields.join(", ")}`);
  if (typeof c.preset !== "string" || !/^[A-Za-z0-9._-]+$/.test(c.preset)) fail("preset", "a name of letters, digits, . _ -", c.preset);
  if (!PROFILES.includes(c.profile)) fail("profile", PROFILES.join("|"), c.profile);
  if (!DATASETS.includes(c.dataset)) fail("dataset", DATASETS.join("|"), c.dataset);
  if (!ARCHITECTURES.includes(c.architecture)) fail("architecture", ARCHITECTURES.join("|"), c.architecture);
  if (!posInt(c.numLatents)) fail("numLatents", "a positive integer", c.numLatents);
  if (c.decoder !== "bernoulli" && c.decoder !== "gaussian") fail("decoder", "bernoulli|gaussian", c.decoder);
  const r = c.regulariser;
  switch (r?.kind) {
    case "vae":
      break;
    case "beta":
      if (!posNum(r.beta)) fail("regulariser.beta", "a positive number", r.beta);
      break;
    case "capacity":
      if (!posNum(r.gamma)) fail("regulariser.gamma", "a positive number", r.gamma);
      if (!(typeof r.cMax === "number" && r.cMax >= 0)) fail("regulariser.cMax", "a number >= 0", r.cMax);
      if (!(typeof r.cStopStep === "number" && r.cStopStep >= 0)) fail("regulariser.cStopStep", "a number >= 0", r.cStopStep);
      break;
    default:
      fail("regulariser", '{kind: "vae"|"beta"|"capacity", ...}', r);
  }
  if (!posInt(c.steps)) fail("steps", "a positive integer", c.steps);
  if (!posInt(c.batchSize)) fail("batchSize", "a positive integer", c.batchSize);
  if (!(Number.isInteger(c.heldOut) && c.heldOut >= 0)) fail("heldOut", "an integer >= 0", c.heldOut);
  validateOptimizer(c.optimizer);
  if (!(Number.isInteger(c.seed) && c.seed >= 0 && c.seed < 2 ** 32)) fail("seed", "an integer in [0, 2^32)", c.seed);
  if (!posInt(c.historyEvery)) fail("historyEvery", "a positive integer", c.historyEvery);
  if (c.dataSource !== undefined && !(c.dataset === "dsprites" && typeof c.dataSource === "string" && /^dsprites-file:[0-9a-f]{16}$/.test(c.dataSource))) {
    fail("dataSource", 'absent (the generator) or "dsprites-file:<16 hex digits>" for dsprites', c.dataSource);
  }
  return c;
}

const ADAM_FIELDS = ["learningRate", "beta1", "beta2", "epsilon"];
const ADAGRAD_FIELDS = ["kind", "learningRate", "epsilon", "initialAccumulator"];

function validateOptimizer(o: OptimizerConfig): void {
  if (o === null || typeof o !== "object") fail("optimizer", "an Adam or Adagrad config", o);
  const kind = (o as { kind?: unknown }).kind;
  if (kind !== undefined && kind !== "adagrad") fail("optimizer.kind", 'absent (Adam) or "adagrad"', kind);
  // A field of the other optimiser is refused: it would change the run's key and do nothing.
  const allowed = isAdagrad(o) ? ADAGRAD_FIELDS : ADAM_FIELDS;
  for (const k of Object.keys(o)) if ((o as unknown as Record<string, unknown>)[k] !== undefined && !allowed.includes(k)) fail(`optimizer.${k}`, `one of ${allowed.join(", ")} for ${isAdagrad(o) ? "Adagrad" : "Adam"}`, k);
  if (!posNum(o.learningRate)) fail("optimizer.learningRate", "a positive number", o.learningRate);
  if (!posNum(o.epsilon)) fail("optimizer.epsilon", "a positive number", o.epsilon);
  if (isAdagrad(o)) {
    if (!(typeof o.initialAccumulator === "number" && o.initialAccumulator >= 0)) fail("optimizer.initialAccumulator", "a number >= 0", o.initialAccumulator);
    return;
  }
  for (const k of ["beta1", "beta2"] as const) {
    const v = o[k];
    if (!(typeof v === "number" && v >= 0 && v < 1)) fail(`optimizer.${k}`, "a number in [0, 1)", v);
  }
}

/** What a caller may override: any field; `optimizer` field by field. */
export type ConfigOverrides = Omit<Partial<TrainConfig>, "optimizer"> & { readonly optimizer?: Partial<AdamConfig> | Partial<AdagradConfig> };

/** The optimiser of `base` with `over` applied: merged field by field, or replaced when `over` names another kind. */
export function mergeOptimizer(base: OptimizerConfig, over: ConfigOverrides["optimizer"] = {}): OptimizerConfig {
  const kindOf = (o: object): string => (o as { kind?: string }).kind ?? "adam";
  if ("kind" in over && over.kind !== undefined && kindOf(over) !== kindOf(base)) return over as OptimizerConfig;
  return { ...base, ...over } as OptimizerConfig;
}

/** A full config from defaults plus overrides (shallow; `optimizer` merged one level deep, see mergeOptimizer). */
export function makeConfig(overrides: ConfigOverrides = {}, base: TrainConfig = DEFAULT_TRAIN): TrainConfig {
  const cfg: TrainConfig = {
    ...base,
    ...overrides,
    optimizer: mergeOptimizer(base.optimizer, overrides.optimizer),
  };
  return validateConfig(cfg);
}

/** JSON with keys sorted at every level: equal configs give equal text (and hash). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) throw new Error(`canonicalJson: non-finite number ${value}`);
  return JSON.stringify(value);
}
