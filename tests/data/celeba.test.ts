/**
 * CelebA loader and the shared photo preprocessing, on fixture folders in the official layout:
 * 178x218 JPEGs drawn with canvas (known colours where the crop must and must not look),
 * list_attr_celeba.txt with the official spacing, list_eval_partition.txt.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { createCanvas } from "canvas";
import { centerCropBox, preprocessImageFile, resizeCrop, type DecodedImage } from "../../lib/data/image-preprocess";
import { ImageMinibatches, itemIndexedDataset, LruCache } from "../../lib/data/image-folder";
import { openCelebA, parseCelebAAttributes, CELEBA_PREPROCESS } from "../../lib/data/celeba";
import { BatchSchedule } from "../../lib/train/batches";

const TEMP: string[] = [];
after(() => TEMP.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  TEMP.push(d);
  return d;
}

const NAMES = Array.from({ length: 40 }, (_, a) => `Attr_${a}`);
const W = 178;
const H = 218;

/** A CelebA-sized JPEG: green outside the 148x148 crop, blue inside, red on the crop's top-left quadrant. */
function faceJpeg(variant: number): Buffer {
  const c = createCanvas(W, H);
  const ctx = c.getContext("2d");
  ctx.fillStyle = "#00ff00";
  ctx.fillRect(0, 0, W, H);
  ctx.fillStyle = "#0000ff";
  ctx.fillRect(15, 35, 148, 148);
  ctx.fillStyle = "#ff0000";
  ctx.fillRect(15, 35, 74, 74);
  ctx.fillStyle = `rgb(${variant * 20}, ${variant * 20}, 0)`; // a small per-image mark at the centre bottom
  ctx.fillRect(80, 160, 18, 18);
  return c.toBuffer("image/jpeg", { quality: 0.97 });
}

/** The official attribute file format: count, names, rows with values padded to width 2. */
function attrText(files: string[], values: number[][]): string {
  const rows = files.map((f, i) => `${f} ${values[i].map((v) => (v === 1 ? " 1" : "-1")).join(" ")}`);
  return [String(files.length), NAMES.join(" "), ...rows].join("\n") + "\n";
}

function makeFixture(n = 6, opts: { partition?: boolean } = {}): { root: string; values: number[][]; files: string[] } {
  const root = tempDir("celeba-");
  fs.mkdirSync(path.join(root, "img_align_celeba"));
  const files = Array.from({ length: n }, (_, i) => `${String(i + 1).padStart(6, "0")}.jpg`);
  files.forEach((f, i) => fs.writeFileSync(path.join(root, "img_align_celeba", f), faceJpeg(i)));
  const values = files.map((_, i) => NAMES.map((_, a) => ((i * 7 + a * 3) % 5 < 2 ? 1 : -1)));
  fs.writeFileSync(path.join(root, "list_attr_celeba.txt"), attrText(files, values));
  if (opts.partition) fs.writeFileSync(path.join(root, "list_eval_partition.txt"), files.map((f, i) => `${f} ${i < n - 2 ? 0 : i === n - 2 ? 1 : 2}`).join("\n") + "\n");
  return { root, values, files };
}

/** Pixel (x, y) channel c of item k of a batch. */
function px(data: Float32Array, k: number, x: number, y: number, c: number, channels = 3): number {
  return data[((k * 64 + y) * 64 + x) * channels + c];
}

test("resizeCrop: identity at scale 1, constants stay constant, a 2x step edge has known values", () => {
  const img = (w: number, h: number, f: (x: number, y: number) => number): DecodedImage => {
    const rgba = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rgba.set([f(x, y), 255 - f(x, y), 7, 255], (y * w + x) * 4);
    return { width: w, height: h, rgba };
  };
  const noise = img(64, 64, (x, y) => (x * 31 + y * 17) % 256);
  const same = resizeCrop(noise, { x: 0, y: 0, width: 64, height: 64 }, 64, 3);
  for (let i = 0; i < 64 * 64; i++) assert.equal(same[i * 3], noise.rgba[i * 4]);
  const flat = resizeCrop(img(178, 218, () => 200), centerCropBox(178, 218, 148, 148), 64, 3);
  assert.ok(flat.every((v, i) => v === [200, 55, 7][i % 3]));
  // left half 255, right half 0, 128 -> 64 columns: triangle of radius 2 input pixels
  const step = resizeCrop(img(128, 8, (x) => (x < 64 ? 255 : 0)), { x: 0, y: 0, width: 128, height: 8 }, 64, 3);
  assert.equal(step[30 * 3], 255);
  assert.equal(step[31 * 3], 223); // (0.25 + 0.75 + 0.75) * 255 / 2 = 223.1
  assert.equal(step[32 * 3], 32); // 0.25 * 255 / 2 = 31.9
  assert.equal(step[33 * 3], 0);
  const gray = resizeCrop(img(4, 4, () => 255), { x: 0, y: 0, width: 4, height: 4 }, 64, 1);
  assert.equal(gray[0], Math.round(0.299 * 255 + 0.587 * 0 + 0.114 * 7));
});

test("centerCropBox rounds like torchvision CenterCrop and rejects crops larger than the image", () => {
  assert.deepEqual(centerCropBox(178, 218, 148, 148), { x: 15, y: 35, width: 148, height: 148 });
  assert.deepEqual(centerCropBox(600, 600, 400, 400), { x: 100, y: 100, width: 400, height: 400 });
  assert.throws(() => centerCropBox(100, 218, 148, 148), /larger than the 100x218 image/);
});

test("openCelebA: size, shape, crop geometry (red quadrant top-left, no green from outside the crop)", () => {
  const { root, values } = makeFixture(6);
  const ds = openCelebA(root);
  assert.equal(ds.size, 6);
  assert.deepEqual([...ds.imageShape], [64, 64, 3]);
  assert.equal(ds.name, "celeba");
  const b = ds.batch([0, 5]);
  assert.equal(b.n, 2);
  assert.equal(b.data.length, 2 * 64 * 64 * 3);
  assert.ok(b.data.every((v) => v >= 0 && v <= 1));
  for (const k of [0, 1]) {
    // the crop's top-left quadrant (74x74 of 148) is red -> output quadrant 0..31
    for (const [x, y] of [[3, 3], [16, 16], [28, 28], [3, 28], [28, 3]]) {
      assert.ok(px(b.data, k, x, y, 0) > 0.9 && px(b.data, k, x, y, 2) < 0.1, `red at (${x},${y})`);
    }
    for (const [x, y] of [[36, 36], [60, 3], [3, 60], [60, 60], [36, 10]]) {
      assert.ok(px(b.data, k, x, y, 2) > 0.9 && px(b.data, k, x, y, 0) < 0.1, `blue at (${x},${y})`);
    }
    // the green frame outside the crop must not leak in (allow JPEG chroma bleed of a few levels at the very edge)
    let maxGreen = 0;
    for (let y = 2; y < 62; y++) for (let x = 2; x < 62; x++) if (!(y >= 52 && x >= 26 && x < 39)) maxGreen = Math.max(maxGreen, px(b.data, k, x, y, 1));
    assert.ok(maxGreen < 0.12, `green leaked: ${maxGreen}`);
  }
  // the per-image mark (x 80..98, y 160..178 -> crop 65..83, 125..143 -> out ~28..36, 54..62) distinguishes items
  const mark = (k: number) => px(b.data, k, 32, 58, 0);
  assert.ok(mark(0) < 0.1 && Math.abs(mark(1) - 100 / 255) < 0.08, `marks ${mark(0)} ${mark(1)}`);
  // attributes round trip
  assert.deepEqual(ds.attributes.names, NAMES);
  assert.deepEqual(Array.from(ds.attributes.values), values.flat());
  assert.deepEqual(Array.from(ds.attribute("Attr_3", [0, 1, 2])), [values[0][3], values[1][3], values[2][3]]);
  ds.close();
});

test("CelebA split: official test partition when present, else a fixed seeded split; seeded minibatches", () => {
  const { root } = makeFixture(6, { partition: true });
  const ds = openCelebA(root);
  assert.deepEqual(Array.from(ds.split.test), [5]);
  assert.deepEqual(Array.from(ds.split.train), [0, 1, 2, 3, 4]);
  assert.deepEqual(Array.from(ds.partition ?? []), [0, 0, 0, 0, 1, 2]);
  fs.rmSync(path.join(root, "list_eval_partition.txt"));
  const a = openCelebA(root);
  const b = openCelebA(root);
  assert.equal(a.split.test.length, 1);
  assert.deepEqual(a.split.test, b.split.test);
  assert.deepEqual([...a.split.train, ...a.split.test].sort(), [0, 1, 2, 3, 4, 5]);
  const m1 = new ImageMinibatches(a, 2, 42);
  const m2 = new ImageMinibatches(b, 2, 42);
  for (let s = 0; s < 5; s++) {
    const x = m1.next();
    assert.deepEqual(x.items, m2.nextItems());
    assert.ok(x.items.every((i) => !a.split.test.includes(i)));
    assert.equal(x.images.n, 2);
  }
  // the training engine's schedule works through the item-indexed adapter
  const sched = new BatchSchedule(itemIndexedDataset(a), 3, 2, 1);
  const items = sched.itemsAt(0);
  assert.deepEqual(sched.batchAt(0).data, a.batch(items).data);
});

test("LRU cache and the preprocessed cache file give the same pixels as decoding; stale files are not used", () => {
  const lru = new LruCache<number>(2);
  lru.set(1, 1);
  lru.set(2, 2);
  lru.get(1);
  lru.set(3, 3);
  assert.equal(lru.get(2), undefined);
  assert.equal(lru.get(1), 1);

  const { root, files, values } = makeFixture(5);
  const ds = openCelebA(root);
  const decoded = ds.batch([0, 1, 2, 3, 4]);
  assert.equal(ds.folder.stats.decoded, 5);
  ds.batch([1, 2]);
  assert.equal(ds.folder.stats.lruHits, 2);
  const file = ds.folder.writeCache();
  assert.equal(ds.folder.cacheStatus, "used");
  ds.close();
  const again = openCelebA(root);
  assert.equal(again.folder.cacheStatus, "used");
  assert.match(again.source, /preprocessed/);
  assert.deepEqual(again.batch([0, 1, 2, 3, 4]).data, decoded.data);
  assert.equal(again.folder.stats.decoded, 0);
  again.close();
  // a different file list (one row fewer) must not use the old cache
  fs.writeFileSync(path.join(root, "list_attr_celeba.txt"), attrText(files.slice(0, 4), values.slice(0, 4)));
  const fewer = openCelebA(root);
  assert.equal(fewer.folder.cacheStatus, "stale");
  assert.throws(() => openCelebA(root, { preprocessed: file }), /fingerprint differs/);
  assert.equal(openCelebA(root, { preprocessed: "off" }).folder.cacheStatus, "none");
  // grayscale variant
  const gray = openCelebA(root, { channels: 1 });
  assert.deepEqual([...gray.imageShape], [64, 64, 1]);
  assert.ok(Math.abs(px(gray.batch([0]).data, 0, 10, 10, 0, 1) - 0.299) < 0.05);
});

test("parseCelebAAttributes: header, column count, values and count-line errors name the file and line", () => {
  const files = ["000001.jpg", "000002.jpg"];
  const ok = attrText(files, [NAMES.map(() => 1), NAMES.map(() => -1)]);
  assert.equal(parseCelebAAttributes(ok.replace(/\n/g, "\r\n")).files.length, 2);
  const lines = ok.trimEnd().split("\n");
  const withLine = (i: number, text: string) => lines.map((l, j) => (j === i ? text : l)).join("\n");
  assert.throws(() => parseCelebAAttributes(withLine(0, "two"), "A.txt"), /A\.txt, line 1: expected the image count/);
  assert.throws(() => parseCelebAAttributes(withLine(1, NAMES.slice(1).join(" ")), "A.txt"), /A\.txt, line 2: expected 40 attribute names, found 39/);
  assert.throws(() => parseCelebAAttributes(withLine(0, "3"), "A.txt"), /line 1 says 3 images but the file has 2 rows/);
  assert.throws(() => parseCelebAAttributes(withLine(2, lines[2] + " 1"), "A.txt"), /A\.txt, line 3: expected a file name and 40 values, found 42 columns/);
  assert.throws(() => parseCelebAAttributes(withLine(3, lines[3].replace(/-1$/, "0")), "A.txt"), /line 4: attribute Attr_39 of 000002\.jpg is "0", expected 1 or -1/);
  assert.throws(() => parseCelebAAttributes(withLine(3, lines[2]), "A.txt"), /line 4: image 000001\.jpg listed twice/);
});

test("openCelebA errors: missing folder, no images, missing attribute file, missing image, undecodable image, bad partition", () => {
  const missing = path.join(os.tmpdir(), "no-such-celeba-folder");
  assert.throws(() => openCelebA(missing), /folder .*no-such-celeba-folder does not exist; expected layout/);
  const empty = tempDir("celeba-empty-");
  assert.throws(() => openCelebA(empty), /img_align_celeba not found; expected layout/);
  fs.mkdirSync(path.join(empty, "img_align_celeba"));
  assert.throws(() => openCelebA(empty), /no \.jpg images in/);

  const { root, files } = makeFixture(3);
  fs.renameSync(path.join(root, "list_attr_celeba.txt"), path.join(root, "attr.bak"));
  assert.throws(() => openCelebA(root), /attribute file .*list_attr_celeba\.txt not found/);
  fs.renameSync(path.join(root, "attr.bak"), path.join(root, "list_attr_celeba.txt"));

  fs.rmSync(path.join(root, "img_align_celeba", files[1]));
  assert.throws(() => openCelebA(root), /1 image\(s\) listed in .*list_attr_celeba\.txt are not in .*img_align_celeba, e\.g\. 000002\.jpg/);
  fs.writeFileSync(path.join(root, "img_align_celeba", files[1]), Buffer.from("this is not a jpeg"));
  const ds = openCelebA(root, { preprocessed: "off" });
  assert.throws(() => ds.batch([1]), /image .*000002\.jpg could not be decoded as JPEG or PNG/);
  assert.equal(ds.batch([0]).n, 1);

  fs.writeFileSync(path.join(root, "list_eval_partition.txt"), `${files[0]} 0\n${files[1]} 3\n`);
  assert.throws(() => openCelebA(root), /list_eval_partition\.txt, line 2: expected "<file> 0\|1\|2"/);
  fs.writeFileSync(path.join(root, "list_eval_partition.txt"), `${files[0]} 0\n`);
  assert.throws(() => openCelebA(root), /list_eval_partition\.txt has no partition for 000002\.jpg/);
  assert.equal(CELEBA_PREPROCESS.cropWidth, 148);
});

test("bvae data celeba: prints source, images, split and attribute shares; figures are PNGs", async () => {
  const { runImageData } = await import("../../cli/data-images");
  const { root } = makeFixture(4, { partition: true });
  const figures = tempDir("celeba-figs-");
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(" "));
  try {
    assert.equal(await runImageData("celeba", ["--root", root, "--decode", "2", "--figures", figures]), 0);
  } finally {
    console.log = log;
  }
  const text = lines.join("\n");
  assert.match(text, /images: {5}4, shape 64x64x3 \(centre crop 148x148/);
  assert.match(text, /split: {6}train 3, held out 1 \(official test partition/);
  assert.match(text, /attributes: 40 \(share of \+1\)/);
  assert.match(text, /Attr_0 50%/); // rows 0..3: (i*7) % 5 < 2 for i = 0, 3
  assert.match(text, /preprocessed file: none/);
  for (const f of ["celeba-samples.png", "celeba-crop.png"]) assert.ok(fs.statSync(path.join(figures, f)).size > 1000);
});

test("a corrupt preprocessed file is ignored in auto mode and named in the error when asked for", () => {
  const { root } = makeFixture(2);
  const file = path.join(root, "bvae-celeba-64x64x3.u8");
  fs.writeFileSync(file, "BVAEIMG1garbage");
  assert.equal(openCelebA(root).folder.cacheStatus, "stale");
  assert.throws(() => openCelebA(root, { preprocessed: file }), /bvae-celeba-64x64x3\.u8/);
  fs.writeFileSync(file, "not a cache at all");
  assert.throws(() => openCelebA(root, { preprocessed: file }), /not a bvae image cache/);
  const ds = openCelebA(root);
  ds.folder.writeCache();
  fs.truncateSync(file, fs.statSync(file).size - 100);
  assert.throws(() => openCelebA(root, { preprocessed: file }), /truncated or corrupt/);
});

const HAS_PIL = spawnSync("/usr/bin/python3", ["-c", "import PIL, numpy"]).status === 0;

test("crop + resize agree with PIL's crop().resize(BILINEAR) within 1 level (skipped without /usr/bin/python3 + PIL)", { skip: !HAS_PIL }, () => {
  const dir = tempDir("celeba-pil-");
  // photo-like content: gradients, an ellipse and pixel noise, so that every filter tap matters
  const files: string[] = [];
  for (const [w, h, crop] of [[178, 218, 148], [600, 600, 400]]) {
    const c = createCanvas(w, h);
    const ctx = c.getContext("2d");
    const g = ctx.createLinearGradient(0, 0, w, h);
    g.addColorStop(0, "#4080c0");
    g.addColorStop(1, "#c08040");
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, w, h);
    ctx.fillStyle = "#e0b090";
    ctx.beginPath();
    ctx.ellipse(w / 2, h / 2, w / 4, h / 3, 0.3, 0, 2 * Math.PI);
    ctx.fill();
    const img = ctx.getImageData(0, 0, w, h);
    for (let i = 0; i < img.data.length; i++) if (i % 4 !== 3) img.data[i] += ((i * 2654435761) >>> 27) - 16;
    ctx.putImageData(img, 0, 0);
    const file = path.join(dir, `${w}x${h}-${crop}.${w === 178 ? "jpg" : "png"}`);
    fs.writeFileSync(file, w === 178 ? c.toBuffer("image/jpeg", { quality: 0.9 }) : c.toBuffer("image/png"));
    files.push(file);
  }
  const script = [
    "import sys, json, numpy as np",
    "from PIL import Image",
    "out = []",
    "for f in json.loads(sys.argv[1]):",
    "    crop = int(f.rsplit('-', 1)[1].split('.')[0]); im = Image.open(f).convert('RGB'); w, h = im.size",
    "    l, t = round((w - crop) / 2), round((h - crop) / 2)",
    "    out.append(np.asarray(im.crop((l, t, l + crop, t + crop)).resize((64, 64), Image.BILINEAR)).ravel().tolist())",
    "print(json.dumps(out))",
  ].join("\n");
  const r = spawnSync("/usr/bin/python3", ["-c", script, JSON.stringify(files)], { encoding: "utf8", maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr);
  const ref = JSON.parse(r.stdout) as number[][];
  files.forEach((file, k) => {
    const crop = k === 0 ? 148 : 400;
    const mine = preprocessImageFile(file, { cropWidth: crop, cropHeight: crop, outSize: 64, channels: 3 });
    let max = 0;
    let sum = 0;
    mine.forEach((v, j) => {
      const d = Math.abs(v - ref[k][j]);
      max = Math.max(max, d);
      sum += d;
    });
    assert.ok(max <= 1, `${path.basename(file)}: max difference ${max}`);
    assert.ok(sum / mine.length < 0.3, `${path.basename(file)}: mean difference ${sum / mine.length}`);
  });
});
