/**
 * Fault class: bad image folders (CelebA and 3D Chairs layouts). A cut or damaged image, an image of
 * another size, a folder too small for the held-out split, a folder that is not there: each is
 * refused naming the file (or the variable and flag to change) and what to do; nothing is trained
 * and no run folder is left behind; the images themselves are untouched.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { createCanvas } from "canvas";
import { openCelebA } from "../../lib/data/celeba";
import { openChairs } from "../../lib/data/chairs";
import { checkImageBytes } from "../../lib/data/image-check";
import { openDataset } from "../../lib/train/datasets";
import { presetConfig } from "../../lib/train/presets";
import { trainOrLoad } from "../../lib/runs";
import { writeCelebAFixture } from "../../lib/data/fixtures";
import { fingerprint, ROOT, scratch, withEnv } from "./helpers";

/** A 600x600 chairs render (PNG) of a given size. */
function render(width = 600, height = 600): Buffer {
  const c = createCanvas(width, height);
  const ctx = c.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, width, height);
  for (let i = 0; i < 60; i++) {
    ctx.fillStyle = `rgb(${(i * 37) % 255}, ${(i * 91) % 255}, ${(i * 53) % 255})`;
    ctx.fillRect((i * 97) % width, (i * 61) % height, 40, 40);
  }
  return c.toBuffer("image/png");
}

/** One chair with `n` views; returns the root and the renders folder. */
function chairsFolder(n: number): { root: string; renders: string } {
  const root = scratch("chairs");
  const renders = path.join(root, "rendered_chairs", "chair_0001", "renders");
  fs.mkdirSync(renders, { recursive: true });
  const png = render();
  for (let v = 1; v <= n; v++) fs.writeFileSync(path.join(renders, `image_${String(v).padStart(3, "0")}_p020_t${String((v * 11) % 360).padStart(3, "0")}_r096.png`), png);
  return { root, renders };
}

const viewName = (v: number): string => `image_${String(v).padStart(3, "0")}_p020_t${String((v * 11) % 360).padStart(3, "0")}_r096.png`;

test("a cut JPEG is refused naming the file and where it ends (it used to decode into grey)", () => {
  const root = scratch("celeba");
  try {
    writeCelebAFixture(root, 4);
    const file = path.join(root, "img_align_celeba", "000002.jpg");
    const whole = fs.readFileSync(file);
    fs.writeFileSync(file, whole.subarray(0, Math.floor(whole.length * 0.7)));
    const before = fingerprint(root);
    const ds = openCelebA(root, { preprocessed: "off" });
    assert.equal(ds.batch([0]).n, 1, "the intact images still load");
    assert.throws(() => ds.batch([1]), /image .*000002\.jpg: truncated JPEG: the file ends at byte \d+ inside the compressed image data \(no end-of-image marker\) \(\d+ bytes\); replace the file with a whole copy, or remove it from the dataset/);
    assert.deepEqual(fingerprint(root), before);
    // Bytes after the end-of-image marker are allowed (some writers append them): only a cut file is refused.
    assert.doesNotThrow(() => checkImageBytes(Buffer.concat([whole, Buffer.from("trailing")]), "x.jpg"));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("a cut PNG is refused as truncated (it was reported as 'out of memory'); a damaged chunk fails its CRC", () => {
  const { root, renders } = chairsFolder(3);
  try {
    const png = fs.readFileSync(path.join(renders, viewName(2)));
    fs.writeFileSync(path.join(renders, viewName(2)), png.subarray(0, png.length - 100));
    const flipped = Buffer.from(png);
    flipped[png.length >> 1] ^= 0x10; // inside the image data
    fs.writeFileSync(path.join(renders, viewName(3)), flipped);
    const before = fingerprint(root);
    const ds = openChairs(root, { preprocessed: "off" });
    assert.equal(ds.batch([0]).n, 1);
    assert.throws(() => ds.batch([1]), new RegExp(`image .*${viewName(2)}: truncated PNG: the file ends (inside chunk IDAT|at byte \\d+ before the IEND chunk).*replace the file`));
    assert.throws(() => ds.batch([2]), new RegExp(`image .*${viewName(3)}: corrupt PNG: chunk IDAT at byte \\d+ fails its CRC-32`));
    assert.deepEqual(fingerprint(root), before);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("an image of another size than the dataset's is refused, not silently centre-cropped", () => {
  const { root, renders } = chairsFolder(2);
  try {
    fs.writeFileSync(path.join(renders, viewName(2)), render(700, 650));
    const ds = openChairs(root, { preprocessed: "off" });
    assert.throws(() => ds.batch([1]), new RegExp(`image .*${viewName(2)}: is 700x650, but the dataset's images are 600x600 \\(its 400x400 centre crop assumes that size\\); resize or replace the file`));
    fs.writeFileSync(path.join(renders, viewName(2)), render(300, 300));
    assert.throws(() => openChairs(root, { preprocessed: "off" }).batch([1]), /crop 400x400 is larger than the 300x300 image/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("a folder too small for the held-out split says how many it may hold out, and leaves no run behind", async () => {
  const { root } = chairsFolder(20);
  const runs = scratch("runs");
  try {
    await tf.setBackend("cpu");
    const config = presetConfig("chairs-beta", "smoke", { architecture: "tiny" });
    await withEnv({ BVAE_CHAIRS_ROOT: root }, async () => {
      await assert.rejects(
        trainOrLoad(config, { runsDir: runs, quiet: true }),
        /chairs \(.*\) has 20 images: holding out 1000 \(TrainConfig\.heldOut\) leaves 0 to train on, fewer than one batch of 32; the folder needs at least 32 images/,
      );
      const some = { ...config, batchSize: 8 };
      await assert.rejects(trainOrLoad(some, { runsDir: runs, quiet: true }), /hold out at most 12 \(bvae train --held-out N, a new run\) or add images/);
    });
    assert.deepEqual(fs.readdirSync(runs), [], "no partial run, no lock");
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(runs, { recursive: true, force: true });
  }
});

test("training Chairs or CelebA without their folder names the variable that sets it", async () => {
  const empty = scratch("empty");
  try {
    await withEnv({ BVAE_CHAIRS_ROOT: empty, BVAE_CELEBA_ROOT: undefined }, () => {
      assert.throws(() => openDataset("chairs"), new RegExp(`3D Chairs: folder .*rendered_chairs not found; expected layout.*\\n\\(looked in ${empty}: BVAE_CHAIRS_ROOT=${empty}; set BVAE_CHAIRS_ROOT=DIR to the folder holding the dataset, see data/README\\.md\\)`, "s"));
      // Without the variable, data/ is used (unless a CelebA folder really is there).
      if (!fs.existsSync(path.join(ROOT, "data", "img_align_celeba"))) {
        assert.throws(() => openDataset("celeba"), /\(looked in .*data: BVAE_CELEBA_ROOT is not set, so data\/ was used; set BVAE_CELEBA_ROOT=DIR/);
      }
    });
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});
