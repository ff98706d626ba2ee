import { test } from "node:test";
import assert from "node:assert/strict";
import { loadImage, createCanvas } from "canvas";
import { gifFromFrames, imageGridCanvas, imageGridPng } from "../../lib/display/images";
import type { ImageBatch } from "../../lib/data/dataset";

function batch(n: number, h: number, w: number, c: number, f: (i: number) => number): ImageBatch {
  return { data: Float32Array.from({ length: n * h * w * c }, (_, i) => f(i)), n, height: h, width: w, channels: c };
}

test("grid layout: size from cols, pixelScale and gap; pixels land where expected", async () => {
  // 3 images 2x2: image k is all k/2 (0, 0.5, 1)
  const b = batch(3, 2, 2, 1, (i) => Math.floor(i / 4) / 2);
  const canvas = imageGridCanvas(b, { cols: 2, pixelScale: 3, gap: 1 });
  assert.equal(canvas.width, 1 + 2 * (6 + 1));
  assert.equal(canvas.height, 1 + 2 * (6 + 1));
  const img = await loadImage(imageGridPng(b, { cols: 2, pixelScale: 3, gap: 1 }));
  const c2 = createCanvas(img.width, img.height);
  const ctx = c2.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const at = (x: number, y: number) => ctx.getImageData(x, y, 1, 1).data[0];
  assert.equal(at(1, 1), 0); // image 0
  assert.equal(at(8 + 5, 1 + 5), 128); // image 1 (0.5 -> 128)
  assert.equal(at(1, 8), 255); // image 2, second row
  assert.equal(at(0, 0), 255); // white background in the gap
  assert.equal(at(10, 10), 255); // the empty 4th cell (x, y in 8..13) stays background
});

test("labels, row labels and a title make room; RGB and several batches are accepted", () => {
  const b = batch(4, 8, 8, 3, (i) => (i % 3) / 2);
  const plain = imageGridCanvas([b, b], { cols: 4 });
  const labelled = imageGridCanvas([b, b], { cols: 4, labels: Array(8).fill("a\nb"), rowLabels: ["first", "second"], title: "t" });
  assert.equal(plain.height, 4 + 2 * (16 + 4));
  assert.ok(labelled.height > plain.height + 2 * 2 * 11);
  assert.ok(labelled.width > plain.width);
  assert.throws(() => imageGridCanvas(batch(1, 2, 2, 2, () => 0)), /2 channels \(1 or 3 expected\)/);
  assert.throws(() => imageGridCanvas([]), /no images/);
});

test("GIF: header, logical size, one frame per grid, frames must match in size", () => {
  const frames = [0, 0.5, 1].map((v) => batch(2, 4, 4, 1, () => v));
  const gif = gifFromFrames(frames, { cols: 2, pixelScale: 2, gap: 0, delayMs: 50 });
  assert.equal(Buffer.from(gif.subarray(0, 6)).toString("latin1"), "GIF89a");
  const width = gif[6] | (gif[7] << 8);
  const height = gif[8] | (gif[9] << 8);
  assert.deepEqual([width, height], [16, 8]);
  let controls = 0;
  for (let i = 0; i + 2 < gif.length; i++) if (gif[i] === 0x21 && gif[i + 1] === 0xf9 && gif[i + 2] === 4) controls++;
  assert.equal(controls, 3);
  assert.equal(gif[gif.length - 1], 0x3b); // trailer
  assert.throws(() => gifFromFrames([batch(1, 4, 4, 1, () => 0), batch(2, 4, 4, 1, () => 0)]), /frame 1 is/);
});
