/**
 * Figures that let a reader check the CelebA / 3D Chairs preprocessing: random preprocessed
 * samples with their labels, every view of one chair (rows = elevations, columns = azimuths), and
 * one source image with its crop box drawn beside the 64x64 result.
 */
import { createCanvas, loadImage } from "canvas";
import * as fs from "node:fs";
import type { CelebADataset } from "../data/celeba";
import type { ChairsDataset } from "../data/chairs";
import { imageGridCanvas, imageGridPng } from "./images";
import { centerCropBox, decodeImageFile } from "../data/image-preprocess";
import type { ImageFolder } from "../data/image-folder";
import { makeRng, permutation } from "../rng";

/** Attributes worth naming under a CelebA sample (the ones the report's Table 2 talks about). */
const SHOWN_ATTRIBUTES = ["Male", "Smiling", "Eyeglasses", "Blond_Hair", "Black_Hair", "Bangs", "Wearing_Hat", "Pale_Skin", "Young"];

function sampleItems(size: number, n: number, seed: number): Uint32Array {
  return permutation(size, makeRng(seed)).slice(0, Math.min(n, size));
}

/** A grid of random preprocessed CelebA images, each labelled with its file and a few +1 attributes. */
export function celebaSamplesPng(ds: CelebADataset, opts: { n?: number; seed?: number } = {}): Buffer {
  const items = sampleItems(ds.size, opts.n ?? 32, opts.seed ?? 0);
  const { names, files, values } = ds.attributes;
  const labels = Array.from(items, (i) => {
    const on = SHOWN_ATTRIBUTES.filter((a) => names.includes(a) && values[i * names.length + names.indexOf(a)] === 1);
    return `${files[i]}\n${on.slice(0, 2).join(" ").replace(/_/g, " ")}`;
  });
  return imageGridPng(ds.batch(items), { cols: 8, labels, fontSize: 10, title: `CelebA, ${ds.size} images: centre crop ${ds.folder.spec.cropWidth}x${ds.folder.spec.cropHeight} -> ${ds.imageShape.join("x")}` });
}

/** A grid of random preprocessed chairs, labelled with azimuth and elevation. */
export function chairsSamplesPng(ds: ChairsDataset, opts: { n?: number; seed?: number } = {}): Buffer {
  const items = sampleItems(ds.size, opts.n ?? 32, opts.seed ?? 0);
  const labels = Array.from(items, (i) => `chair ${ds.chairIndex[i]}\naz ${ds.azimuth[i]} el ${ds.elevation[i]}`);
  return imageGridPng(ds.batch(items), { cols: 8, labels, fontSize: 10, title: `3D Chairs, ${ds.size} images of ${ds.chairNames.length} chairs: centre crop ${ds.folder.spec.cropWidth}x${ds.folder.spec.cropHeight} -> ${ds.imageShape.join("x")}` });
}

/** Every view of one chair: one row per elevation, azimuths left to right (missing views blank). */
export function chairViewsPng(ds: ChairsDataset, chair = 0): Buffer {
  const items = ds.itemsOfChair(chair);
  const cols = ds.azimuthValues.length;
  const rows = ds.elevationValues.length;
  const [h, w, c] = ds.imageShape;
  const per = h * w * c;
  const batch = { data: new Float32Array(rows * cols * per).fill(1), n: rows * cols, height: h, width: w, channels: c };
  const images = ds.batch(items);
  items.forEach((item, k) => {
    const cell = ds.elevationClass[item] * cols + ds.azimuthClass[item];
    batch.data.set(images.data.subarray(k * per, (k + 1) * per), cell * per);
  });
  return imageGridPng(batch, {
    cols,
    pixelScale: 1,
    gap: 2,
    labels: Array.from({ length: rows * cols }, (_, k) => (k < cols ? `${ds.azimuthValues[k]}` : "")),
    rowLabels: ds.elevationValues.map((e) => `el ${e}`),
    fontSize: 9,
    title: `chair ${ds.chairNames[chair]}: azimuth (deg) across, elevation down`,
  });
}

/** The source image of one item with its crop box in red, beside the preprocessed result (scaled up). */
export async function cropIllustrationPng(folder: ImageFolder, item = 0): Promise<Buffer> {
  const src = await loadImage(fs.readFileSync(folder.files[item]));
  const { width, height } = decodeImageFile(folder.files[item]);
  const box = centerCropBox(width, height, folder.spec.cropWidth, folder.spec.cropHeight);
  const result = imageGridCanvas(folder.batch([item]), { pixelScale: Math.max(1, Math.floor(height / folder.spec.outSize)), gap: 0 });
  const canvas = createCanvas(width + 16 + result.width, Math.max(height, result.height) + 20);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(src, 0, 20);
  ctx.strokeStyle = "#ff0000";
  ctx.lineWidth = 2;
  ctx.strokeRect(box.x, box.y + 20, box.width, box.height);
  ctx.drawImage(result, width + 16, 20);
  ctx.fillStyle = "#000000";
  ctx.font = "12px DejaVu Sans, sans-serif";
  ctx.fillText(`${width}x${height}, crop x ${box.x}..${box.x + box.width}, y ${box.y}..${box.y + box.height}  ->  ${folder.imageShape.join("x")}`, 2, 14);
  return canvas.toBuffer("image/png");
}
