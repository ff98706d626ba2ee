/**
 * TrainConfig validation (train/config.ts): a bad field is named.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { makeConfig } from "../../lib/train/config";

test("bad configs are rejected with the field named", () => {
  assert.throws(() => makeConfig({ steps: 0 }), /TrainConfig\.steps/);
  assert.throws(() => makeConfig({ regulariser: { kind: "beta", beta: -1 } }), /regulariser\.beta/);
  assert.throws(() => makeConfig({ preset: "a b" }), /TrainConfig\.preset/);
  assert.throws(() => makeConfig({ optimizer: { beta2: 1 } }), /optimizer\.beta2/);
});
