/** faces3d: factors and index, exact mirror (pose and light), and what each factor may change. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { FACES3D_GRID, faceCamera, faces3dMirrorClass, openFaces3d } from "../../lib/data/faces3d";
import { projectPoint } from "../../lib/data/render3d/camera";
import { makeRng } from "../../lib/rng";

const S = 64;
const ds = openFaces3d({ cache: "off" });
const img = (c: readonly number[]): Uint8Array => ds.observeBytes(Int32Array.from(c));
// skinTone, hairColor, smile, background, lighting, elevation, azimuth
const BASE = [1, 1, 1, 1, 2, 1, 4];
const withFactor = (f: number, v: number, base: readonly number[] = BASE): number[] => base.map((x, i) => (i === f ? v : x));

function flip(a: Uint8Array): Uint8Array {
  const o = new Uint8Array(a.length);
  for (let r = 0; r < S; r++) for (let c = 0; c < S; c++) for (let k = 0; k < 3; k++) o[(r * S + c) * 3 + k] = a[(r * S + S - 1 - c) * 3 + k];
  return o;
}

/** Pixels (as row, col) where two images differ. */
function changed(a: Uint8Array, b: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0; p < S * S; p++) if (a[3 * p] !== b[3 * p] || a[3 * p + 1] !== b[3 * p + 1] || a[3 * p + 2] !== b[3 * p + 2]) out.push([Math.floor(p / S), p % S]);
  return out;
}

test("factors: skin 3, hair 4, smile 3, background 4, lighting 5, elevation 3, azimuth 9 = 19,440 images under 300 MB", () => {
  assert.deepEqual(ds.factorNames, ["skinTone", "hairColor", "smile", "background", "lighting", "elevation", "azimuth"]);
  assert.deepEqual(ds.factorSizes, [3, 4, 3, 4, 5, 3, 9]);
  assert.equal(ds.size, 19440);
  assert.ok(ds.memoryBytes < 300e6, `${ds.memoryBytes} bytes`);
  assert.deepEqual(FACES3D_GRID.factors[1].labels, ["black", "brown", "blond", "grey"]);
  assert.deepEqual(FACES3D_GRID.factors[6].values, [-60, -45, -30, -15, 0, 15, 30, 45, 60]);
  assert.deepEqual(FACES3D_GRID.factors[4].values, [-60, -30, 0, 30, 60]);
  const all = ds.factorsOfItems(Uint32Array.from({ length: ds.size }, (_, i) => i));
  for (let i = 0; i < ds.size; i++) assert.equal(FACES3D_GRID.index(all, i * 7), i);
  assert.throws(() => img(withFactor(3, 4)), /faces3d: factor background class 4 is out of range \[0, 4\)/);
});

test("mirror: (azimuth a, light l) is exactly the flipped image of (-a, -l)", () => {
  const f = ds.sampleFactors(150, makeRng(2));
  for (let i = 0; i < 150; i++) {
    const c = Array.from(f.subarray(i * 7, i * 7 + 7));
    const m = [...c];
    m[4] = faces3dMirrorClass(5, c[4]);
    m[6] = faces3dMirrorClass(9, c[6]);
    assert.deepEqual(img(c), flip(img(m)), `classes ${c.join(",")}`);
  }
});

test("background changes only the background and the anti-aliased rim of the silhouette (within 2 px of it)", () => {
  const bgColour = (image: Uint8Array) => [...image.subarray(0, 3)];
  for (const az of [0, 4, 8]) {
    const images = [0, 1, 2, 3].map((b) => img(withFactor(6, az, withFactor(3, b))));
    const pure = images.map((im) => {
      const bg = bgColour(im);
      return Array.from({ length: S * S }, (_, p) => im[3 * p] === bg[0] && im[3 * p + 1] === bg[1] && im[3 * p + 2] === bg[2]);
    });
    for (let b = 1; b < 4; b++) {
      assert.deepEqual(pure[b], pure[0], "the same silhouette");
      for (const [r, c] of changed(images[0], images[b])) {
        let nearBackground = false;
        for (let dr = -2; dr <= 2; dr++) for (let dc = -2; dc <= 2; dc++) if (pure[0][(Math.min(S - 1, Math.max(0, r + dr))) * S + Math.min(S - 1, Math.max(0, c + dc))]) nearBackground = true;
        assert.ok(nearBackground, `az ${az}, background ${b}: pixel (${r}, ${c}) inside the head changed`);
      }
    }
  }
  // the four backgrounds themselves
  assert.deepEqual([0, 1, 2, 3].map((b) => bgColour(img(withFactor(3, b)))), [[224, 224, 224], [153, 189, 230], [168, 204, 153], [69, 74, 89]]);
});

test("smile changes only pixels around the mouth", () => {
  for (const [el, az] of [[1, 4], [0, 2], [2, 6], [1, 8]]) {
    const c = withFactor(5, el, withFactor(6, az));
    const cam = faceCamera(c);
    // the mouth region in the head's frame: x within 0.2, y from -0.43 to -0.25, on the face's front
    let r0 = Infinity, r1 = -Infinity, c0 = Infinity, c1 = -Infinity;
    for (const x of [-0.2, 0.2]) for (const y of [-0.43, -0.25]) for (const z of [0.35, 0.56]) {
      const p = projectPoint(cam, [x, y, z], S);
      r0 = Math.min(r0, p.row); r1 = Math.max(r1, p.row); c0 = Math.min(c0, p.col); c1 = Math.max(c1, p.col);
    }
    const images = [0, 1, 2].map((s) => img(withFactor(2, s, c)));
    for (const [a, b] of [[0, 1], [0, 2], [1, 2]]) {
      const diff = changed(images[a], images[b]);
      assert.ok(diff.length >= 4, `el ${el} az ${az}: smiles ${a}/${b} differ in ${diff.length} pixels`);
      for (const [r, col] of diff) assert.ok(r >= Math.floor(r0) && r <= Math.ceil(r1) && col >= Math.floor(c0) && col <= Math.ceil(c1), `el ${el} az ${az}: smile ${a}/${b} changed (${r}, ${col}) outside rows ${r0.toFixed(1)}..${r1.toFixed(1)}, cols ${c0.toFixed(1)}..${c1.toFixed(1)}`);
    }
  }
});

test("hair colour changes the top of the head, never the chin, neck or shoulders", () => {
  const c = BASE; // frontal, eye level
  const chin = projectPoint(faceCamera(c), [0, -0.45, 0.45], S).row;
  const images = [0, 1, 2, 3].map((h) => img(withFactor(1, h, c)));
  for (let h = 1; h < 4; h++) {
    const diff = changed(images[0], images[h]);
    assert.ok(diff.length > 200, `hair ${h}: ${diff.length} pixels changed`);
    for (const [r] of diff) assert.ok(r < chin, `hair ${h}: row ${r} changed, below the chin (row ${chin.toFixed(1)})`);
  }
});

test("lighting: a light from the camera's left brightens the left half of the face, from the right the right half", () => {
  const brightness = (image: Uint8Array, from: number, to: number) => {
    let s = 0;
    for (let r = 16; r < 44; r++) for (let col = from; col < to; col++) s += image[(r * S + col) * 3] + image[(r * S + col) * 3 + 1] + image[(r * S + col) * 3 + 2];
    return s;
  };
  const left = img(withFactor(4, 0)); // -60 degrees
  const right = img(withFactor(4, 4)); // +60 degrees
  assert.ok(brightness(left, 20, 32) > 1.1 * brightness(left, 32, 44), "light -60: left half brighter");
  assert.ok(brightness(right, 32, 44) > 1.1 * brightness(right, 20, 32), "light +60: right half brighter");
  // and darker skin is darker
  const skin = [0, 1, 2].map((s) => brightness(img(withFactor(0, s)), 24, 40));
  assert.ok(skin[0] > skin[1] && skin[1] > skin[2], `skin brightness ${skin.join(" > ")}`);
});
