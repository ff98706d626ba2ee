/** setup(): the backend picked (BVAE_BACKEND honoured), the profile read, `trained` false only at smoke. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { setup } from "../../lib/backend/setup";

test("setup: backend and profile from the environment; trained is false at the smoke profile only", async () => {
  const smoke = await setup({ PROFILE: "smoke", BVAE_BACKEND: "cpu" });
  assert.equal(smoke.backend.name, "cpu");
  assert.equal(tf.getBackend(), "cpu");
  assert.equal(smoke.profile, "smoke");
  assert.equal(smoke.trained, false);
  const cpu = await setup({ PROFILE: "cpu" });
  assert.deepEqual([cpu.profile, cpu.trained, cpu.backend], ["cpu", true, smoke.backend]);
  assert.equal((await setup({})).profile, "cpu");
  assert.equal((await setup({ PROFILE: "long" })).trained, true);
  await assert.rejects(setup({ PROFILE: "fast" }), /PROFILE="fast" is not one of smoke, cpu, long, paper/);
});
