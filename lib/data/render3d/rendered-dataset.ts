/**
 * A rendered full-factorial dataset (chairs3d, faces3d) behind the GroundTruthDataset interface:
 * item = flat index (factors.ts, last factor fastest), images float32 in [0, 1], NHWC
 * [n, size, size, 3], from observe().
 *
 * Each image is rendered once, on first use, into a uint8 memo of the whole set (chairs3d 55 MB,
 * faces3d 239 MB), so a training run renders each image once and then only copies. `renderAll` +
 * `saveCache` write the memo to disk (cache-file.ts, atomically); a later process opening the
 * dataset reads that file instead of rendering, after checking its hash and re-rendering a few
 * images to compare (a cache written by an older renderer is caught even if nobody bumped
 * RENDERER_VERSION). A stale or corrupt file is ignored and the images are rendered again.
 */
import * as crypto from "node:crypto";
import * as path from "node:path";
import type { GroundTruthDataset, ImageBatch } from "../dataset";
import { makeRng, type Rng } from "../../rng";
import { projectRoot } from "../../files";
import type { FactorGrid } from "./factors";
import { readRenderCache, writeRenderCache } from "./cache-file";

/** Bump when the renderer or a model changes its pixels (the cache's spot check is the safety net). */
export const RENDERER_VERSION = 1;

export interface RenderedSpec {
  readonly name: string;
  readonly grid: FactorGrid;
  /** Output width = height, pixels. */
  readonly imageSize: number;
  /** One line for the CLI: what is drawn. */
  readonly description: string;
  /** Everything else the pixels depend on (camera, lights, dimensions), hashed into the fingerprint. */
  readonly definition: unknown;
  /** Renders the image of classes[offset ..] into out[outOffset ..] as uint8 RGB [size, size, 3]. */
  render(classes: Int32Array, offset: number, out: Uint8Array, outOffset: number): void;
  /** Factor classes figures hold fixed by default (a view that shows every factor). Default: the middle class of each. */
  readonly preview?: readonly number[];
}

export interface RenderedOptions {
  /** "auto" (default): read the disk cache when it is valid; "off": memory only. */
  readonly cache?: "auto" | "off";
  /** Folder of the disk cache. Default: BVAE_RENDER3D_CACHE, else <project>/build/render3d. */
  readonly cacheDir?: string;
}

export type CacheState = "off" | "missing" | "loaded" | "stale" | "corrupt" | "written";

/** Where disk caches go by default. */
export function defaultRenderCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.BVAE_RENDER3D_CACHE ? path.resolve(env.BVAE_RENDER3D_CACHE) : path.join(projectRoot(), "build", "render3d");
}

/** A short hash of everything the pixels depend on. */
export function specFingerprint(spec: RenderedSpec): string {
  const text = JSON.stringify({ version: RENDERER_VERSION, name: spec.name, size: spec.imageSize, factors: spec.grid.factors, definition: spec.definition });
  return crypto.createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** uint8 -> [0, 1] lookup. */
const TO_UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

export class RenderedDataset implements GroundTruthDataset {
  readonly name: string;
  readonly numFactors: number;
  readonly factorSizes: readonly number[];
  readonly factorNames: readonly string[];
  readonly size: number;
  readonly imageShape: readonly [number, number, number];
  readonly fingerprint: string;
  /** The disk cache's path (undefined when the cache is off). */
  readonly cacheFile: string | undefined;
  /** What happened to the disk cache, and why. */
  cacheState: CacheState;
  cacheReason = "";
  /** Bytes per image. */
  readonly per: number;
  private readonly pixels: Uint8Array;
  private readonly done: Uint8Array;
  private renderedCount = 0;
  private readonly scratch: Int32Array;

  constructor(
    readonly spec: RenderedSpec,
    opts: RenderedOptions = {},
  ) {
    this.name = spec.name;
    this.numFactors = spec.grid.numFactors;
    this.factorSizes = spec.grid.sizes;
    this.factorNames = spec.grid.names;
    this.size = spec.grid.size;
    this.imageShape = [spec.imageSize, spec.imageSize, 3];
    this.per = spec.imageSize * spec.imageSize * 3;
    this.fingerprint = specFingerprint(spec);
    this.done = new Uint8Array(this.size);
    this.scratch = new Int32Array(this.numFactors);
    this.cacheFile = opts.cache === "off" ? undefined : path.join(opts.cacheDir ?? defaultRenderCacheDir(), `${spec.name}-${spec.imageSize}px-${this.fingerprint}.u8`);
    const read = this.cacheFile ? readRenderCache(this.cacheFile, this.cacheHeader()) : undefined;
    const mismatch = read?.status === "ok" ? this.spotCheck(read.pixels) : undefined;
    if (read?.status === "ok" && mismatch === undefined) {
      this.pixels = read.pixels;
      this.done.fill(1);
      this.renderedCount = this.size;
      this.cacheState = "loaded";
      return;
    }
    this.pixels = new Uint8Array(this.size * this.per);
    if (!read) this.cacheState = "off";
    else if (read.status !== "ok") {
      this.cacheState = read.status;
      this.cacheReason = read.reason;
    } else {
      this.cacheState = "stale";
      this.cacheReason = `${this.cacheFile}: image ${mismatch} differs from a fresh render (the renderer changed); rendering again`;
    }
  }

  /**
   * What the images are, not where they were read from: checkpoints and scores record it, and a run
   * resumes only on the same source, so it names the fingerprint (the same pixels whether rendered
   * now or read from the cache, in any clone) and changes when the renderer's output does.
   */
  get source(): string {
    return `rendered (fingerprint ${this.fingerprint})`;
  }

  /** Images rendered or loaded so far. */
  get rendered(): number {
    return this.renderedCount;
  }

  /** Bytes held for images (the whole set, uint8). */
  get memoryBytes(): number {
    return this.pixels.byteLength;
  }

  /** Uniform factor classes [n * numFactors]. */
  sampleFactors(n: number, rng: Rng): Int32Array {
    const F = this.numFactors;
    const out = new Int32Array(n * F);
    for (let i = 0; i < n; i++) for (let f = 0; f < F; f++) out[i * F + f] = rng.int(this.factorSizes[f]);
    return out;
  }

  /** Images of factor classes [n * numFactors]: float32 in [0, 1], NHWC [n, size, size, 3]. */
  observe(factors: Int32Array): ImageBatch {
    const bytes = this.observeBytes(factors);
    const data = new Float32Array(bytes.length);
    for (let k = 0; k < bytes.length; k++) data[k] = TO_UNIT[bytes[k]];
    const s = this.spec.imageSize;
    return { data, n: bytes.length / this.per, height: s, width: s, channels: 3 };
  }

  /** The same images as uint8 RGB, [n, size, size, 3] (for export and PNGs). */
  observeBytes(factors: Int32Array): Uint8Array {
    const F = this.numFactors;
    if (factors.length % F !== 0) throw new Error(`${this.name}: factors length ${factors.length} is not a multiple of ${F}`);
    const n = factors.length / F;
    const out = new Uint8Array(n * this.per);
    for (let i = 0; i < n; i++) out.set(this.image(this.spec.grid.index(factors, i * F)), i * this.per);
    return out;
  }

  /** Image `index` (rendered now if needed): a view, uint8 [size * size * 3]. */
  image(index: number): Uint8Array {
    if (!(Number.isInteger(index) && index >= 0 && index < this.size)) throw new Error(`${this.name}: index ${index} is out of range [0, ${this.size})`);
    if (this.done[index] === 0) {
      this.spec.grid.classes(index, this.scratch);
      this.spec.render(this.scratch, 0, this.pixels, index * this.per);
      this.done[index] = 1;
      this.renderedCount++;
    }
    return this.pixels.subarray(index * this.per, (index + 1) * this.per);
  }

  /** Factor classes of items (item = flat index), [n * numFactors]. */
  factorsOfItems(items: ArrayLike<number>): Int32Array {
    const out = new Int32Array(items.length * this.numFactors);
    for (let i = 0; i < items.length; i++) this.spec.grid.classes(items[i], out, i * this.numFactors);
    return out;
  }

  /** Factor values (latents_values rows), [n * numFactors]. */
  factorValues(factors: Int32Array): Float64Array {
    const F = this.numFactors;
    const out = new Float64Array(factors.length);
    for (let i = 0; i < factors.length / F; i++) this.spec.grid.values(factors, i * F, out.subarray(i * F, (i + 1) * F));
    return out;
  }

  /** Renders every image not rendered yet; returns how many and the seconds it took. */
  renderAll(onProgress?: (done: number, total: number) => void): { rendered: number; seconds: number } {
    const t0 = process.hrtime.bigint();
    let rendered = 0;
    for (let i = 0; i < this.size; i++) {
      if (this.done[i] === 0) {
        this.image(i);
        rendered++;
        if (onProgress && rendered % 500 === 0) onProgress(this.renderedCount, this.size);
      }
    }
    return { rendered, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
  }

  /** Writes the whole set to the disk cache (rendering what is missing first); returns the file and its size. */
  saveCache(): { file: string; bytes: number } {
    if (!this.cacheFile) throw new Error(`${this.name}: the disk cache is off`);
    this.renderAll();
    const bytes = writeRenderCache(this.cacheFile, this.cacheHeader(), this.pixels);
    this.cacheState = "written";
    this.cacheReason = "";
    return { file: this.cacheFile, bytes };
  }

  private cacheHeader() {
    const s = this.spec.imageSize;
    return { dataset: this.name, fingerprint: this.fingerprint, count: this.size, height: s, width: s, channels: 3 };
  }

  /** Renders the spot-check images afresh and compares them with `pixels`; the first differing index, if any. */
  private spotCheck(pixels: Uint8Array): number | undefined {
    const fresh = new Uint8Array(this.per);
    for (const index of spotCheckIndices(this.size)) {
      this.spec.grid.classes(index, this.scratch);
      this.spec.render(this.scratch, 0, fresh, 0);
      const cached = pixels.subarray(index * this.per, (index + 1) * this.per);
      for (let k = 0; k < this.per; k++) if (fresh[k] !== cached[k]) return index;
    }
    return undefined;
  }
}

/** The images a cache file's reader renders afresh to compare (first, last and two between). */
export function spotCheckIndices(size: number): number[] {
  return [...new Set([0, Math.floor(size / 3), Math.floor((2 * size) / 3) + 1, size - 1])].filter((i) => i < size);
}

export interface RenderSpeed {
  readonly images: number;
  /** Seconds for the second pass over the same images (meshes already built): steady rendering. */
  readonly seconds: number;
  readonly imagesPerSecond: number;
  /** The first pass, which also builds each model's mesh on first use. */
  readonly firstPassPerSecond: number;
}

/**
 * Times rendering `n` random images afresh (never from a cache): a first pass, which also builds
 * the meshes of the models it meets, then a second pass over the same images, the steady rate.
 */
export function measureRenderSpeed(spec: RenderedSpec, n = 200, rng: Rng = makeRng(0)): RenderSpeed {
  const F = spec.grid.numFactors;
  const out = new Uint8Array(spec.imageSize * spec.imageSize * 3);
  const classes = new Int32Array(n * F);
  for (let k = 0; k < n * F; k++) classes[k] = rng.int(spec.grid.sizes[k % F]);
  const pass = (): number => {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < n; k++) spec.render(classes, k * F, out, 0);
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  const first = pass();
  const seconds = pass();
  return { images: n, seconds, imagesPerSecond: n / seconds, firstPassPerSecond: n / first };
}
