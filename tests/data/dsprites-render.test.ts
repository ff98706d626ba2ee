import { test } from "node:test";
import assert from "node:assert/strict";
import { renderDsprites } from "../../lib/data/dsprites-render";
import { openDsprites } from "../../lib/data/dsprites";
import { makeRng } from "../../lib/rng";

const S = 64;

function render(shape: number, scale: number, orientation: number, posX: number, posY: number): Uint8Array {
  const out = new Uint8Array(S * S);
  renderDsprites(Int32Array.of(0, shape, scale, orientation, posX, posY), out, 1);
  return out;
}

function stats(img: Uint8Array) {
  let area = 0, sx = 0, sy = 0, x0 = S, x1 = -1, y0 = S, y1 = -1;
  for (let r = 0; r < S; r++) {
    for (let c = 0; c < S; c++) {
      if (!img[r * S + c]) continue;
      area++;
      sx += c + 0.5;
      sy += r + 0.5;
      x0 = Math.min(x0, c); x1 = Math.max(x1, c); y0 = Math.min(y0, r); y1 = Math.max(y1, r);
    }
  }
  return { area, cx: sx / area, cy: sy / area, width: x1 - x0 + 1, height: y1 - y0 + 1, x0, x1, y0, y1 };
}

test("images are binary, non-empty and never touch the border", () => {
  const rng = makeRng(7);
  const ds = openDsprites({ source: "generated" });
  const f = ds.sampleFactors(300, rng);
  const imgs = ds.observeBinary(f);
  for (let i = 0; i < 300; i++) {
    const img = imgs.subarray(i * S * S, (i + 1) * S * S);
    assert.ok(img.every((p) => p === 0 || p === 1));
    const st = stats(img);
    assert.ok(st.area > 30, `image ${i} area ${st.area}`);
    assert.ok(st.x0 > 0 && st.y0 > 0 && st.x1 < S - 1 && st.y1 < S - 1);
  }
  // extreme corners of the factor space still fit
  for (const shape of [0, 1, 2]) for (const o of [0, 5, 10, 15]) for (const p of [0, 31]) {
    const st = stats(render(shape, 5, o, p, p));
    assert.ok(st.x0 > 0 && st.y0 > 0 && st.x1 < S - 1 && st.y1 < S - 1);
  }
});

test("centroid follows posX (columns) and posY (rows, downwards) over 16..48 px", () => {
  for (const shape of [0, 1, 2]) {
    let prevX = -Infinity;
    let prevY = -Infinity;
    for (let p = 0; p < 32; p++) {
      const sx = stats(render(shape, 5, 0, p, 10));
      const sy = stats(render(shape, 5, 0, 10, p));
      assert.ok(sx.cx > prevX, `posX ${p}: cx ${sx.cx} should grow`);
      assert.ok(sy.cy > prevY, `posY ${p}: cy ${sy.cy} should grow`);
      prevX = sx.cx;
      prevY = sy.cy;
      const expected = 16 + (32 * p) / 31; // centre in pixels
      if (shape === 0) {
        assert.ok(Math.abs(sx.cx - expected) <= 0.5, `square cx ${sx.cx} vs ${expected}`);
        assert.ok(Math.abs(sy.cy - expected) <= 0.5, `square cy ${sy.cy} vs ${expected}`);
      }
    }
    const a = stats(render(shape, 5, 0, 0, 0));
    const b = stats(render(shape, 5, 0, 31, 31));
    assert.ok(Math.abs(b.cx - a.cx - 32) < 0.6 && Math.abs(b.cy - a.cy - 32) < 0.6, "the position range spans 32 px");
  }
});

test("known answers measured on the official frames (dsprites.gif)", () => {
  // square, orientation 0, position (0, 0): side 10, 12, ..., 20 px, bbox starting at 11, 10, ..., 6
  for (let s = 0; s < 6; s++) {
    const st = stats(render(0, s, 0, 0, 0));
    assert.equal(st.width, 10 + 2 * s);
    assert.equal(st.height, 10 + 2 * s);
    assert.equal(st.area, (10 + 2 * s) ** 2);
    assert.equal(st.x0, 11 - s);
  }
  // the square at orientation 5 (46 deg): area 368, width 26 (official frame 279)
  const sq = stats(render(0, 5, 5, 0, 0));
  assert.ok(Math.abs(sq.area - 368) <= 4, `rotated square area ${sq.area}`);
  assert.equal(sq.width, 26);
  // ellipse, scale 1, orientation 0: area 288, 26 x 14 (frame 197); scale 0.5: 12 x 8, area 76 (frame 192)
  const e1 = stats(render(1, 5, 0, 0, 0));
  assert.deepEqual([e1.area, e1.width, e1.height], [288, 26, 14]);
  const e0 = stats(render(1, 0, 0, 0, 0));
  assert.deepEqual([e0.width, e0.height], [12, 8]);
  assert.ok(Math.abs(e0.area - 76) <= 2);
  // heart, scale 1, orientation 0: area 222, 20 x 17 px, centroid above the centre (frame 5)
  const h = stats(render(2, 5, 0, 0, 0));
  assert.ok(Math.abs(h.area - 222) <= 3, `heart area ${h.area}`);
  assert.deepEqual([h.width, h.height], [20, 17]);
  assert.ok(h.cy < 15.5 && Math.abs(h.cx - 16) < 1e-9);
  // orientation turns counter-clockwise on screen: the heart's centroid first moves left
  const h1 = stats(render(2, 5, 2, 0, 0));
  assert.ok(h1.cx < h.cx - 0.3);
  // ...and at orientation class 5 (0.8 rad) ellipses run from lower left to upper right, as in the
  // official notebook's "orientation fixed to 0.8 rad" samples
  const e5 = render(1, 5, 5, 10, 10);
  const c5 = stats(e5);
  let upRight = 0;
  let upLeft = 0;
  for (let r = 0; r < S; r++) for (let c = 0; c < S; c++) {
    if (!e5[r * S + c] || r + 0.5 > c5.cy - 3) continue;
    if (c + 0.5 > c5.cx) upRight++;
    else upLeft++;
  }
  assert.ok(upRight > 3 * upLeft, `upper right ${upRight} vs upper left ${upLeft}`);
});

test("area grows with scale (about as scale^2) for every shape", () => {
  for (const shape of [0, 1, 2]) {
    const areas = [0, 1, 2, 3, 4, 5].map((s) => stats(render(shape, s, 7, 12, 20)).area);
    for (let s = 1; s < 6; s++) assert.ok(areas[s] > areas[s - 1], `shape ${shape}: ${areas}`);
    const ratio = areas[5] / areas[0];
    assert.ok(ratio > 3.3 && ratio < 4.8, `shape ${shape}: area ratio ${ratio} (4 expected)`);
  }
});

test("orientation 0 and 2pi give the same image; the three shapes differ", () => {
  for (const shape of [0, 1, 2]) for (const s of [0, 3, 5]) for (const p of [0, 13, 31]) {
    assert.deepEqual(render(shape, s, 0, p, 31 - p), render(shape, s, 39, p, 31 - p));
  }
  // square: quarter-turn symmetric, so orientation ~pi/2 (class 10, 92.3 deg) is close but not equal
  const a = render(0, 5, 0, 5, 5);
  const b = render(1, 5, 0, 5, 5);
  const c = render(2, 5, 0, 5, 5);
  const diff = (x: Uint8Array, y: Uint8Array) => x.reduce((n, v, i) => n + (v !== y[i] ? 1 : 0), 0);
  assert.ok(diff(a, b) > 50 && diff(a, c) > 50 && diff(b, c) > 50);
  // every orientation step changes the heart (it has no rotational symmetry)
  for (let o = 1; o < 40; o++) assert.ok(diff(render(2, 5, o - 1, 9, 9), render(2, 5, o, 9, 9)) > 0);
});
