/** runSteps (runs/describe.ts): how far a run was trained, in words. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runSteps } from "../../lib/runs/describe";
import { TOY_CONFIG } from "./toy-run";

test("runSteps: steps, of how many, the profile, partial or not", () => {
  const config = { ...TOY_CONFIG, profile: "long" as const, steps: 100_000 };
  assert.equal(runSteps({ step: 100_000, complete: true, config }), "100000 of 100000 steps (long profile)");
  assert.equal(runSteps({ step: 12_000, complete: false, config }), "12000 of 100000 steps (long profile, partial)");
  assert.equal(runSteps({ step: 12_000, complete: false, config }, { total: false }), "12000 steps (long profile, partial)");
  assert.equal(runSteps({ step: 16, complete: true, config: TOY_CONFIG }, { total: false }), "16 steps (smoke profile)");
});
