/** chairs3d: factors and index, exact mirror views, leg style below the seat, elevation, determinism. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { CHAIRS3D_GRID, chairCamera, chairLights, chairShape, chairs3dMirrorAzimuth, openChairs3d } from "../../lib/data/chairs3d";
import { CHAIR_DIMENSIONS } from "../../lib/data/render3d/chair-model";
import { projectPoint } from "../../lib/data/render3d/camera";
import { makeRng } from "../../lib/rng";

const S = 64;
const ds = openChairs3d({ cache: "off" });
const img = (c: readonly number[]): Uint8Array => ds.observeBytes(Int32Array.from(c));

function flip(a: Uint8Array): Uint8Array {
  const o = new Uint8Array(a.length);
  for (let r = 0; r < S; r++) for (let c = 0; c < S; c++) for (let k = 0; k < 3; k++) o[(r * S + c) * 3 + k] = a[(r * S + S - 1 - c) * 3 + k];
  return o;
}

test("factors follow 3D Chairs' views and Table 3: 4 x 2 x 4 x 4 x 2 x 31 = 7,936 images", () => {
  assert.deepEqual(ds.factorNames, ["legStyle", "armrests", "backHeight", "seatWidth", "elevation", "azimuth"]);
  assert.deepEqual(ds.factorSizes, [4, 2, 4, 4, 2, 31]);
  assert.equal(ds.size, 7936);
  assert.deepEqual(ds.imageShape, [64, 64, 3]);
  const f = CHAIRS3D_GRID.factors;
  assert.deepEqual(f[0].labels, ["straight", "tapered", "pedestal", "sled"]);
  assert.deepEqual(f[4].values, [20, 30]);
  assert.equal(f[5].values[0], 0);
  assert.ok(Math.abs(f[5].values[1] - 11.6129) < 1e-4);
  assert.ok(Math.abs(f[5].values[30] - 348.387) < 1e-3);
  assert.ok(ds.memoryBytes <= 100 * 2 ** 20, `${ds.memoryBytes} bytes held`);
});

test("index <-> factor classes round trip over every index; bad input names the factor", () => {
  const all = ds.factorsOfItems(Uint32Array.from({ length: ds.size }, (_, i) => i));
  for (let i = 0; i < ds.size; i++) assert.equal(CHAIRS3D_GRID.index(all, i * 6), i);
  assert.deepEqual([...all.subarray(6, 12)], [0, 0, 0, 0, 0, 1], "azimuth is the fastest factor");
  assert.deepEqual([...all.subarray(31 * 6, 32 * 6)], [0, 0, 0, 0, 1, 0]);
  assert.deepEqual([...all.subarray((ds.size - 1) * 6)], [3, 1, 3, 3, 1, 30]);
  assert.throws(() => img([4, 0, 0, 0, 0, 0]), /chairs3d: factor legStyle class 4 is out of range \[0, 4\)/);
  assert.throws(() => img([0, 0, 0, 0, 0, 31]), /chairs3d: factor azimuth class 31 is out of range \[0, 31\)/);
  assert.throws(() => ds.factorsOfItems([7936]), /chairs3d: index 7936 is out of range \[0, 7936\)/);
});

test("grey chairs on white, inside the frame", () => {
  const rng = makeRng(5);
  const f = ds.sampleFactors(60, rng);
  const b = ds.observe(f);
  for (let i = 0; i < 60; i++) {
    const px = b.data.subarray(i * S * S * 3, (i + 1) * S * S * 3);
    let drawn = 0;
    for (let p = 0; p < S * S; p++) {
      const [r, g, bl] = [px[3 * p], px[3 * p + 1], px[3 * p + 2]];
      assert.ok(r === g && g === bl, "grey");
      if (r < 1) drawn++;
      const row = Math.floor(p / S);
      const col = p % S;
      if (row < 2 || row > 61 || col < 2 || col > 61) assert.equal(r, 1, `image ${i}: pixel (${row}, ${col}) within 2 px of the border is white`);
    }
    assert.ok(drawn > 250, `image ${i}: ${drawn} chair pixels`);
  }
});

test("mirror views: the chair at azimuth a is exactly the flipped chair at -a", () => {
  // every leg style, with and without arms, two sizes, all 62 views: 992 images compared byte for byte
  for (let leg = 0; leg < 4; leg++) {
    for (let arms = 0; arms < 2; arms++) {
      for (const [back, width] of [[0, 3], [3, 0]]) {
        for (let el = 0; el < 2; el++) {
          for (let az = 0; az < 31; az++) {
            const a = img([leg, arms, back, width, el, az]);
            const b = img([leg, arms, back, width, el, chairs3dMirrorAzimuth(az)]);
            assert.deepEqual(a, flip(b), `leg ${leg} arms ${arms} back ${back} width ${width} el ${el} az ${az}`);
          }
        }
      }
    }
  }
  // the front view (azimuth 0) is its own mirror, so it is left-right symmetric; a 3/4 view is not
  const front = img([2, 1, 2, 2, 0, 0]);
  assert.deepEqual(front, flip(front));
  assert.notDeepEqual(img([2, 1, 2, 2, 0, 3]), flip(img([2, 1, 2, 2, 0, 3])));
});

test("leg style changes only pixels below the seat (every view), and always changes some", () => {
  const D = CHAIR_DIMENSIONS;
  for (const [arms, back, width] of [[0, 0, 0], [1, 3, 3], [1, 1, 2]]) {
    for (let el = 0; el < 2; el++) {
      for (let az = 0; az < 31; az++) {
        const c = [0, arms, back, width, el, az];
        const cam = chairCamera(c);
        const hw = chairShape(c).seatWidth / 2;
        // the highest image row reached by the seat's underside (its four corners)
        let top = Infinity;
        for (const x of [-hw, hw]) for (const z of [-D.seatDepth / 2, D.seatDepth / 2]) top = Math.min(top, projectPoint(cam, [x, D.seatBottom, z], S).row);
        const images = [0, 1, 2, 3].map((leg) => img([leg, arms, back, width, el, az]));
        for (let a = 0; a < 4; a++) {
          for (let b = a + 1; b < 4; b++) {
            let changed = 0;
            for (let p = 0; p < S * S; p++) {
              if (images[a][3 * p] === images[b][3 * p]) continue;
              changed++;
              assert.ok(Math.floor(p / S) >= Math.floor(top), `az ${az} el ${el}: leg styles ${a}/${b} differ at row ${Math.floor(p / S)}, above the seat's underside (row ${top.toFixed(1)})`);
            }
            assert.ok(changed >= 50, `az ${az} el ${el}: leg styles ${a}/${b} differ in only ${changed} pixels`);
          }
        }
      }
    }
  }
});

test("elevation: the seat's top face seen from the front grows from ~6.8 px (20 degrees) to ~9.7 px (30 degrees), as projected", () => {
  // In the middle column of a front view the seat's top face is a run of pixels of one exact shade:
  // Lambert with the normal straight up. Its length is measured and compared with the projection of
  // the seat's front edge and of the line where the backrest meets the seat.
  const zBackrest = -CHAIR_DIMENSIONS.seatDepth / 2 + 0.0376; // the backrest's front face at seat height
  const runs: number[] = [];
  for (let el = 0; el < 2; el++) {
    const c = [0, 0, 1, 1, el, 0];
    const cam = chairCamera(c);
    let light = 0.35;
    for (const l of chairLights(cam)) light += l.intensity * Math.max(0, l.direction[1] / Math.hypot(...l.direction));
    const shade = Math.round(255 * 0.74 * light);
    const front = projectPoint(cam, [0, CHAIR_DIMENSIONS.seatTop, CHAIR_DIMENSIONS.seatDepth / 2], S).row;
    const back = projectPoint(cam, [0, CHAIR_DIMENSIONS.seatTop, zBackrest], S).row;
    const image = img(c);
    for (const col of [31, 32]) {
      const rows: number[] = [];
      for (let r = 0; r < S; r++) if (Math.abs(image[(r * S + col) * 3] - shade) <= 1) rows.push(r);
      assert.ok(rows.length > 0, `el class ${el}: no pixel of the seat's shade ${shade}`);
      assert.equal(rows[rows.length - 1] - rows[0] + 1, rows.length, "one contiguous run");
      assert.ok(Math.abs(rows.length - (front - back)) <= 1, `el class ${el}: run of ${rows.length} px, projection ${(front - back).toFixed(2)} px`);
      assert.ok(Math.abs(rows[0] - back) <= 1 && Math.abs(rows[rows.length - 1] + 1 - front) <= 1, `run ${rows[0]}..${rows[rows.length - 1]}, projected ${back.toFixed(2)}..${front.toFixed(2)}`);
    }
    runs.push(front - back);
  }
  assert.ok(runs[1] - runs[0] > 2, `the seat's apparent depth grows with elevation: ${runs.map((r) => r.toFixed(2)).join(" -> ")}`);
});

test("deterministic: two datasets render the same bytes, in any order", () => {
  const other = openChairs3d({ cache: "off" });
  const f = ds.sampleFactors(80, makeRng(11));
  const reversed = new Int32Array(f.length);
  for (let i = 0; i < 80; i++) reversed.set(f.subarray((79 - i) * 6, (80 - i) * 6), i * 6);
  const a = ds.observeBytes(f);
  const b = other.observeBytes(reversed);
  for (let i = 0; i < 80; i++) assert.deepEqual(a.subarray(i * S * S * 3, (i + 1) * S * S * 3), b.subarray((79 - i) * S * S * 3, (80 - i) * S * S * 3));
});
