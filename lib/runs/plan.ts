/**
 * A plan: which run each item (`<preset>` or `<preset>:exact`) needs at a profile, and which of
 * them the runs folder lacks.
 *
 * `make figures` trains the missing runs first, side by side (one process per core: `bvae prepare
 * --jobs 2`), so that both cores work and the notebooks then only load; the items are the
 * notebooks' presetRun calls, which `bvae prepare` reads from them. The rule is presetRun's own
 * (preset-run.ts): a preset is satisfied by a run at a longer profile that has at least the
 * requested steps, unless the item is exact (a comparison at exactly the profile, like gamma 100
 * beside gamma 1000) or BVAE_EXACT_PROFILE=1.
 */
import type { Profile } from "../profile";
import { isPresetName, PRESET_NAMES, presetConfig, type PresetName } from "../train/presets";
import { longerRun, storedRun, type PresetRunOptions } from "./preset-run";
import type { TrainConfig } from "../train/config";
import { resolveDataSource } from "./data-source";
import { runName } from "./key";

/** One run a notebook asks for: `preset` (presetRun's rule) or `preset:exact`. */
export interface RunItem {
  readonly preset: PresetName;
  readonly exact: boolean;
}

export function parseRunItem(text: string): RunItem {
  const [preset, flag, ...rest] = text.split(":");
  if (!isPresetName(preset)) throw new Error(`run "${text}": unknown preset "${preset}"; presets: ${PRESET_NAMES.join(", ")}`);
  if (rest.length || (flag !== undefined && flag !== "exact")) throw new Error(`run "${text}": expected <preset> or <preset>:exact`);
  return { preset, exact: flag === "exact" };
}

export type PlanAction =
  /** A longer profile's run is shown instead (no training). */
  | "use-longer"
  /** The run at this profile is complete. */
  | "complete"
  /** A checkpoint exists: training resumes from it. */
  | "resume"
  /** Nothing yet: trained from scratch. */
  | "train";

export interface PlannedRun {
  /** The items (as given) this run serves. */
  readonly items: readonly string[];
  readonly action: PlanAction;
  /** The run that will be shown: the longer one for use-longer, else the profile's own. */
  readonly name: string;
  readonly config: TrainConfig;
  /** Steps already trained (all of them when complete). */
  readonly step: number;
}

/**
 * What each item needs at `profile`: one entry per distinct run (an exact item and a plain one that
 * resolve to the same run are trained once).
 */
export function planRuns(items: readonly string[], profile: Profile, options: Pick<PresetRunOptions, "runsDir" | "overrides" | "exact"> = {}): PlannedRun[] {
  const byName = new Map<string, PlannedRun>();
  for (const text of items) {
    const item = parseRunItem(text);
    const longer = item.exact || options.exact ? undefined : longerRun(item.preset, profile, options);
    let planned: PlannedRun;
    if (longer) planned = { items: [text], action: "use-longer", name: longer.name, config: longer.config, step: longer.step };
    else {
      const config = presetConfig(item.preset, profile, options.overrides);
      const stored = storedRun(config, options);
      const action: PlanAction = stored?.complete ? "complete" : stored ? "resume" : "train";
      planned = { items: [text], action, name: runName(resolveDataSource(config)), config, step: stored?.step ?? 0 };
    }
    const seen = byName.get(planned.name);
    byName.set(planned.name, seen ? { ...seen, items: [...seen.items, text] } : planned);
  }
  return [...byName.values()];
}
