/**
 * Image batches -> pictures: a PNG grid (node-canvas) with optional labels under each image and
 * at the left of each row, and an animated GIF (gifenc) whose frames are such grids.
 */
import { createCanvas, type Canvas } from "canvas";
import type { ImageBatch } from "../data/dataset";

export interface GridOptions {
  /** Images per row. Default: ceil(sqrt(n)). */
  readonly cols?: number;
  /** Screen pixels per image pixel. Default 2 (a 64x64 image becomes 128x128). */
  readonly pixelScale?: number;
  /** Space between cells, px. Default 4. */
  readonly gap?: number;
  /** One label per image, drawn under it (use "\n" for a second line). */
  readonly labels?: readonly string[];
  /** One label per row, drawn at its left. */
  readonly rowLabels?: readonly string[];
  /** A title line above the grid. */
  readonly title?: string;
  /** Font size of labels, px. Default 11, larger for a grid wider than SHOWN_WIDTH (see there). */
  readonly fontSize?: number;
}

interface Cell {
  readonly batch: ImageBatch;
  readonly index: number;
}

function cellsOf(images: ImageBatch | readonly ImageBatch[]): Cell[] {
  const batches = Array.isArray(images) ? (images as readonly ImageBatch[]) : [images as ImageBatch];
  const cells: Cell[] = [];
  for (const b of batches) {
    if (b.channels !== 1 && b.channels !== 3) throw new Error(`images: ${b.channels} channels (1 or 3 expected)`);
    if (b.data.length !== b.n * b.height * b.width * b.channels) throw new Error("images: data length does not match n*h*w*c");
    for (let i = 0; i < b.n; i++) cells.push({ batch: b, index: i });
  }
  if (cells.length === 0) throw new Error("images: no images to draw");
  return cells;
}

/**
 * Notebooks, GitHub and REPORT.md show a picture wider than ~880 px shrunk to that width: a grid's
 * labels are drawn large enough to stay at least 11 px when it is.
 */
export const SHOWN_WIDTH = 880;

/** Label font size (px) for a grid `width` px wide: 11, scaled up by width / SHOWN_WIDTH beyond it. */
export function gridFontSize(width: number): number {
  return Math.round(11 * Math.max(1, width / SHOWN_WIDTH));
}

function rowLabelChars(opts: GridOptions): number {
  return opts.rowLabels ? Math.max(...opts.rowLabels.map((l) => l.length)) : 0;
}

/** Draws the grid on a new canvas. */
export function imageGridCanvas(images: ImageBatch | readonly ImageBatch[], opts: GridOptions = {}): Canvas {
  const cells = cellsOf(images);
  const h = cells[0].batch.height;
  const w = cells[0].batch.width;
  const scale = opts.pixelScale ?? 2;
  const gap = opts.gap ?? 4;
  const cols = Math.max(1, Math.min(cells.length, opts.cols ?? Math.ceil(Math.sqrt(cells.length))));
  const fontSize = opts.fontSize ?? gridFontSize(rowLabelChars(opts) * 7 + 8 + gap + cols * (w * scale + gap));
  const rows = Math.ceil(cells.length / cols);
  const font = `${fontSize}px DejaVu Sans, sans-serif`;
  const lineH = Math.ceil(fontSize * 1.25);
  const labelLines = opts.labels ? Math.max(...opts.labels.map((l) => l.split("\n").length)) : 0;
  const labelH = labelLines * lineH + (labelLines ? 2 : 0);
  const measure = createCanvas(1, 1).getContext("2d");
  measure.font = font;
  const rowLabelW = opts.rowLabels ? Math.ceil(Math.max(...opts.rowLabels.map((l) => measure.measureText(l).width))) + 8 : 0;
  const titleH = opts.title ? lineH + 6 : 0;
  const cellW = w * scale;
  const cellH = h * scale;
  const width = rowLabelW + gap + cols * (cellW + gap);
  const height = titleH + gap + rows * (cellH + labelH + gap);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  ctx.font = font;
  ctx.fillStyle = "#000000";
  ctx.textBaseline = "top";
  if (opts.title) ctx.fillText(opts.title, gap, 4);

  const tile = ctx.createImageData(cellW, cellH);
  cells.forEach((cell, k) => {
    const r = Math.floor(k / cols);
    const c = k % cols;
    const x0 = rowLabelW + gap + c * (cellW + gap);
    const y0 = titleH + gap + r * (cellH + labelH + gap);
    const { batch, index } = cell;
    const ch = batch.channels;
    const base = index * h * w * ch;
    const px = tile.data;
    for (let y = 0; y < cellH; y++) {
      const sy = Math.floor(y / scale);
      for (let x = 0; x < cellW; x++) {
        const s = base + (sy * w + Math.floor(x / scale)) * ch;
        const o = 4 * (y * cellW + x);
        for (let q = 0; q < 3; q++) {
          const v = batch.data[s + (ch === 3 ? q : 0)];
          px[o + q] = Math.round(255 * Math.min(1, Math.max(0, v)));
        }
        px[o + 3] = 255;
      }
    }
    ctx.putImageData(tile, x0, y0);
    if (opts.labels && opts.labels[k] !== undefined) {
      opts.labels[k].split("\n").forEach((line, j) => ctx.fillText(line, x0, y0 + cellH + 2 + j * lineH, cellW));
    }
  });
  if (opts.rowLabels) {
    ctx.textBaseline = "middle";
    opts.rowLabels.forEach((l, r) => ctx.fillText(l, 4, titleH + gap + r * (cellH + labelH + gap) + cellH / 2));
  }
  return canvas;
}

/** The grid as PNG bytes. */
export function imageGridPng(images: ImageBatch | readonly ImageBatch[], opts: GridOptions = {}): Buffer {
  return imageGridCanvas(images, opts).toBuffer("image/png");
}

export interface GifOptions extends GridOptions {
  /** Delay between frames, ms. Default 100 (the official dsprites.gif uses 100). */
  readonly delayMs?: number;
  /** Per-frame labels (frame f uses frameLabels[f] instead of `labels`). */
  readonly frameLabels?: readonly (readonly string[])[];
  /** Per-frame titles. */
  readonly frameTitles?: readonly string[];
}

interface GifencModule {
  GIFEncoder(): {
    writeFrame(index: Uint8Array, width: number, height: number, opts: { palette: number[][]; delay?: number; repeat?: number }): void;
    finish(): void;
    bytes(): Uint8Array;
  };
  quantize(rgba: Uint8Array | Uint8ClampedArray, maxColors: number): number[][];
  applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: number[][]): Uint8Array;
}

/** An animated GIF (looping forever); frame f is the grid of frames[f]. All frames must be the same size. */
export function gifFromFrames(frames: readonly (ImageBatch | readonly ImageBatch[])[], opts: GifOptions = {}): Uint8Array {
  if (frames.length === 0) throw new Error("gifFromFrames: no frames");
  // gifenc ships CommonJS without types.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const gifenc = require("gifenc") as GifencModule;
  const gif = gifenc.GIFEncoder();
  let size: [number, number] | undefined;
  frames.forEach((frame, f) => {
    const canvas = imageGridCanvas(frame, {
      ...opts,
      labels: opts.frameLabels?.[f] ?? opts.labels,
      title: opts.frameTitles?.[f] ?? opts.title,
    });
    if (size && (size[0] !== canvas.width || size[1] !== canvas.height)) {
      throw new Error(`gifFromFrames: frame ${f} is ${canvas.width}x${canvas.height}, frame 0 is ${size[0]}x${size[1]}`);
    }
    size = [canvas.width, canvas.height];
    const rgba = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    const palette = gifenc.quantize(rgba, 256);
    gif.writeFrame(gifenc.applyPalette(rgba, palette), canvas.width, canvas.height, { palette, delay: opts.delayMs ?? 100, repeat: 0 });
  });
  gif.finish();
  return gif.bytes();
}
