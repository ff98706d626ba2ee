/**
 * A sweep file: one preset at one profile, a grid of overrides and a list of seeds (issue 21).
 * JSON, so that no parser dependency is needed; e.g. sweeps/beta-seeds.json:
 *
 *   {
 *     "name": "beta-seeds",
 *     "preset": "dsprites-beta",
 *     "profile": "cpu",
 *     "grid": { "regulariser.beta": [1, 4, 16] },
 *     "seeds": [1, 2, 3],
 *     "slurm": { "time": "04:00:00", "cpusPerTask": 1, "mem": "4G" }
 *   }
 *
 * Every field is checked here, with an error naming the file and the field; the grid's keys are
 * checked against the preset when the sweep is expanded (./overrides.ts, ./plan.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isPresetName, PRESET_NAMES, type PresetName } from "../train/presets";
import { PROFILES, type Profile } from "../profile";
import { OVERRIDE_KEYS, type OverrideKey, type OverrideValue } from "./overrides";

export const SWEEP_FORMAT_FIELDS = ["name", "description", "preset", "profile", "overrides", "grid", "seeds", "slurm", "eval"] as const;

/** Slurm resources of each array task (every field optional; flags of `bvae sweep slurm` override them). */
export interface SlurmResources {
  /** Time limit per task, in a form sbatch takes: "MM", "HH:MM:SS", "D-HH", "D-HH:MM:SS". Default: twice the
   * measured training time of the longest run, at least 10 minutes (`bvae sweep slurm` says which). */
  readonly time?: string;
  /** CPUs per task. Default 1 (the wasm backend uses one core). */
  readonly cpusPerTask?: number;
  /** Memory per task, as sbatch --mem takes it ("4G", "4000M"). Default: the cluster's. */
  readonly mem?: string;
  readonly partition?: string;
  readonly account?: string;
  readonly qos?: string;
  /** At most this many tasks at once (sbatch --array=...%N). Default: no limit. */
  readonly maxParallel?: number;
  /** More #SBATCH lines, each one option as sbatch takes it (e.g. "--gres=gpu:1"). */
  readonly extraArgs?: readonly string[];
}

/** The metric protocol `bvae sweep report` scores with (bvae eval's sizes and seed). */
export interface SweepEvalProtocol {
  readonly numTrain: number;
  readonly numEval: number;
  readonly batchSize: number;
  readonly seed: number;
}

export interface SweepSpec {
  /** Names the sweep's folder of Slurm scripts and logs; default: the file name without .json. */
  readonly name: string;
  readonly description?: string;
  readonly preset: PresetName;
  readonly profile: Profile;
  /** Applied to every run (same keys as the grid). */
  readonly overrides: Readonly<Partial<Record<OverrideKey, OverrideValue>>>;
  /** Key -> the values it takes; the runs are the Cartesian product (keys in file order) times the seeds. */
  readonly grid: ReadonlyArray<{ readonly key: OverrideKey; readonly values: readonly OverrideValue[] }>;
  readonly seeds: readonly number[];
  readonly slurm: SlurmResources;
  /** Default: the reference protocol (10,000 / 5,000 points, batch 64, seed 0); at the smoke profile 100 / 50, 16, 0. */
  readonly eval?: SweepEvalProtocol;
  /** The file it was read from (absolute), for messages. */
  readonly file: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** An error naming the sweep file and the field. */
export function sweepError(file: string, field: string, expected: string, got?: unknown): Error {
  const shown = got === undefined ? "" : `, got ${JSON.stringify(got)}`;
  return new Error(`${file}: "${field}": expected ${expected}${shown}`);
}

const SLURM_FIELDS = ["time", "cpusPerTask", "mem", "partition", "account", "qos", "maxParallel", "extraArgs"] as const;
/** sbatch's time formats: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS. */
export const SLURM_TIME = /^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d{1,2}|\d+-\d{1,2}:\d{1,2}|\d+-\d{1,2}:\d{1,2}:\d{1,2})$/;
export const SLURM_MEM = /^\d+[KMGT]?$/;
const SLURM_NAME = /^[A-Za-z0-9._-]+$/;

/** Checks the slurm section (also used for flags); `where` names the file or "flags". */
export function parseSlurmResources(value: unknown, where: string, prefix = "slurm."): SlurmResources {
  if (value === undefined) return {};
  if (!isObject(value)) throw sweepError(where, prefix.replace(/\.$/, ""), `an object with some of ${SLURM_FIELDS.join(", ")}`, value);
  for (const k of Object.keys(value)) if (!(SLURM_FIELDS as readonly string[]).includes(k)) throw sweepError(where, prefix + k, `one of ${SLURM_FIELDS.join(", ")} (unknown field)`);
  const v = value as Record<string, unknown>;
  const posInt = (k: string) => {
    if (v[k] === undefined) return undefined;
    if (!(typeof v[k] === "number" && Number.isInteger(v[k]) && (v[k] as number) > 0)) throw sweepError(where, prefix + k, "a positive integer", v[k]);
    return v[k] as number;
  };
  const str = (k: string, re: RegExp, what: string) => {
    if (v[k] === undefined) return undefined;
    if (!(typeof v[k] === "string" && re.test(v[k] as string))) throw sweepError(where, prefix + k, what, v[k]);
    return v[k] as string;
  };
  const extra = v.extraArgs;
  if (extra !== undefined && !(Array.isArray(extra) && extra.every((a) => typeof a === "string" && /^--?[A-Za-z]/.test(a) && !/[\n\r]/.test(a)))) {
    throw sweepError(where, prefix + "extraArgs", 'a list of sbatch options, each starting with "-" (e.g. ["--gres=gpu:1"])', extra);
  }
  const out: SlurmResources = {
    time: str("time", SLURM_TIME, 'a time limit as sbatch takes it ("MM", "HH:MM:SS", "D-HH:MM:SS")'),
    cpusPerTask: posInt("cpusPerTask"),
    mem: str("mem", SLURM_MEM, 'memory as sbatch --mem takes it ("4G", "4000M")'),
    partition: str("partition", SLURM_NAME, "a partition name"),
    account: str("account", SLURM_NAME, "an account name"),
    qos: str("qos", SLURM_NAME, "a QOS name"),
    maxParallel: posInt("maxParallel"),
    extraArgs: extra as string[] | undefined,
  };
  return Object.fromEntries(Object.entries(out).filter(([, x]) => x !== undefined)) as SlurmResources;
}

function parseOverrideValue(file: string, field: string, key: string, value: unknown): OverrideValue {
  if (!(typeof value === "number" || typeof value === "string")) throw sweepError(file, field, `a number or a string for ${key}`, value);
  return value;
}

function parseKey(file: string, field: string, key: string): OverrideKey {
  if (key === "seed") throw sweepError(file, field, 'no "seed" here: seeds are listed in "seeds"');
  if (key === "preset" || key === "profile") throw sweepError(file, field, `no "${key}" here: a sweep has one preset and one profile (top-level "preset", "profile")`);
  if (!(OVERRIDE_KEYS as readonly string[]).includes(key)) throw sweepError(file, field, `a TrainConfig field one of ${OVERRIDE_KEYS.join(", ")} (unknown override "${key}")`);
  return key as OverrideKey;
}

function parseSeeds(file: string, value: unknown): number[] {
  const okSeed = (s: unknown) => typeof s === "number" && Number.isInteger(s) && s >= 0 && s < 2 ** 32;
  let seeds: number[];
  if (isObject(value) && Object.keys(value).every((k) => k === "from" || k === "to")) {
    const { from, to } = value as { from?: unknown; to?: unknown };
    if (!okSeed(from) || !okSeed(to) || (to as number) < (from as number)) throw sweepError(file, "seeds", "{from, to} with integers 0 <= from <= to < 2^32", value);
    if ((to as number) - (from as number) >= 10_000) throw sweepError(file, "seeds", "at most 10,000 seeds", value);
    seeds = Array.from({ length: (to as number) - (from as number) + 1 }, (_, i) => (from as number) + i);
  } else if (Array.isArray(value) && value.length > 0) {
    value.forEach((s, i) => {
      if (!okSeed(s)) throw sweepError(file, `seeds[${i}]`, "an integer in [0, 2^32)", s);
    });
    seeds = value as number[];
  } else throw sweepError(file, "seeds", 'a non-empty list of integers, or {"from": 1, "to": 5}', value);
  const dup = seeds.find((s, i) => seeds.indexOf(s) !== i);
  if (dup !== undefined) throw sweepError(file, "seeds", "distinct seeds", `${dup} twice`);
  return seeds;
}

function parseEval(file: string, value: unknown): SweepEvalProtocol | undefined {
  if (value === undefined) return undefined;
  const fields = ["numTrain", "numEval", "batchSize", "seed"];
  if (!isObject(value)) throw sweepError(file, "eval", `an object with ${fields.join(", ")}`, value);
  for (const k of Object.keys(value)) if (!fields.includes(k)) throw sweepError(file, `eval.${k}`, `one of ${fields.join(", ")} (unknown field)`);
  const out: Record<string, number> = {};
  for (const k of fields) {
    const v = value[k];
    const min = k === "seed" ? 0 : 1;
    if (!(typeof v === "number" && Number.isInteger(v) && v >= min)) throw sweepError(file, `eval.${k}`, `an integer >= ${min}`, v);
    out[k] = v;
  }
  return out as unknown as SweepEvalProtocol;
}

/** Checks a parsed sweep file; `file` names it in errors (and gives the default name). */
export function parseSweep(value: unknown, file: string): SweepSpec {
  if (!isObject(value)) throw new Error(`${file}: expected a JSON object with ${SWEEP_FORMAT_FIELDS.join(", ")}`);
  for (const k of Object.keys(value)) if (!(SWEEP_FORMAT_FIELDS as readonly string[]).includes(k)) throw sweepError(file, k, `one of ${SWEEP_FORMAT_FIELDS.join(", ")} (unknown field)`);
  const name = value.name ?? path.basename(file).replace(/\.json$/, "");
  if (typeof name !== "string" || !SLURM_NAME.test(name)) throw sweepError(file, "name", "a name of letters, digits, . _ -", name);
  if (value.description !== undefined && typeof value.description !== "string") throw sweepError(file, "description", "a string", value.description);
  if (typeof value.preset !== "string" || !isPresetName(value.preset)) throw sweepError(file, "preset", `one of ${PRESET_NAMES.join(", ")}`, value.preset);
  if (typeof value.profile !== "string" || !(PROFILES as readonly string[]).includes(value.profile)) throw sweepError(file, "profile", PROFILES.join(" | "), value.profile);

  const overrides: Partial<Record<OverrideKey, OverrideValue>> = {};
  if (value.overrides !== undefined) {
    if (!isObject(value.overrides)) throw sweepError(file, "overrides", 'an object of TrainConfig fields, e.g. {"architecture": "chairs"}', value.overrides);
    for (const [k, v] of Object.entries(value.overrides)) overrides[parseKey(file, `overrides.${k}`, k)] = parseOverrideValue(file, `overrides.${k}`, k, v);
  }
  const grid: { key: OverrideKey; values: OverrideValue[] }[] = [];
  if (value.grid !== undefined) {
    if (!isObject(value.grid)) throw sweepError(file, "grid", 'an object of TrainConfig field -> list of values, e.g. {"regulariser.beta": [1, 4, 16]}', value.grid);
    for (const [k, vs] of Object.entries(value.grid)) {
      const key = parseKey(file, `grid.${k}`, k);
      if (key in overrides) throw sweepError(file, `grid.${k}`, `"${k}" in "grid" or in "overrides", not both`);
      if (!Array.isArray(vs) || vs.length === 0) throw sweepError(file, `grid.${k}`, "a non-empty list of values", vs);
      const values = vs.map((v, i) => parseOverrideValue(file, `grid.${k}[${i}]`, k, v));
      const dup = values.find((v, i) => values.indexOf(v) !== i);
      if (dup !== undefined) throw sweepError(file, `grid.${k}`, "distinct values", `${JSON.stringify(dup)} twice`);
      grid.push({ key, values });
    }
  }
  return {
    name,
    ...(value.description !== undefined ? { description: value.description as string } : {}),
    preset: value.preset,
    profile: value.profile as Profile,
    overrides,
    grid,
    seeds: parseSeeds(file, value.seeds),
    slurm: parseSlurmResources(value.slurm, file),
    ...(value.eval !== undefined ? { eval: parseEval(file, value.eval) } : {}),
    file,
  };
}

/** Reads and checks a sweep file (JSON). */
export function readSweepFile(file: string): SweepSpec {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(abs, "utf8");
  } catch (err) {
    throw new Error(`${file}: cannot read the sweep file (${err instanceof Error ? err.message : String(err)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return parseSweep(parsed, abs);
}
