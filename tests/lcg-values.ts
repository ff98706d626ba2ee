/**
 * Shared by the wasm tests: deterministic floats from a linear congruential generator, so that a
 * test's inputs do not depend on any RNG state shared with other tests. Not a test file itself.
 */

/** n values in [lo, lo + 1) from seed (lo = -0.5: centred on 0). */
export function lcgValues(n: number, seed: number, lo = -0.5): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + s / 4294967296;
  }
  return out;
}
