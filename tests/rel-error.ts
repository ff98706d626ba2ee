/**
 * Shared by the backend tests: max |got - want| / max |want| over a whole tensor (elementwise
 * relative error is meaningless where a value crosses zero). Not a test file itself.
 */
import assert from "node:assert/strict";

export function relError(got: Float32Array, want: Float32Array): number {
  assert.equal(got.length, want.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return scale === 0 ? diff : diff / scale;
}
