/**
 * Profiles (profile.ts): the default, an explicit one, and a clear error for a bad value.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { currentProfile, byProfile } from "../lib/profile";

test("profiles: default, explicit, and a clear error for a bad value", () => {
  assert.equal(currentProfile({}), "cpu");
  assert.equal(currentProfile({ PROFILE: "smoke" }), "smoke");
  assert.throws(() => currentProfile({ PROFILE: "fast" }), /PROFILE="fast" is not one of smoke, cpu, long, paper/);
  assert.equal(byProfile({ smoke: 1, cpu: 2, long: 3, paper: 4 }, "long"), 3);
});
