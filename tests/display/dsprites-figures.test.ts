/**
 * The dSprites figures (display/dsprites-figures.ts) render.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadImage } from "canvas";
import { openDsprites } from "../../lib/data/dsprites";
import { dspritesSamplesPng, dspritesTraversalsPng, sweepClasses } from "../../lib/display/dsprites-figures";

test("dSprites figures render (samples grid and traversals)", async () => {
  const ds = openDsprites({ source: "generated" });
  const samples = await loadImage(dspritesSamplesPng(ds, { n: 8, cols: 4 }));
  assert.ok(samples.width > 4 * 128 && samples.height > 2 * 128);
  const trav = await loadImage(dspritesTraversalsPng(ds));
  assert.ok(trav.width > 11 * 128 && trav.height > 5 * 128);
  assert.deepEqual(sweepClasses(40, 11), [0, 4, 8, 12, 16, 20, 23, 27, 31, 35, 39]);
  assert.deepEqual(sweepClasses(3, 11), [0, 1, 2]);
});
