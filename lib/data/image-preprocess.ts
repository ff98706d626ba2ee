/**
 * Photo preprocessing shared by CelebA and 3D Chairs: decode a JPEG/PNG file (node-canvas,
 * synchronously), take a centred crop, resize it to outSize x outSize with an antialiased
 * bilinear (triangle) filter, and return uint8 HWC pixels.
 *
 * The filter is the one PIL's Image.resize(..., BILINEAR) uses (and so torchvision's Resize on PIL
 * images, as the public beta-VAE implementations apply it): when shrinking by a factor s, each
 * output pixel is a triangle-weighted mean over a window of radius s input pixels, so no input
 * pixel is skipped (plain bilinear sampling at 178/64 would alias). Weights are renormalised where
 * the window leaves the crop, so edges are not darkened. At scale 1 it is the identity.
 */
import * as fs from "node:fs";
import { createCanvas, Image, type CanvasRenderingContext2D } from "canvas";
import { checkImageBytes } from "./image-check";

export interface CropBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PreprocessSpec {
  /** Width of the centred crop in source pixels (CelebA 148, Chairs 400). */
  readonly cropWidth: number;
  /** Height of the centred crop in source pixels. */
  readonly cropHeight: number;
  /** Side of the square output, px. Default everywhere: 64 (the models take 64x64). */
  readonly outSize: number;
  /** 3 = RGB (default, the report's Gaussian-decoder runs); 1 = luma 0.299R + 0.587G + 0.114B (PIL "L"). */
  readonly channels: 1 | 3;
}

/** A decoded image, RGBA bytes row-major (alpha composited over white). */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  /** [height, width, 4] */
  readonly rgba: Uint8ClampedArray;
}

/**
 * The centred crop box, rounded like torchvision's CenterCrop: top = round((H - h) / 2).
 * CelebA 178x218 with a 148x148 crop: x 15..163, y 35..183.
 */
export function centerCropBox(width: number, height: number, cropWidth: number, cropHeight: number): CropBox {
  if (cropWidth > width || cropHeight > height) {
    throw new Error(`crop ${cropWidth}x${cropHeight} is larger than the ${width}x${height} image`);
  }
  return { x: Math.round((width - cropWidth) / 2), y: Math.round((height - cropHeight) / 2), width: cropWidth, height: cropHeight };
}

/** Decodes a JPEG or PNG file synchronously; errors name the file. */
export function decodeImageFile(file: string): DecodedImage {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new Error(`cannot read image ${file}: ${(err as Error).message}`);
  }
  return decodeImageBytes(bytes, file);
}

/** One reusable drawing surface per size: allocating a canvas per image costs time and native memory. */
const scratch = new Map<string, CanvasRenderingContext2D>();
function scratchContext(width: number, height: number): CanvasRenderingContext2D {
  const key = `${width}x${height}`;
  let ctx = scratch.get(key);
  if (!ctx) {
    if (scratch.size > 8) scratch.clear();
    ctx = createCanvas(width, height).getContext("2d");
    scratch.set(key, ctx);
  }
  return ctx;
}

/**
 * Decodes JPEG/PNG bytes (node-canvas decodes a Buffer source synchronously) and returns the
 * pixels of `crop(width, height)` (default: the whole image) as a DecodedImage of the crop's size.
 * The decoded surface is released at once instead of waiting for the garbage collector, which
 * does not see node-canvas' native memory (a 600x600 render holds 1.4 MB).
 */
export function decodeImageBytes(bytes: Buffer, label: string, crop?: (width: number, height: number) => CropBox): DecodedImage {
  checkImageBytes(bytes, label); // a cut or damaged file is refused, not decoded into grey (./image-check)
  const img = new Image();
  let failure: Error | undefined;
  img.onerror = (err: Error) => {
    failure = err;
  };
  img.src = bytes;
  try {
    if (failure || img.width === 0 || img.height === 0) {
      throw new Error(`image ${label} could not be decoded as JPEG or PNG: ${failure?.message ?? "empty image"}`);
    }
    let box: CropBox;
    try {
      box = crop ? crop(img.width, img.height) : { x: 0, y: 0, width: img.width, height: img.height };
    } catch (err) {
      throw new Error(`image ${label}: ${(err as Error).message}`);
    }
    const ctx = scratchContext(box.width, box.height);
    ctx.fillStyle = "#ffffff"; // transparent pixels (if any) become white, the renders' background
    ctx.fillRect(0, 0, box.width, box.height);
    ctx.drawImage(img, -box.x, -box.y);
    return { width: box.width, height: box.height, rgba: ctx.getImageData(0, 0, box.width, box.height).data };
  } finally {
    img.onerror = () => undefined;
    img.src = Buffer.alloc(0); // frees the decoded surface (the empty source fails to load, silently)
  }
}

interface FilterTable {
  /** First input index of each output's window, [out] */
  readonly start: Int32Array;
  /** Window length of each output, [out] */
  readonly count: Int32Array;
  /** Normalised weights, [out * maxCount] */
  readonly weights: Float64Array;
  readonly maxCount: number;
}

/** Triangle-filter weights mapping `inSize` input pixels (offset `offset`) to `outSize` outputs. */
function filterTable(inSize: number, outSize: number, offset: number): FilterTable {
  const scale = inSize / outSize;
  const radius = Math.max(scale, 1); // the triangle's half-width in input pixels
  const maxCount = Math.ceil(radius) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * maxCount);
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale; // in input coordinates (pixel i covers [i, i+1))
    const lo = Math.max(0, Math.floor(centre - radius + 0.5));
    const hi = Math.min(inSize, Math.floor(centre + radius + 0.5)); // exclusive
    let sum = 0;
    for (let i = lo; i < hi; i++) {
      const w = Math.max(0, 1 - Math.abs((i + 0.5 - centre) / radius));
      weights[o * maxCount + (i - lo)] = w;
      sum += w;
    }
    for (let k = 0; k < hi - lo; k++) weights[o * maxCount + k] /= sum;
    start[o] = lo + offset;
    count[o] = hi - lo;
  }
  return { start, count, weights, maxCount };
}

/**
 * Resizes the crop `box` of an RGBA image to outSize x outSize: uint8 [outSize, outSize, channels].
 * Separable: a horizontal pass into float rows [box.height, outSize, 3], then a vertical pass.
 */
export function resizeCrop(img: DecodedImage, box: CropBox, outSize: number, channels: 1 | 3): Uint8Array {
  if (box.x < 0 || box.y < 0 || box.x + box.width > img.width || box.y + box.height > img.height) {
    throw new Error(`crop box ${JSON.stringify(box)} outside the ${img.width}x${img.height} image`);
  }
  const fx = filterTable(box.width, outSize, box.x);
  const fy = filterTable(box.height, outSize, 0);
  const rows = new Float64Array(box.height * outSize * 3); // [box.height, outSize, 3]
  for (let y = 0; y < box.height; y++) {
    const srcRow = (box.y + y) * img.width * 4;
    for (let o = 0; o < outSize; o++) {
      let r = 0, g = 0, b = 0;
      const s = fx.start[o];
      for (let k = 0; k < fx.count[o]; k++) {
        const w = fx.weights[o * fx.maxCount + k];
        const p = srcRow + (s + k) * 4;
        r += w * img.rgba[p];
        g += w * img.rgba[p + 1];
        b += w * img.rgba[p + 2];
      }
      const q = (y * outSize + o) * 3;
      rows[q] = r;
      rows[q + 1] = g;
      rows[q + 2] = b;
    }
  }
  const out = new Uint8Array(outSize * outSize * channels);
  for (let o = 0; o < outSize; o++) {
    const s = fy.start[o];
    for (let x = 0; x < outSize; x++) {
      let r = 0, g = 0, b = 0;
      for (let k = 0; k < fy.count[o]; k++) {
        const w = fy.weights[o * fy.maxCount + k];
        const q = ((s + k) * outSize + x) * 3;
        r += w * rows[q];
        g += w * rows[q + 1];
        b += w * rows[q + 2];
      }
      const d = (o * outSize + x) * channels;
      if (channels === 3) {
        out[d] = clampByte(r);
        out[d + 1] = clampByte(g);
        out[d + 2] = clampByte(b);
      } else {
        out[d] = clampByte(0.299 * r + 0.587 * g + 0.114 * b);
      }
    }
  }
  return out;
}

function clampByte(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}

/**
 * Decode -> centred crop -> resize: uint8 [outSize, outSize, channels]. Errors name the file.
 * `sourceSize` [width, height]: the size every image of the dataset has (CelebA 178x218, Chairs
 * 600x600); another size is refused, since the same crop of a larger image shows another field of view.
 */
export function preprocessImageFile(file: string, spec: PreprocessSpec, sourceSize?: readonly [number, number]): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new Error(`cannot read image ${file}: ${(err as Error).message}`);
  }
  const crop = decodeImageBytes(bytes, file, (w, h) => {
    const box = centerCropBox(w, h, spec.cropWidth, spec.cropHeight);
    if (sourceSize && (w !== sourceSize[0] || h !== sourceSize[1])) {
      throw new Error(`is ${w}x${h}, but the dataset's images are ${sourceSize[0]}x${sourceSize[1]} (its ${spec.cropWidth}x${spec.cropHeight} centre crop assumes that size); resize or replace the file, or remove it from the dataset`);
    }
    return box;
  });
  return resizeCrop(crop, { x: 0, y: 0, width: crop.width, height: crop.height }, spec.outSize, spec.channels);
}
