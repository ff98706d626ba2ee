/**
 * dSprites as a GroundTruthDataset, from either source:
 *   "generated": rendered on demand by our calibrated generator (no memory beyond a ~15 MB cache);
 *   "file":      the official npz (or a subset of it in the same layout), held bit-packed.
 * Both give the same factor names, sizes, values and index order, so nothing else changes when
 * the official file is placed in data/. Images are float32 0/1, NHWC [n, 64, 64, 1], made per call.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { GroundTruthDataset, ImageBatch } from "./dataset";
import type { Rng } from "../rng";
import { makeRng } from "../rng";
import { projectRoot } from "../files";
import {
  DSPRITES_FACTOR_NAMES,
  DSPRITES_FACTOR_SIZES,
  DSPRITES_IMAGE_SIZE,
  DSPRITES_NUM_FACTORS,
  DSPRITES_SIZE,
  dspritesClasses,
  dspritesIndex,
  dspritesValues,
} from "./dsprites-spec";
import { prepareDspritesCache, renderDsprites } from "./dsprites-render";
import { Minibatches } from "./splits";
import { DSPRITES_OFFICIAL_FILE, loadDspritesFile, unpackImage, type DspritesFileData } from "./dsprites-file";

export type DspritesSourceKind = "generated" | "file";

export interface DspritesOptions {
  /** "auto" (default): the official file if it exists at `path`, else the generator. */
  readonly source?: DspritesSourceKind | "auto";
  /** Official-format npz. Default: <project root>/data/dsprites_ndarray_co1sh3sc6or40x32y32_64x64.npz. */
  readonly path?: string;
}

/** Where the official file is looked for: data/ of the project (not of the current directory,
 * so notebooks running in notebooks/ find it too). */
export const DEFAULT_DSPRITES_PATH = path.join(projectRoot(), "data", DSPRITES_OFFICIAL_FILE);

const PIXELS = DSPRITES_IMAGE_SIZE * DSPRITES_IMAGE_SIZE;
const F = DSPRITES_NUM_FACTORS;

export class DspritesDataset implements GroundTruthDataset {
  readonly name = "dsprites";
  readonly source: string;
  readonly kind: DspritesSourceKind;
  readonly numFactors = F;
  readonly factorSizes: readonly number[] = DSPRITES_FACTOR_SIZES;
  readonly factorNames: readonly string[] = DSPRITES_FACTOR_NAMES;
  readonly size: number;
  readonly imageShape: readonly [number, number, number] = [DSPRITES_IMAGE_SIZE, DSPRITES_IMAGE_SIZE, 1];

  constructor(private readonly file?: DspritesFileData) {
    this.kind = file ? "file" : "generated";
    this.source = file ? file.path : "generated";
    this.size = file ? file.n : DSPRITES_SIZE;
  }

  /** Whether every one of the 737,280 factor combinations can be observed. */
  get complete(): boolean {
    return this.file === undefined || this.file.complete;
  }

  /** Uniform factor classes [n * 6] (for a subset file: uniform over the images it holds). */
  sampleFactors(n: number, rng: Rng): Int32Array {
    const out = new Int32Array(n * F);
    if (this.file && !this.file.complete) {
      for (let i = 0; i < n; i++) {
        const r = rng.int(this.file.n);
        out.set(this.file.classes.subarray(r * F, r * F + F), i * F);
      }
      return out;
    }
    for (let i = 0; i < n; i++) for (let f = 0; f < F; f++) out[i * F + f] = rng.int(DSPRITES_FACTOR_SIZES[f]);
    return out;
  }

  /** Images for factor classes [n * 6]: float32 0/1, [n, 64, 64, 1]. */
  observe(factors: Int32Array): ImageBatch {
    const n = factors.length / F;
    const data = new Float32Array(n * PIXELS);
    this.renderInto(factors, data);
    return { data, n, height: DSPRITES_IMAGE_SIZE, width: DSPRITES_IMAGE_SIZE, channels: 1 };
  }

  /** Images as uint8 0/1, [n, 64, 64] (for export and PNGs). */
  observeBinary(factors: Int32Array): Uint8Array {
    const out = new Uint8Array((factors.length / F) * PIXELS);
    this.renderInto(factors, out);
    return out;
  }

  /** Factor classes of items 0..size-1 (item = official index, or file row for a subset). */
  factorsOfItems(items: ArrayLike<number>): Int32Array {
    const out = new Int32Array(items.length * F);
    for (let i = 0; i < items.length; i++) {
      if (this.file && !this.file.complete) {
        const r = items[i];
        if (!(r >= 0 && r < this.file.n)) throw new Error(`dsprites: item ${r} out of range [0, ${this.file.n})`);
        out.set(this.file.classes.subarray(r * F, r * F + F), i * F);
      } else dspritesClasses(items[i], out, i * F);
    }
    return out;
  }

  /** Factor values (latents_values rows), [n * 6]. */
  factorValues(factors: Int32Array): Float64Array {
    const n = factors.length / F;
    const out = new Float64Array(n * F);
    for (let i = 0; i < n; i++) out.set(dspritesValues(factors, i * F), i * F);
    return out;
  }

  private renderInto(factors: Int32Array, out: Float32Array | Uint8Array): void {
    if (factors.length % F !== 0) throw new Error(`dsprites: factors length ${factors.length} is not a multiple of ${F}`);
    const file = this.file;
    if (!file) {
      renderDsprites(factors, out);
      return;
    }
    const n = factors.length / F;
    for (let i = 0; i < n; i++) {
      const idx = dspritesIndex(factors, i * F);
      const row = file.complete ? idx : file.rowOfIndex![idx];
      if (row < 0) {
        throw new Error(`dsprites: factors [${Array.from(factors.subarray(i * F, i * F + F)).join(", ")}] are not in the subset file ${file.path}`);
      }
      unpackImage(file.packed, row, out, i * PIXELS);
    }
  }
}

/**
 * Opens dSprites. Default: the official file in data/ when present, otherwise the generator.
 * `source: "file"` without the file is an error naming the expected path.
 */
export function openDsprites(opts: DspritesOptions = {}): DspritesDataset {
  const source = opts.source ?? "auto";
  const file = opts.path ?? DEFAULT_DSPRITES_PATH;
  switch (source) {
    case "generated":
      return new DspritesDataset();
    case "file":
      if (!fs.existsSync(file)) throw new Error(`dsprites: file ${file} not found (the official npz or a file in its layout)`);
      return new DspritesDataset(loadDspritesFile(file));
    case "auto":
      return fs.existsSync(file) ? new DspritesDataset(loadDspritesFile(file)) : new DspritesDataset();
  }
}

export interface DspritesBenchResult {
  readonly source: string;
  /** "random": sampleFactors + observe; "minibatches": Minibatches over the training split. */
  readonly mode: "random" | "minibatches";
  readonly images: number;
  readonly batchSize: number;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  /** Largest process.memoryUsage().rss seen between batches, MB. */
  readonly peakRssMB: number;
  /** Generator only: seconds to build the span cache once per process (not in `seconds`). */
  readonly cacheSeconds: number;
}

export interface DspritesBenchOptions {
  /** Images to serve. Default 200,000 (737,280 = one pass over the whole set). */
  readonly images?: number;
  /** Default 64. */
  readonly batchSize?: number;
  /** Default: the generator. */
  readonly dataset?: DspritesDataset;
  readonly mode?: "random" | "minibatches";
  readonly seed?: number;
}

/** Times serving float32 minibatches. Used by `make bench`. */
export function benchDsprites(opts: DspritesBenchOptions = {}): DspritesBenchResult {
  const ds = opts.dataset ?? openDsprites({ source: "generated" });
  const images = opts.images ?? 200_000;
  const batchSize = opts.batchSize ?? 64;
  const mode = opts.mode ?? "random";
  const rng = makeRng(opts.seed ?? 0);
  let nextBatch: () => ImageBatch;
  switch (mode) {
    case "random":
      nextBatch = () => ds.observe(ds.sampleFactors(batchSize, rng));
      break;
    case "minibatches": {
      const items = new Uint32Array(ds.size);
      for (let i = 0; i < ds.size; i++) items[i] = i;
      const mb = new Minibatches(ds, items, batchSize, opts.seed ?? 0);
      nextBatch = () => mb.next().images;
      break;
    }
  }
  const cacheSeconds = ds.kind === "generated" ? prepareDspritesCache() : 0;
  for (let w = 0; w < 30; w++) nextBatch(); // warm-up (JIT)
  let done = 0;
  let checksum = 0;
  let peak = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  while (done < images) {
    const b = nextBatch();
    checksum += b.data[2080];
    done += b.n;
    if ((done / batchSize) % 64 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  peak = Math.max(peak, process.memoryUsage().rss);
  if (!Number.isFinite(checksum)) throw new Error("unreachable");
  return { source: ds.source, mode, images: done, batchSize, seconds, imagesPerSecond: done / seconds, peakRssMB: peak / 2 ** 20, cacheSeconds };
}
