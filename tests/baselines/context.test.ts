/** The field's context numbers (lib/baselines/context.ts): well-formed, and placeAmong on known positions. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DSPRITES_CONTEXT, contextFor, placeAmong } from "../../lib/baselines/context";

test("every context entry is on the 0-1 scale with a consistent spread and a source", () => {
  for (const e of DSPRITES_CONTEXT) {
    assert.ok(e.value > 0 && e.value < 1, `${e.metric} ${e.model}: ${e.value}`);
    if (e.spread?.kind === "iqr") assert.ok(e.spread.q1 <= e.value && e.value <= e.spread.q3, `${e.metric} beta ${e.beta}: median outside its IQR`);
    assert.ok(e.source.length > 10);
    if (e.model === "VAE" && e.beta !== undefined) assert.equal(e.beta, 1);
  }
});

test("placeAmong: inside, below and above an IQR; within and beyond one sd; a bare value", () => {
  const [beta4Mig] = contextFor("mig", "beta-VAE", 4).filter((e) => e.spread?.kind === "iqr");
  assert.equal(beta4Mig.value, 0.09);
  assert.equal(placeAmong(0.1, beta4Mig), "inside the IQR");
  assert.equal(placeAmong(0.156, beta4Mig), "above Q3");
  assert.equal(placeAmong(0.01, beta4Mig), "below Q1");
  const [lin] = contextFor("dci", "beta-VAE").filter((e) => e.spread?.kind === "+-");
  assert.equal(placeAmong(0.5, lin), "within +-1 sd");
  assert.equal(placeAmong(0.235, lin), "below -1 sd");
  const [bare] = contextFor("mig", "VAE").filter((e) => !e.spread);
  assert.equal(placeAmong(0.021, bare), "below");
  // VAE entries at beta = 4 are not returned; beta-unspecified entries always are.
  assert.ok(contextFor("mig", "beta-VAE", 4).every((e) => e.beta === undefined || e.beta === 4));
});
