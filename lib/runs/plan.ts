/**
 * A plan: which run each item (`<preset>`, `<preset>:exact`, either followed by a JSON object of
 * config overrides, e.g. `dsprites-vae{"architecture":"burgess"}`) needs at a profile, and which of
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
import { canonicalJson, type ConfigOverrides, type TrainConfig } from "../train/config";
import { resolveDataSource } from "./data-source";
import { runName } from "./key";

/** One run a notebook asks for: `preset` (presetRun's rule) or `preset:exact`, with its overrides. */
export interface RunItem {
  readonly preset: PresetName;
  readonly exact: boolean;
  /** presetRun's `overrides` (e.g. the network); {} when none. */
  readonly overrides: ConfigOverrides;
}

const ITEM_FORM = 'expected <preset>, <preset>:exact, either optionally followed by a JSON object of overrides (e.g. dsprites-vae{"architecture":"burgess"})';

export function parseRunItem(text: string): RunItem {
  const brace = text.indexOf("{");
  const head = brace < 0 ? text : text.slice(0, brace);
  const [preset, flag, ...rest] = head.split(":");
  if (!isPresetName(preset)) throw new Error(`run "${text}": unknown preset "${preset}"; presets: ${PRESET_NAMES.join(", ")}`);
  if (rest.length || (flag !== undefined && flag !== "exact")) throw new Error(`run "${text}": ${ITEM_FORM}`);
  let overrides: ConfigOverrides = {};
  if (brace >= 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.slice(brace));
    } catch (err) {
      throw new Error(`run "${text}": the overrides are not JSON (${err instanceof Error ? err.message : String(err)}); ${ITEM_FORM}`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`run "${text}": ${ITEM_FORM}`);
    overrides = parsed as ConfigOverrides;
    presetConfig(preset, "smoke", overrides); // a bad field or value is refused here, naming it
  }
  return { preset, exact: flag === "exact", overrides };
}

/** The item's text: the preset, ":exact" when exact, then the overrides as canonical JSON (none when empty). */
export function runItemText(item: RunItem): string {
  const json = Object.keys(item.overrides).length ? canonicalJson(item.overrides) : "";
  return `${item.preset}${item.exact ? ":exact" : ""}${json}`;
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
  /** The overrides its preset was given (what `bvae train <preset> --overrides JSON` needs to train it). */
  readonly overrides: ConfigOverrides;
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
    const itemOptions = { ...options, overrides: { ...options.overrides, ...item.overrides } };
    const longer = item.exact || options.exact ? undefined : longerRun(item.preset, profile, itemOptions);
    let planned: PlannedRun;
    if (longer) planned = { items: [text], action: "use-longer", name: longer.name, config: longer.config, overrides: itemOptions.overrides, step: longer.step };
    else {
      const config = presetConfig(item.preset, profile, itemOptions.overrides);
      const stored = storedRun(config, options);
      const action: PlanAction = stored?.complete ? "complete" : stored ? "resume" : "train";
      planned = { items: [text], action, name: runName(resolveDataSource(config)), config, overrides: itemOptions.overrides, step: stored?.step ?? 0 };
    }
    const seen = byName.get(planned.name);
    byName.set(planned.name, seen ? { ...seen, items: [...seen.items, text] } : planned);
  }
  return [...byName.values()];
}
