/**
 * Profiles scale every notebook and preset: how much data, how many steps.
 *
 * - smoke: seconds; what `make test` executes.
 * - cpu:   what a laptop CPU trains in under an hour per model.
 * - long:  ~100k steps on dSprites; hours per model here, trained in the background and resumed.
 * - paper: the published schedule (for a GPU).
 */
export type Profile = "smoke" | "cpu" | "long" | "paper";

export const PROFILES: readonly Profile[] = ["smoke", "cpu", "long", "paper"];

/** Reads PROFILE from the environment (default `fallback`), with a clear error for a bad value. */
export function currentProfile(env: NodeJS.ProcessEnv = process.env, fallback: Profile = "cpu"): Profile {
  const value = env.PROFILE ?? env.BVAE_PROFILE;
  if (value === undefined || value === "") return fallback;
  if ((PROFILES as readonly string[]).includes(value)) return value as Profile;
  throw new Error(`PROFILE="${value}" is not one of ${PROFILES.join(", ")}`);
}

/** Picks the value for the current profile from a table with one entry per profile. */
export function byProfile<T>(table: Readonly<Record<Profile, T>>, profile: Profile = currentProfile()): T {
  return table[profile];
}
