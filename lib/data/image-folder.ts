/**
 * Folder-of-photos datasets (CelebA, 3D Chairs): no ground-truth factor grid, just images that are
 * decoded lazily per batch. Items are 0..size-1 in the dataset's fixed file order.
 *
 * Where pixels come from, fastest first:
 *  1. a preprocessed cache file (lib/data/image-cache-file.ts), when one matches the folder;
 *  2. an LRU cache of decoded uint8 images (64x64x3 = 12 KiB each);
 *  3. decoding the JPEG/PNG file (lib/data/image-preprocess.ts).
 */
import * as fs from "node:fs";
import type { GroundTruthDataset, ImageBatch } from "./dataset";
import { EpochOrder, heldOutSplit, type Split } from "./splits";
import { preprocessImageFile, type PreprocessSpec } from "./image-preprocess";
import { datasetFingerprint, defaultCachePath, ImageCacheReader, writeImageCache } from "./image-cache-file";
import { makeRng, permutation, type Rng } from "../rng";

/** What training and the notebooks need from a photo dataset. */
export interface ImageDataset {
  /** A short name: "celeba" or "chairs". */
  readonly name: string;
  /** Where the images come from (the root folder, and the cache file if one is used). */
  readonly source: string;
  readonly size: number;
  readonly imageShape: readonly [height: number, width: number, channels: number];
  /** The fixed held-out split (train and test items, ascending). */
  readonly split: Split;
  /** Images of the given items, NHWC float32 in [0, 1]. */
  batch(items: ArrayLike<number>): ImageBatch;
}

export interface ImageFolderOptions {
  /** Decoded images kept in memory (LRU). Default 16,384 (~200 MB at 64x64x3). 0 disables. */
  readonly cacheImages?: number;
  /** 3 (RGB, default) or 1 (grayscale). */
  readonly channels?: 1 | 3;
  /** Preprocessed cache file: a path, "auto" (default: use <root>/bvae-<name>-64x64xC.u8 if it matches) or "off". */
  readonly preprocessed?: string;
  /** Held-out items when the dataset has no official split. Default: 10% of the images, at most 10,000. */
  readonly heldOut?: number;
  /** Seed of the held-out permutation. Default 2017 (as lib/data/splits.ts). */
  readonly splitSeed?: number;
}

export const DEFAULT_IMAGE_CACHE = 16_384;

/** Default held-out size: 10% of the images (at least 1 when there are 2+), at most 10,000. */
export function defaultHeldOut(size: number): number {
  return size < 2 ? 0 : Math.min(10_000, Math.max(1, Math.floor(size / 10)));
}

/** A least-recently-used map with a fixed capacity (Map keeps insertion order). */
export class LruCache<V> {
  private readonly map = new Map<number, V>();
  constructor(readonly capacity: number) {}
  get(key: number): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: number, value: V): void {
    if (this.capacity <= 0) return;
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as number);
  }
  get size(): number {
    return this.map.size;
  }
}

/** Whether a cache file was found, and if so whether it is used. */
export type CacheStatus = "none" | "used" | "stale";

/**
 * The shared machinery of a folder dataset: the file list, the preprocessing spec, the caches,
 * batching and the held-out split. CelebA and Chairs wrap one and add their labels.
 */
export class ImageFolder {
  readonly imageShape: readonly [number, number, number];
  /** The preprocessed file this folder reads (or would read / write by default). */
  cacheFile: string;
  cacheStatus: CacheStatus = "none";
  /** Files decoded so far (cache misses), and LRU hits: for the decode-speed report. */
  readonly stats = { decoded: 0, lruHits: 0, fromCacheFile: 0 };
  private readonly lru: LruCache<Uint8Array>;
  private reader: ImageCacheReader | undefined;
  readonly fingerprint: string;

  constructor(
    readonly name: string,
    readonly root: string,
    /** Absolute paths, in item order. */
    readonly files: readonly string[],
    /** Paths relative to root, in item order (fingerprinted). */
    relativeFiles: readonly string[],
    readonly spec: PreprocessSpec,
    opts: ImageFolderOptions = {},
    /** [width, height] of every source image (the dataset's official size); others are refused. */
    readonly sourceSize?: readonly [number, number],
  ) {
    this.imageShape = [spec.outSize, spec.outSize, spec.channels];
    this.lru = new LruCache(opts.cacheImages ?? DEFAULT_IMAGE_CACHE);
    this.fingerprint = datasetFingerprint(spec, relativeFiles);
    const pre = opts.preprocessed ?? "auto";
    this.cacheFile = pre === "auto" || pre === "off" ? defaultCachePath(root, name, spec) : pre;
    const explicit = pre !== "auto" && pre !== "off";
    if (pre !== "off" && fs.existsSync(this.cacheFile)) this.attachCache(explicit);
    else if (explicit) throw new Error(`${name}: preprocessed file ${pre} does not exist (write it with bvae data ${name} --cache)`);
    if (explicit && this.cacheStatus === "stale") {
      throw new Error(`${name}: preprocessed file ${pre} was made from other files or another preprocessing (fingerprint differs); rewrite it with bvae data ${name} --cache`);
    }
  }

  get size(): number {
    return this.files.length;
  }

  /** Opens the cache file if its fingerprint matches this folder; otherwise marks it stale. */
  private attachCache(strict = true): void {
    let reader: ImageCacheReader;
    try {
      reader = ImageCacheReader.open(this.cacheFile);
    } catch (err) {
      if (strict) throw err;
      this.cacheStatus = "stale"; // an unreadable file found by "auto" is ignored, like one of another folder
      return;
    }
    const h = reader.header;
    if (h.fingerprint === this.fingerprint && h.count === this.size && h.channels === this.spec.channels) {
      this.reader = reader;
      this.cacheStatus = "used";
    } else {
      reader.close();
      this.cacheStatus = "stale";
    }
  }

  /** Item i preprocessed: uint8 [outSize, outSize, channels]. */
  image(i: number): Uint8Array {
    if (!(Number.isInteger(i) && i >= 0 && i < this.size)) throw new Error(`${this.name}: item ${i} out of range [0, ${this.size})`);
    if (this.reader) {
      this.stats.fromCacheFile++;
      return this.reader.image(i);
    }
    const hit = this.lru.get(i);
    if (hit) {
      this.stats.lruHits++;
      return hit;
    }
    const px = preprocessImageFile(this.files[i], this.spec, this.sourceSize);
    this.stats.decoded++;
    this.lru.set(i, px);
    return px;
  }

  /** NHWC float32 in [0, 1]: [items.length, outSize, outSize, channels]. */
  batch(items: ArrayLike<number>): ImageBatch {
    const [h, w, c] = this.imageShape;
    const per = h * w * c;
    const data = new Float32Array(items.length * per);
    for (let k = 0; k < items.length; k++) {
      const px = this.image(items[k]);
      for (let j = 0; j < per; j++) data[k * per + j] = px[j] / 255;
    }
    return { data, n: items.length, height: h, width: w, channels: c };
  }

  /** Writes the preprocessed cache file (decoding every image; default: cacheFile) and switches to reading it. */
  writeCache(onProgress?: (done: number) => void, file: string = this.cacheFile): string {
    this.reader?.close();
    this.reader = undefined;
    this.cacheFile = file;
    const [height, width, channels] = this.imageShape;
    writeImageCache(
      this.cacheFile,
      { dataset: this.name, count: this.size, height, width, channels, spec: this.spec, fingerprint: this.fingerprint },
      (i) => preprocessImageFile(this.files[i], this.spec, this.sourceSize),
      onProgress,
    );
    this.attachCache();
    return this.cacheFile;
  }

  /** Releases the cache file handle (the LRU is dropped with the object). */
  close(): void {
    this.reader?.close();
    this.reader = undefined;
  }
}

/** The random held-out split used when a dataset has no official one. */
export function randomSplit(size: number, opts: ImageFolderOptions): Split {
  return heldOutSplit(size, { heldOut: opts.heldOut ?? defaultHeldOut(size), seed: opts.splitSeed ?? 2017 });
}

/**
 * Seeded random minibatches over the training items, without replacement within an epoch
 * (reshuffled each epoch, incomplete tail dropped like drop_last).
 */
export class ImageMinibatches {
  private readonly order: EpochOrder;

  constructor(
    readonly dataset: ImageDataset,
    readonly batchSize: number,
    readonly seed: number,
    items: Uint32Array = dataset.split.train,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > items.length) {
      throw new Error(`${dataset.name}: batchSize ${batchSize} must be in [1, ${items.length}] (training items)`);
    }
    this.order = new EpochOrder(items, batchSize, seed);
  }

  /** Completed passes over the items. */
  get epoch(): number {
    return this.order.epoch;
  }

  nextItems(): Uint32Array {
    return this.order.next();
  }

  next(): { items: Uint32Array; images: ImageBatch } {
    const items = this.nextItems();
    return { items, images: this.dataset.batch(items) };
  }
}

/**
 * Adapter for code written against GroundTruthDataset (e.g. the training engine's BatchSchedule):
 * one pseudo-factor "item" with size = number of images, so that the flat index of a factor
 * vector is the item itself and observe(factors) = batch(items). It carries no ground truth:
 * disentanglement metrics must not be run on it.
 */
export function itemIndexedDataset(ds: ImageDataset): GroundTruthDataset {
  return {
    name: ds.name,
    source: ds.source,
    numFactors: 1,
    factorSizes: [ds.size],
    factorNames: ["item"],
    size: ds.size,
    imageShape: ds.imageShape,
    sampleFactors: (n: number, rng: Rng) => Int32Array.from({ length: n }, () => rng.int(ds.size)),
    observe: (factors: Int32Array) => ds.batch(factors),
  };
}

/** Decode throughput: preprocesses up to n distinct files (bypassing caches); images per second. */
export function measureDecodeSpeed(folder: ImageFolder, n = 256, seed = 0): { images: number; seconds: number; perSecond: number } {
  const count = Math.min(n, folder.size);
  const items = permutation(folder.size, makeRng(seed)).slice(0, count);
  const t0 = process.hrtime.bigint();
  for (const i of items) preprocessImageFile(folder.files[i], folder.spec, folder.sourceSize);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { images: count, seconds, perSecond: count / Math.max(seconds, 1e-9) };
}
