/**
 * 3D Chairs loader on fixture folders in the official layout: 600x600 PNG renders drawn with
 * canvas (white background, a red square in the middle, a blue square in the crop's bottom-right
 * corner, a black frame outside the central 400x400 that must be cropped away).
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createCanvas } from "canvas";
import { openChairs, parseChairFileName, CHAIRS_PREPROCESS } from "../../lib/data/chairs";
import { measureDecodeSpeed } from "../../lib/data/image-folder";

const TEMP: string[] = [];
after(() => TEMP.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  TEMP.push(d);
  return d;
}

const VIEWS = ["image_001_p020_t000_r096.png", "image_002_p020_t011_r096.png", "image_032_p030_t000_r096.png", "image_033_p030_t011_r096.png"];
const CHAIRS = ["1a6f615e8b1b5ae4dbbc9440457e303e", "1b05971a4373c7d2463600025db2266", "b663f1e4df6c51fe19fb4103277a6b93"];

function renderPng(shade: number): Buffer {
  const c = createCanvas(600, 600);
  const ctx = c.getContext("2d");
  ctx.fillStyle = "#000000";
  ctx.fillRect(0, 0, 600, 600);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(100, 100, 400, 400);
  ctx.fillStyle = `rgb(255, 0, ${shade})`;
  ctx.fillRect(250, 250, 100, 100); // crop 150..250 -> output 24..40
  ctx.fillStyle = "#0000ff";
  ctx.fillRect(450, 450, 50, 50); // crop 350..400 -> output 56..64
  return c.toBuffer("image/png");
}

function makeFixture(): string {
  const root = tempDir("chairs-");
  CHAIRS.forEach((chair, c) => {
    const dir = path.join(root, "rendered_chairs", chair, "renders");
    fs.mkdirSync(dir, { recursive: true });
    VIEWS.forEach((v, i) => fs.writeFileSync(path.join(dir, v), renderPng(c * 60 + i * 10)));
  });
  fs.writeFileSync(path.join(root, "rendered_chairs", "all_chair_names.mat"), "not a folder: ignored");
  return root;
}

function px(data: Float32Array, k: number, x: number, y: number, c: number): number {
  return data[((k * 64 + y) * 64 + x) * 3 + c];
}

test("parseChairFileName reads view, elevation (p), azimuth (t) and distance (r); rejects other names", () => {
  assert.deepEqual(parseChairFileName("image_052_p030_t232_r096.png"), { view: 52, elevation: 30, azimuth: 232, distance: 96 });
  assert.deepEqual(parseChairFileName("image_001_p020_t011_r096.png"), { view: 1, elevation: 20, azimuth: 11, distance: 96 });
  assert.throws(() => parseChairFileName("image_1_p020_t011_r096.png"), /"image_1_p020_t011_r096\.png" does not match image_XXX_pYYY_tZZZ_rDDD\.png/);
  assert.throws(() => parseChairFileName("mask_001_p020_t011_r096.png"), /does not match/);
  assert.throws(() => parseChairFileName("image_001_p020_t360_r096.png"), /azimuth 360 is not in \[0, 360\)/);
});

test("openChairs: items, labels per image, crop geometry, split", () => {
  const root = makeFixture();
  const ds = openChairs(root);
  assert.equal(ds.size, 12);
  assert.deepEqual([...ds.imageShape], [64, 64, 3]);
  assert.deepEqual(ds.chairNames, [...CHAIRS].sort());
  assert.deepEqual(Array.from(ds.chairIndex), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
  assert.deepEqual(Array.from(ds.azimuth.slice(0, 4)), [0, 11, 0, 11]);
  assert.deepEqual(Array.from(ds.elevation.slice(0, 4)), [20, 20, 30, 30]);
  assert.deepEqual(Array.from(ds.view.slice(0, 4)), [1, 2, 32, 33]);
  assert.deepEqual(ds.azimuthValues, [0, 11]);
  assert.deepEqual(ds.elevationValues, [20, 30]);
  assert.deepEqual(Array.from(ds.azimuthClass.slice(0, 4)), [0, 1, 0, 1]);
  assert.deepEqual(Array.from(ds.elevationClass.slice(0, 4)), [0, 0, 1, 1]);
  assert.deepEqual(Array.from(ds.itemsOfChair(1)), [4, 5, 6, 7]);

  const b = ds.batch([0, 11]);
  assert.ok(b.data.every((v) => v >= 0 && v <= 1));
  for (const k of [0, 1]) {
    for (const [x, y] of [[32, 32], [26, 26], [38, 38]]) assert.ok(px(b.data, k, x, y, 0) > 0.99 && px(b.data, k, x, y, 1) < 0.01, `red at (${x},${y})`);
    for (const [x, y] of [[2, 2], [61, 2], [2, 61], [32, 20], [20, 32], [44, 32], [52, 52]]) {
      assert.ok([0, 1, 2].every((c) => px(b.data, k, x, y, c) > 0.99), `white at (${x},${y})`);
    }
    for (const [x, y] of [[58, 58], [63, 63], [57, 62]]) assert.ok(px(b.data, k, x, y, 2) > 0.99 && px(b.data, k, x, y, 0) < 0.01, `blue at (${x},${y})`);
    // the black frame outside the crop never shows: every pixel has some brightness
    for (let j = 0; j < 64 * 64; j++) {
      const s = b.data[k * 64 * 64 * 3 + j * 3] + b.data[k * 64 * 64 * 3 + j * 3 + 1] + b.data[k * 64 * 64 * 3 + j * 3 + 2];
      assert.ok(s > 0.9, `dark pixel ${j} of item ${k}`);
    }
  }
  // items keep their identity: item 11 is chair 2 view 4, shade 2*60 + 3*10 = 150 in blue
  assert.ok(Math.abs(px(b.data, 1, 32, 32, 2) - 150 / 255) < 0.01);
  assert.ok(px(b.data, 0, 32, 32, 2) < 0.01);

  assert.equal(ds.split.test.length, 1);
  assert.deepEqual([...ds.split.train, ...ds.split.test].sort((a, c) => a - c), Array.from({ length: 12 }, (_, i) => i));
  assert.deepEqual(openChairs(root).split, ds.split);
  const gray = openChairs(root, { channels: 1, preprocessed: "off" });
  assert.ok(Math.abs(gray.batch([0]).data[32 * 64 + 32] - 0.299) < 0.01);
  const speed = measureDecodeSpeed(ds.folder, 4);
  assert.equal(speed.images, 4);
  assert.ok(speed.perSecond > 0);
  assert.equal(CHAIRS_PREPROCESS.cropWidth, 400);
});

test("openChairs errors name the folder or file and the expected layout", () => {
  assert.throws(() => openChairs(path.join(os.tmpdir(), "no-such-chairs")), /folder .*no-such-chairs does not exist; expected layout: <root>\/rendered_chairs/);
  const root = tempDir("chairs-bad-");
  assert.throws(() => openChairs(root), /rendered_chairs not found; expected layout/);
  fs.mkdirSync(path.join(root, "rendered_chairs"));
  assert.throws(() => openChairs(root), /no chair folders in/);
  fs.mkdirSync(path.join(root, "rendered_chairs", "chairA"));
  assert.throws(() => openChairs(root), /chair folder .*chairA has no renders\/ folder/);
  const dir = path.join(root, "rendered_chairs", "chairA", "renders");
  fs.mkdirSync(dir);
  assert.throws(() => openChairs(root), /no \.png renders in .*chairA\/renders/);
  fs.writeFileSync(path.join(dir, "render1.png"), renderPng(0));
  assert.throws(() => openChairs(root), /"render1\.png" does not match image_XXX_pYYY_tZZZ_rDDD\.png \(in .*chairA\/renders\)/);
  fs.rmSync(path.join(dir, "render1.png"));
  fs.writeFileSync(path.join(dir, VIEWS[0]), renderPng(0));
  fs.writeFileSync(path.join(dir, VIEWS[1]), Buffer.from("\x89PNG broken"));
  const ds = openChairs(root);
  assert.equal(ds.size, 2);
  assert.equal(ds.batch([0]).n, 1);
  assert.throws(() => ds.batch([1]), /image .*chairA\/renders\/image_002_p020_t011_r096\.png could not be decoded/);
  const small = path.join(dir, "image_003_p020_t023_r096.png");
  const c = createCanvas(300, 300);
  fs.writeFileSync(small, c.toBuffer("image/png"));
  assert.throws(() => openChairs(root).batch([2]), /image_003_p020_t023_r096\.png: crop 400x400 is larger than the 300x300 image/);
});

test("bvae data chairs: prints chairs and views, writes the cache and the figures", async () => {
  const { runImageData } = await import("../../cli/data-images");
  const root = makeFixture();
  const figures = tempDir("chairs-figs-");
  const lines: string[] = [];
  const log = console.log;
  const write = process.stderr.write;
  console.log = (...a: unknown[]) => void lines.push(a.join(" "));
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    assert.equal(await runImageData("chairs", ["--root", root, "--decode", "3", "--cache", "--figures", figures]), 0);
  } finally {
    console.log = log;
    process.stderr.write = write;
  }
  const text = lines.join("\n");
  assert.match(text, /images: {5}12, shape 64x64x3 \(centre crop 400x400/);
  assert.match(text, /chairs: {5}3, views per chair 4/);
  assert.match(text, /views: {6}2 azimuths \(0\.\.11 deg\) x 2 elevations \(20, 30 deg\)/);
  assert.match(text, /decode: {5}\d+ images\/s \(3 files/);
  assert.match(text, /cache: {6}wrote .*bvae-chairs-64x64x3\.u8/);
  assert.match(text, /memory: {5}rss \d+ MB/);
  for (const f of ["chairs-samples.png", "chairs-views.png", "chairs-crop.png"]) {
    assert.deepEqual([...fs.readFileSync(path.join(figures, f)).subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
  }
  assert.equal(openChairs(root).folder.cacheStatus, "used");
});

test("imageDatasetRoot: environment override, else data/ at the project root; openImageDataset opens by name", async () => {
  const { imageDatasetRoot, openImageDataset } = await import("../../lib/data/image-datasets");
  assert.equal(imageDatasetRoot("chairs", { BVAE_CHAIRS_ROOT: "/x/chairs" }), "/x/chairs");
  assert.equal(imageDatasetRoot("celeba", { BVAE_CELEBA_ROOT: "/y" }), "/y");
  assert.equal(path.basename(imageDatasetRoot("celeba", {})), "data");
  const root = makeFixture();
  assert.equal(openImageDataset("chairs", root).size, 12);
});
