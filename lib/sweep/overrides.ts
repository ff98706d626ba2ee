/**
 * A sweep's overrides, named by their TrainConfig path ("regulariser.beta", "numLatents", ...), applied
 * to a preset at a profile. The config is the one `presetConfig` (and so `bvae train`) makes for the
 * same values, so a sweep's run has the same key and folder as the same run trained any other way:
 * the beta = 4, seed 1 run of a beta sweep over dsprites-beta is the preset's own run.
 */
import { presetConfig, PRESETS, type PresetName } from "../train/presets";
import type { Profile } from "../profile";
import type { Regulariser } from "../models/objectives";
import type { ConfigOverrides, TrainConfig } from "../train/config";

/** The fields a sweep may set (seed is set by the sweep's seeds). */
export const OVERRIDE_KEYS = [
  "regulariser.beta",
  "regulariser.gamma",
  "regulariser.cMax",
  "regulariser.cStopStep",
  "numLatents",
  "architecture",
  "steps",
  "batchSize",
  "optimizer.learningRate",
  "optimizer.beta1",
  "optimizer.beta2",
] as const;
export type OverrideKey = (typeof OVERRIDE_KEYS)[number];
export type OverrideValue = number | string;

/** The fields of each regulariser kind a sweep can set. */
const REGULARISER_FIELDS: Readonly<Record<Regulariser["kind"], readonly string[]>> = {
  vae: [],
  beta: ["beta"],
  capacity: ["gamma", "cMax", "cStopStep"],
};

/** The short name of a key, for labels: "regulariser.beta" -> "beta". */
export function overrideLabel(key: OverrideKey): string {
  return key.slice(key.lastIndexOf(".") + 1);
}

/**
 * The config of `preset` at `profile` with `values` set and `seed`. Throws, naming the key, when an
 * override does not apply to the preset (e.g. regulariser.beta on a VAE), and with
 * validateConfig's message (which names the field) when a value is out of range.
 */
export function sweepConfig(preset: PresetName, profile: Profile, values: Readonly<Partial<Record<OverrideKey, OverrideValue>>>, seed: number): TrainConfig {
  const plain: Record<string, OverrideValue> = {};
  const optimizer: Record<string, OverrideValue> = {};
  const regulariser: Record<string, OverrideValue> = {};
  for (const [key, value] of Object.entries(values) as [OverrideKey, OverrideValue][]) {
    if (key.startsWith("regulariser.")) regulariser[key.slice("regulariser.".length)] = value;
    else if (key.startsWith("optimizer.")) optimizer[key.slice("optimizer.".length)] = value;
    else plain[key] = value;
  }
  const kind = PRESETS[preset].base.regulariser.kind;
  for (const field of Object.keys(regulariser)) {
    if (!REGULARISER_FIELDS[kind].includes(field)) {
      const has = REGULARISER_FIELDS[kind].length ? `its fields: ${REGULARISER_FIELDS[kind].map((f) => `regulariser.${f}`).join(", ")}` : "it has no parameter";
      throw new Error(`override "regulariser.${field}" does not apply to preset ${preset}, whose regulariser is "${kind}" (${has})`);
    }
  }
  const base: ConfigOverrides = { ...(plain as ConfigOverrides), seed, ...(Object.keys(optimizer).length ? { optimizer: optimizer as ConfigOverrides["optimizer"] } : {}) };
  // First without the regulariser: presetConfig scales a capacity ramp to the final step count only
  // when no regulariser is given; the overridden fields then go on top of that scaled one.
  const scaled = presetConfig(preset, profile, base);
  if (Object.keys(regulariser).length === 0) return scaled;
  return presetConfig(preset, profile, { ...base, regulariser: { ...scaled.regulariser, ...regulariser } as Regulariser });
}
