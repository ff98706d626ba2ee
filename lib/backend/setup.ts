/**
 * What every notebook does first, in one call: pick the TensorFlow.js backend (it prints which) and
 * read the profile (PROFILE=smoke|cpu|long|paper).
 *
 *   const { profile, trained } = await bvae.setup();
 */
import { currentProfile, type Profile } from "../profile";
import { initBackend, type BackendInfo } from "./init";

export interface Setup {
  readonly backend: BackendInfo;
  readonly profile: Profile;
  /**
   * Whether the profile trains long enough for claims about trained models: false at the smoke
   * profile (20 steps), where a notebook checks its pipeline and skips those claims.
   */
  readonly trained: boolean;
}

export async function setup(env: NodeJS.ProcessEnv = process.env): Promise<Setup> {
  const backend = await initBackend({ env });
  const profile = currentProfile(env);
  return { backend, profile, trained: profile !== "smoke" };
}
