/**
 * dSprites' specification (data/dsprites-spec.ts): the official factor tables and index order.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DSPRITES_BASES, DSPRITES_FACTOR_NAMES, DSPRITES_FACTOR_SIZES, DSPRITES_FACTOR_VALUES, DSPRITES_SIZE, dspritesClasses, dspritesIndex, dspritesValues } from "../../lib/data/dsprites-spec";
import { makeRng } from "../../lib/rng";

test("factor names, sizes, bases and value tables are the official ones", () => {
  assert.deepEqual([...DSPRITES_FACTOR_NAMES], ["color", "shape", "scale", "orientation", "posX", "posY"]);
  assert.deepEqual([...DSPRITES_FACTOR_SIZES], [1, 3, 6, 40, 32, 32]);
  assert.deepEqual([...DSPRITES_BASES], [737280, 245760, 40960, 1024, 32, 1]);
  assert.equal(DSPRITES_SIZE, 737280);
  assert.deepEqual([...DSPRITES_FACTOR_VALUES[0]], [1]);
  assert.deepEqual([...DSPRITES_FACTOR_VALUES[1]], [1, 2, 3]);
  const close = (a: ArrayLike<number>, b: number[]) => b.forEach((v, i) => assert.ok(Math.abs(a[i] - v) < 1e-12, `${a[i]} vs ${v}`));
  close(DSPRITES_FACTOR_VALUES[2], [0.5, 0.6, 0.7, 0.8, 0.9, 1]);
  const or = DSPRITES_FACTOR_VALUES[3];
  assert.equal(or[0], 0);
  assert.ok(Math.abs(or[39] - 2 * Math.PI) < 1e-12);
  // values printed by the official notebook's metadata
  assert.ok(Math.abs(or[1] - 0.16110732) < 1e-8);
  assert.ok(Math.abs(or[13] - 2.0943951) < 1e-7);
  for (const f of [4, 5]) {
    assert.equal(DSPRITES_FACTOR_VALUES[f][0], 0);
    assert.equal(DSPRITES_FACTOR_VALUES[f][31], 1);
    assert.ok(Math.abs(DSPRITES_FACTOR_VALUES[f][1] - 0.03225806) < 1e-8);
  }
});

test("index <-> classes round trip in the official order (posY fastest)", () => {
  assert.deepEqual([...dspritesClasses(0)], [0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...dspritesClasses(1)], [0, 0, 0, 0, 0, 1]);
  assert.deepEqual([...dspritesClasses(32)], [0, 0, 0, 0, 1, 0]);
  assert.deepEqual([...dspritesClasses(1024)], [0, 0, 0, 1, 0, 0]);
  assert.deepEqual([...dspritesClasses(245760)], [0, 1, 0, 0, 0, 0]);
  assert.deepEqual([...dspritesClasses(DSPRITES_SIZE - 1)], [0, 2, 5, 39, 31, 31]);
  const rng = makeRng(1);
  for (let k = 0; k < 2000; k++) {
    const i = rng.int(DSPRITES_SIZE);
    assert.equal(dspritesIndex(dspritesClasses(i)), i);
  }
  assert.throws(() => dspritesIndex([0, 3, 0, 0, 0, 0]), /shape class 3 is out of range/);
  assert.throws(() => dspritesClasses(DSPRITES_SIZE), /out of range/);
  const v = dspritesValues([0, 2, 5, 39, 31, 0]);
  assert.deepEqual([v[0], v[1], v[2], v[4], v[5]], [1, 3, 1, 1, 0]);
});
