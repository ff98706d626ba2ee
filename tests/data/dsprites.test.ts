/**
 * The dSprites dataset (data/dsprites.ts): observe renders the classes; sampling is seeded.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DSPRITES_FACTOR_SIZES } from "../../lib/data/dsprites-spec";
import { renderDsprites } from "../../lib/data/dsprites-render";
import { openDsprites } from "../../lib/data/dsprites";
import { makeRng } from "../../lib/rng";

const S = 64;

function render(shape: number, scale: number, orientation: number, posX: number, posY: number): Uint8Array {
  const out = new Uint8Array(S * S);
  renderDsprites(Int32Array.of(0, shape, scale, orientation, posX, posY), out, 1);
  return out;
}

test("dataset: observe gives float32 NHWC 0/1 equal to the binary render; sampling is seeded", () => {
  const ds = openDsprites({ source: "generated" });
  assert.equal(ds.source, "generated");
  assert.equal(ds.size, 737280);
  assert.deepEqual([...ds.imageShape], [64, 64, 1]);
  const f1 = ds.sampleFactors(50, makeRng(3));
  const f2 = ds.sampleFactors(50, makeRng(3));
  assert.deepEqual(f1, f2);
  for (let i = 0; i < 50; i++) for (let k = 0; k < 6; k++) assert.ok(f1[i * 6 + k] < DSPRITES_FACTOR_SIZES[k]);
  const batch = ds.observe(f1);
  assert.deepEqual([batch.n, batch.height, batch.width, batch.channels], [50, 64, 64, 1]);
  assert.ok(batch.data instanceof Float32Array);
  const bin = ds.observeBinary(f1);
  assert.deepEqual(Array.from(batch.data), Array.from(bin));
  assert.throws(() => ds.observe(Int32Array.of(0, 0, 6, 0, 0, 0)), /out of range/);
});
