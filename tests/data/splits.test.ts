import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_SPLIT, Minibatches, heldOutSplit, itemFactors } from "../../lib/data/splits";
import { openDsprites } from "../../lib/data/dsprites";
import { dspritesClasses } from "../../lib/data/dsprites-spec";
import type { GroundTruthDataset } from "../../lib/data/dataset";

test("held-out split: deterministic for a seed, disjoint, covering, sorted", () => {
  const a = heldOutSplit(737280);
  const b = heldOutSplit(737280, { seed: DEFAULT_SPLIT.seed, heldOut: DEFAULT_SPLIT.heldOut });
  assert.deepEqual(a.test, b.test);
  assert.equal(a.test.length, 10_000);
  assert.equal(a.train.length, 737280 - 10_000);
  const seen = new Uint8Array(737280);
  for (const i of a.test) seen[i]++;
  for (const i of a.train) seen[i]++;
  assert.ok(seen.every((x) => x === 1), "train and test are disjoint and cover every item");
  for (let i = 1; i < a.test.length; i++) assert.ok(a.test[i] > a.test[i - 1]);
  const c = heldOutSplit(737280, { seed: 1 });
  assert.notDeepEqual(c.test, a.test);
  assert.throws(() => heldOutSplit(10, { heldOut: 10 }), /heldOut 10 must be an integer in \[0, 10\)/);
});

test("minibatches: seeded, without replacement within an epoch, images match the items", () => {
  const ds = openDsprites({ source: "generated" });
  const items = Uint32Array.from({ length: 1000 }, (_, i) => i * 701);
  const m1 = new Minibatches(ds, items, 64, 5);
  const m2 = new Minibatches(ds, items, 64, 5);
  const seen = new Set<number>();
  for (let k = 0; k < 15; k++) {
    const b1 = m1.next();
    const b2 = m2.nextItems();
    assert.deepEqual(b1.items, b2);
    for (const i of b1.items) {
      assert.ok(!seen.has(i), "no repeats within an epoch");
      seen.add(i);
    }
    assert.equal(b1.images.n, 64);
    assert.deepEqual(b1.factors.subarray(0, 6), dspritesClasses(b1.items[0]));
    assert.deepEqual(b1.images.data.subarray(0, 4096), ds.observe(dspritesClasses(b1.items[0])).data);
  }
  assert.equal(m1.epoch, 0);
  m1.next(); // 16 * 64 > 1000: a new epoch starts (the tail of 40 items is dropped)
  assert.equal(m1.epoch, 1);
  assert.notDeepEqual(new Minibatches(ds, items, 64, 6).nextItems(), new Minibatches(ds, items, 64, 5).nextItems());
});

test("itemFactors unravels items of a generic full-factorial dataset (posY-fastest order)", () => {
  const toy: GroundTruthDataset = {
    name: "toy", source: "x", numFactors: 3, factorSizes: [2, 3, 4], factorNames: ["a", "b", "c"], size: 24,
    imageShape: [1, 1, 1], sampleFactors: () => new Int32Array(0), observe: () => { throw new Error("unused"); },
  };
  assert.deepEqual([...itemFactors(toy, [0, 1, 4, 23])], [0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 2, 3]);
  assert.throws(() => itemFactors(toy, [24]), /item 24 out of range/);
});
