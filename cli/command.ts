import { currentProfile, PROFILES, type Profile } from "../lib/profile";
import { assertWritable, assertWritableFile } from "../lib/files";

/** One subcommand of `bvae`: a name, a one-line summary, a help text and a runner. */
export interface Command {
  readonly name: string;
  /** One line for `bvae --help`. */
  readonly summary: string;
  /** Full usage text for `bvae <name> --help`. */
  readonly usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

/** Minimal flag parser: --key value, --key=value, --flag (boolean), positionals. */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Record<string, string | true>;
}

/**
 * What a command accepts. With a spec, anything else is refused with the valid options listed: a
 * misspelt flag must never be ignored (`--step 7` would otherwise train the default step count).
 */
export interface ArgSpec {
  /** The command, as messages name it: "bvae train". */
  readonly command: string;
  /** Flags that take a value (--key value, --key=value). */
  readonly values?: readonly string[];
  /** Flags that take none. */
  readonly booleans?: readonly string[];
  /** Positional arguments accepted, at most (default: any number). */
  readonly maxPositionals?: number;
}

/** Edit distance, for "did you mean" (flags are short: the quadratic table is nothing). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

function unknownFlag(spec: ArgSpec, key: string): Error {
  const known = [...(spec.values ?? []), ...(spec.booleans ?? [])];
  const near = known
    .map((k) => ({ k, d: k.startsWith(key) || key.startsWith(k) ? 1 : distance(key, k) }))
    .filter((x) => x.d <= 2)
    .sort((a, b) => a.d - b.d)[0];
  const list = known.length ? `its options: ${known.map((k) => `--${k}`).join(", ")}` : "it takes no options";
  return new Error(`${spec.command}: unknown option --${key}${near ? ` (did you mean --${near.k}?)` : ""}; ${list} (${spec.command} --help)`);
}

/**
 * Parses `args`. The second argument is either an ArgSpec (strict: unknown flags, a value given to
 * a boolean flag, a flag given twice and extra positionals are errors) or, as before, only the
 * list of boolean flags (permissive: any flag accepted).
 */
export function parseArgs(args: string[], specOrBooleans: ArgSpec | readonly string[] = []): ParsedArgs {
  const spec = Array.isArray(specOrBooleans) ? undefined : (specOrBooleans as ArgSpec);
  const booleanFlags: readonly string[] = spec ? spec.booleans ?? [] : (specOrBooleans as readonly string[]);
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  const set = (key: string, value: string | true): void => {
    if (spec) {
      const isBoolean = booleanFlags.includes(key);
      if (!isBoolean && !(spec.values ?? []).includes(key)) throw unknownFlag(spec, key);
      if (isBoolean && value !== true) throw new Error(`${spec.command}: --${key} takes no value, got "${value}"`);
      if (key in flags) throw new Error(`${spec.command}: --${key} given twice`);
    }
    flags[key] = value;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      if (eq > 0) {
        set(a.slice(2, eq), a.slice(eq + 1));
      } else {
        const key = a.slice(2);
        const next = args[i + 1];
        if (booleanFlags.includes(key) || next === undefined || next.startsWith("--")) set(key, true);
        else {
          set(key, next);
          i++;
        }
      }
    } else positionals.push(a);
  }
  if (spec && spec.maxPositionals !== undefined && positionals.length > spec.maxPositionals) {
    const extra = positionals.slice(spec.maxPositionals).map((p) => `"${p}"`).join(" ");
    const takes = spec.maxPositionals === 0 ? "takes no arguments" : `takes ${spec.maxPositionals} argument${spec.maxPositionals > 1 ? "s" : ""}`;
    throw new Error(`${spec.command}: unexpected argument ${extra} (${spec.command} ${takes}; ${spec.command} --help)`);
  }
  return { positionals, flags };
}

/**
 * Checks, before a command's long work, that its outputs can be written: `--export FILE` (not a
 * folder; its folder creatable and writable) and `--figures DIR` (creatable and writable).
 */
export function assertOutputFlags(p: ParsedArgs): void {
  const file = stringFlag(p, "export");
  if (file) assertWritableFile(file, `--export ${file}`);
  const dir = stringFlag(p, "figures");
  if (dir) assertWritable(dir, `--figures ${dir}: cannot write in that folder`);
}

/** Reads a flag that must be a string (not a bare --flag). */
export function stringFlag(p: ParsedArgs, key: string): string | undefined {
  const v = p.flags[key];
  if (v === true) throw new Error(`--${key} needs a value`);
  return v;
}

/** Reads a flag that must be a finite number. */
export function numberFlag(p: ParsedArgs, key: string): number | undefined {
  const v = stringFlag(p, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n)) throw new Error(`--${key} expects a number, got "${v}"`);
  return n;
}

/** Reads a flag that must be a non-negative integer. */
export function intFlag(p: ParsedArgs, key: string): number | undefined {
  const n = numberFlag(p, key);
  if (n !== undefined && (!Number.isInteger(n) || n < 0)) throw new Error(`--${key}: expected a non-negative integer, got ${n}`);
  return n;
}

/** Reads a flag that must be a positive integer (a count or a spacing: 0 would mean nothing, or never). */
export function positiveIntFlag(p: ParsedArgs, key: string): number | undefined {
  const n = numberFlag(p, key);
  if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw new Error(`--${key}: expected a positive integer, got ${n}`);
  return n;
}

/** Reads a flag that must be a positive number (seconds, a rate). */
export function positiveFlag(p: ParsedArgs, key: string): number | undefined {
  const n = numberFlag(p, key);
  if (n !== undefined && !(n > 0)) throw new Error(`--${key}: expected a positive number, got ${n}`);
  return n;
}

/** --profile, else PROFILE from the environment, else cpu. */
export function profileFlag(p: ParsedArgs): Profile {
  const value = stringFlag(p, "profile");
  if (value === undefined) return currentProfile();
  if ((PROFILES as readonly string[]).includes(value)) return value as Profile;
  throw new Error(`--profile: expected one of ${PROFILES.join(", ")}, got "${value}"`);
}

/**
 * Runs `work` with an abort signal wired to Ctrl-C and SIGTERM: the first asks training to
 * checkpoint and stop after the current step (`prefix` starts the notice), a second leaves at
 * once. An error raised because of that abort is printed and gives exit code 130.
 */
export async function untilInterrupted(prefix: string, work: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const stop = (): void => {
    if (controller.signal.aborted) process.exit(130); // second Ctrl-C: leave now
    console.error(`\n${prefix} stopping after this step (checkpointing)...`);
    controller.abort();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    return await work(controller.signal);
  } catch (err) {
    if (controller.signal.aborted) {
      console.error(err instanceof Error ? err.message : String(err));
      return 130;
    }
    throw err;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
