import { currentProfile, PROFILES, type Profile } from "../lib/profile";

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

export function parseArgs(args: string[], booleanFlags: readonly string[] = []): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      if (eq > 0) {
        flags[a.slice(2, eq)] = a.slice(eq + 1);
      } else {
        const key = a.slice(2);
        const next = args[i + 1];
        if (booleanFlags.includes(key) || next === undefined || next.startsWith("--")) flags[key] = true;
        else {
          flags[key] = next;
          i++;
        }
      }
    } else positionals.push(a);
  }
  return { positionals, flags };
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
  if (!Number.isFinite(n)) throw new Error(`--${key} expects a number, got "${v}"`);
  return n;
}

/** Reads a flag that must be a non-negative integer. */
export function intFlag(p: ParsedArgs, key: string): number | undefined {
  const n = numberFlag(p, key);
  if (n !== undefined && (!Number.isInteger(n) || n < 0)) throw new Error(`--${key}: expected a non-negative integer, got ${n}`);
  return n;
}

/** --profile, else PROFILE from the environment, else cpu. */
export function profileFlag(p: ParsedArgs): Profile {
  const value = stringFlag(p, "profile");
  if (value === undefined) return currentProfile();
  if ((PROFILES as readonly string[]).includes(value)) return value as Profile;
  throw new Error(`--profile: expected one of ${PROFILES.join(", ")}, got "${value}"`);
}
