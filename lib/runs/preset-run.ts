/**
 * The run a notebook shows for a preset.
 *
 * `make figures` should open with the shipped runs rather than retrain them, and the longest runs
 * (profile long, ~100k steps) take several sessions: they live in runs/.partial/ with committed
 * checkpoints while they train in the background. `presetRun(preset, profile)` therefore uses, by
 * default, the most-trained run of the preset at a profile LONGER than the requested one (complete,
 * or partial at its newest checkpoint) when it has at least as many steps as the requested profile
 * would train; otherwise it is `trainOrLoad` at the requested profile (load, resume or train).
 *
 * BVAE_EXACT_PROFILE=1 (or `{ exact: true }`) turns the reuse off: exactly the requested profile.
 * A run it trains checkpoints as `bvae train` does, every PROFILE_SETTINGS[profile].checkpointEvery
 * steps, unless the options say otherwise.
 */
import type { ConfigOverrides, TrainConfig } from "../train/config";
import { PROFILES, type Profile } from "../profile";
import { presetConfig, PROFILE_SETTINGS, type PresetName } from "../train/presets";
import { resolveDataSource } from "./data-source";
import { loadLatest, locateRun, type Run, type RunsDirOption } from "./run";
import { trainOrLoad, type TrainOptions } from "./train-or-load";

export interface PresetRunOptions extends TrainOptions {
  /** Passed to presetConfig for every profile considered. */
  readonly overrides?: ConfigOverrides;
  /** Only the requested profile (default: BVAE_EXACT_PROFILE=1 in the environment). */
  readonly exact?: boolean;
}

/** A run of a config found in the runs folder, without loading it. */
export interface StoredRun {
  readonly config: TrainConfig;
  readonly name: string;
  readonly complete: boolean;
  /** Steps trained: all of them when complete, else the newest checkpoint's. */
  readonly step: number;
}

/** Where a config's run stands in the runs folder (undefined: no run, or a partial one with no checkpoint). */
export function storedRun(requested: TrainConfig, options: RunsDirOption = {}): StoredRun | undefined {
  const config = resolveDataSource(requested);
  const where = locateRun(config, options);
  if (!where) return undefined;
  return { config, name: where.name, complete: !where.checkpoint, step: where.checkpoint?.step ?? config.steps };
}

/**
 * The run to show instead of training `preset` at `profile`: the most-trained run at a longer
 * profile, if it has at least the requested profile's steps; undefined otherwise.
 */
export function longerRun(preset: PresetName, profile: Profile, options: PresetRunOptions = {}): StoredRun | undefined {
  const wanted = presetConfig(preset, profile, options.overrides);
  const longer = PROFILES.slice(PROFILES.indexOf(profile) + 1);
  let best: StoredRun | undefined;
  for (const p of longer) {
    const found = storedRun(presetConfig(preset, p, options.overrides), options);
    if (found && found.step >= wanted.steps && (!best || found.step > best.step)) best = found;
  }
  return best;
}

/** The run a notebook shows for `preset` (see the file comment); logs which run it is. */
export async function presetRun(preset: PresetName, profile: Profile, options: PresetRunOptions = {}): Promise<Run> {
  const exact = options.exact ?? process.env.BVAE_EXACT_PROFILE === "1";
  const found = exact ? undefined : longerRun(preset, profile, options);
  if (found) {
    const run = loadLatest(found.config, options);
    if (run) {
      if (!options.quiet) {
        const state = run.complete ? "complete" : `partial, newest checkpoint of ${run.config.steps} steps`;
        console.log(`[${preset}] using ${run.name} (${run.config.profile} profile, ${state}): step ${run.step} (requested ${profile}; BVAE_EXACT_PROFILE=1 trains exactly that)`);
      }
      return run;
    }
  }
  const run = await trainOrLoad(presetConfig(preset, profile, options.overrides), { checkpointEvery: PROFILE_SETTINGS[profile].checkpointEvery, ...options });
  // The same line as for a longer run: REPORT.md's index lists the runs a notebook rests on from it.
  if (!options.quiet) console.log(`[${preset}] using ${run.name} (${profile} profile, ${run.complete ? "complete" : `partial, stopped at ${run.step} of ${run.config.steps} steps`}): step ${run.step}`);
  return run;
}

/**
 * The run of `preset` at exactly `profile` as far as it is trained (complete, or partial at its
 * newest checkpoint), or undefined when the runs folder has none: never trains. For a notebook that
 * shows a long run beside its main one only where the run exists (a fresh runs folder does not
 * train 100,000 steps for it); logs which run and step it is.
 */
export function storedPresetRun(preset: PresetName, profile: Profile, options: Pick<PresetRunOptions, "overrides" | "runsDir" | "quiet"> = {}): Run | undefined {
  const config = presetConfig(preset, profile, options.overrides);
  const run = loadLatest(config, options);
  if (!options.quiet) {
    if (!run) console.log(`[${preset}] no ${profile}-profile run of this config in the runs folder (\`bvae train ${preset} --profile ${profile}\` trains it)`);
    else console.log(`[${preset}] using ${run.name} (${run.complete ? "complete" : `partial, newest checkpoint of ${run.config.steps} steps`}): step ${run.step}`);
  }
  return run;
}

/**
 * For a notebook section that shows a long run only where it is stored, and whose code `make test`
 * must still execute: at every profile but smoke, storedPresetRun(preset, "long", options) (never
 * trains; `storedProfile: "paper"` for a run at the paper's length); at the smoke profile the
 * preset's smoke run with the same overrides but `steps` (the smoke profile's own length) stands
 * in, trained when missing.
 */
export async function storedRunOrStandIn(preset: PresetName, profile: Profile, options: Pick<PresetRunOptions, "overrides" | "runsDir" | "quiet"> & { readonly storedProfile?: Profile } = {}): Promise<Run | undefined> {
  if (profile !== "smoke") return storedPresetRun(preset, options.storedProfile ?? "long", options);
  const { steps: _steps, ...overrides } = (options.overrides ?? {}) as ConfigOverrides & { steps?: number };
  return trainOrLoad(presetConfig(preset, "smoke", overrides), { runsDir: options.runsDir, quiet: true });
}
