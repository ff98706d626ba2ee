/** The small 3-D renderer: projection, coverage, shading, the z-buffer and exact mirror symmetry. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { projectPoint, signedAngle, type OrbitCamera } from "../../../lib/data/render3d/camera";
import { concat, MeshBuilder, withMirror, type Mesh, type Rgb } from "../../../lib/data/render3d/mesh";
import { box, ellipsoid, frustum, tube } from "../../../lib/data/render3d/primitives";
import { renderMesh, type RenderOptions } from "../../../lib/data/render3d/raster";
import { makeRng } from "../../../lib/rng";

const S = 64;
const front = (focal = 100, distance = 4): OrbitCamera => ({ target: [0, 0, 0], distance, focal, azimuth: signedAngle(0), elevation: signedAngle(0) });
const OPTS: RenderOptions = { size: S, supersample: 4, background: [1, 1, 1], ambient: 0, lights: [{ direction: [0, 0, 1], intensity: 1 }] };

function render(mesh: Mesh, cam: OrbitCamera, opts: RenderOptions = OPTS): Uint8Array {
  const out = new Uint8Array(S * S * 3);
  renderMesh(mesh, cam, opts, out);
  return out;
}

function flip(img: Uint8Array): Uint8Array {
  const o = new Uint8Array(img.length);
  for (let r = 0; r < S; r++) for (let c = 0; c < S; c++) for (let k = 0; k < 3; k++) o[(r * S + c) * 3 + k] = img[(r * S + S - 1 - c) * 3 + k];
  return o;
}

test("signedAngle: a and -a have exactly negated sines and equal cosines", () => {
  for (let k = 1; k < 200; k++) {
    const deg = (k * 360) / 31 - 7.3;
    const a = signedAngle(deg);
    const b = signedAngle(-deg);
    assert.equal(b.sin, -a.sin);
    assert.equal(b.cos, a.cos);
  }
  assert.equal(signedAngle(0).sin, 0);
});

test("a black square facing the camera covers its projected area (anti-aliased coverage)", () => {
  // A 1 x 1 square at depth 4 (a thin box whose front face is at z = 0), focal 100 px:
  // its side is 100 * 1 / 4 = 25 px, so 625 px of coverage, shared by partly covered edge pixels.
  const black: Rgb = [0, 0, 0];
  const mesh = box([-0.5, -0.5, -0.01], [0.5, 0.5, 0], black);
  const img = render(mesh, front(100, 4));
  let coverage = 0;
  let partial = 0;
  for (let p = 0; p < S * S; p++) {
    coverage += 1 - img[p * 3] / 255;
    if (img[p * 3] > 0 && img[p * 3] < 255) partial++;
  }
  assert.ok(Math.abs(coverage - 625) < 3, `coverage ${coverage.toFixed(2)} px, expected 625`);
  // 25 px side centred on the 64-px image: edges at 19.5 and 44.5, so the edge pixels are half covered
  assert.ok(partial > 80 && partial <= 100, `${partial} partly covered pixels`);
  assert.equal(img[(32 * S + 32) * 3], 0, "the centre is black");
  assert.equal(img[0], 255, "the corner is background");
  const p = projectPoint(front(100, 4), [0.5, 0.5, 0], S);
  assert.ok(Math.abs(p.col - 44.5) < 1e-9 && Math.abs(p.row - 19.5) < 1e-9, `corner at ${p.col}, ${p.row}`);
});

test("Lambert shading: albedo x (ambient + intensity x cos), rounded to 8 bits", () => {
  const grey: Rgb = [0.5, 0.5, 0.5];
  const mesh = box([-1, -1, -0.1], [1, 1, 0], grey);
  const lit = (direction: [number, number, number], ambient: number) => render(mesh, front(), { ...OPTS, ambient, lights: [{ direction, intensity: 1 }] })[(32 * S + 32) * 3];
  assert.equal(lit([0, 0, 1], 0), 128); // 0.5 * 255 = 127.5
  assert.equal(lit([0, Math.sqrt(3), 1], 0), 64); // cos 60 = 0.5: 63.75
  assert.equal(lit([0, 0, -1], 0.2), 26); // light from behind: ambient only, 0.1 * 255 = 25.5
});

test("the z-buffer keeps the nearer surface whatever the drawing order", () => {
  const red = box([-0.6, -0.6, -0.2], [0.6, 0.6, 0.2], [1, 0, 0]);
  const blue = box([-0.3, -0.3, 0.3], [0.3, 0.3, 0.5], [0, 0, 1]); // nearer the camera (on +z)
  const a = render(concat([red, blue]), front());
  const b = render(concat([blue, red]), front());
  assert.deepEqual(a, b);
  const centre = (32 * S + 32) * 3;
  assert.deepEqual([...a.subarray(centre, centre + 3)], [0, 0, 255]);
  const side = (32 * S + 32 + 14) * 3; // inside red, outside blue
  assert.deepEqual([...a.subarray(side, side + 3)], [255, 0, 0]);
});

test("a mirror-symmetric mesh seen from azimuth -a is exactly the flipped image of azimuth a", () => {
  // Random parts in the right half, centred half-parts, then withMirror: every triangle has an exact partner.
  const rng = makeRng(3);
  const half = new MeshBuilder();
  for (let k = 0; k < 6; k++) {
    const x = 0.1 + rng.next() * 0.6;
    const y = rng.next() - 0.5;
    const z = rng.next() - 0.5;
    const col: Rgb = [rng.next(), rng.next(), rng.next()];
    half.add(box([x - 0.1, y - 0.1, z - 0.1], [x + 0.1, y + 0.12, z + 0.15], col));
    half.add(tube([x, y, z], [x + 0.2, y - 0.3, z + 0.2], 0.05, 0.02, 8, col));
  }
  half.add(ellipsoid({ radii: [0.3, 0.4, 0.35], rings: 8, segments: 12, half: true }, [0.8, 0.7, 0.6]));
  half.add(frustum({ r0: 0.2, r1: 0.1, y0: -0.9, y1: -0.4, segments: 10, half: true }, [0.4, 0.5, 0.6]));
  const mesh = withMirror(half.build());
  for (const deg of [0, 11.6, 35, 90, 137.3, 180]) {
    for (const el of [-10, 20, 30]) {
      const cam = (a: number): OrbitCamera => ({ target: [0, 0.1, 0], distance: 3.5, focal: 60, azimuth: signedAngle(a), elevation: signedAngle(el) });
      const opts: RenderOptions = { ...OPTS, ambient: 0.3, lights: [{ direction: [0, 1, 0.5], intensity: 0.7 }] };
      const a = render(mesh, cam(deg), opts);
      const b = render(mesh, cam(-deg), opts);
      assert.deepEqual(a, flip(b), `azimuth ${deg}, elevation ${el}`);
      assert.ok(a.some((v) => v !== 255), "something is drawn");
    }
  }
});

test("rendering is deterministic and independent of earlier renders", () => {
  const mesh = withMirror(ellipsoid({ radii: [0.5, 0.7, 0.4], rings: 10, segments: 16, half: true }, [0.9, 0.6, 0.5]));
  const cam: OrbitCamera = { target: [0, 0, 0], distance: 3, focal: 80, azimuth: signedAngle(25), elevation: signedAngle(10) };
  const first = render(mesh, cam);
  render(box([-1, -1, -1], [1, 1, 1], [0, 1, 0]), front()); // something else in between
  assert.deepEqual(render(mesh, cam), first);
});
