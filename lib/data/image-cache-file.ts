/**
 * A preprocessed image file: every image of a folder dataset, already cropped and resized, as
 * uint8 [count, height, width, channels] after a small header. Written once (atomically: a
 * temporary name, then rename) by `bvae data celeba|chairs --cache`; later runs read single
 * images at their offset (the OS page cache keeps hot ones in memory) instead of decoding JPEGs.
 *
 * Layout: 8 bytes magic "BVAEIMG1", uint32 LE header length L, L bytes of JSON
 * (CacheHeader), zero padding to a multiple of 4096, then the pixels.
 * The header's fingerprint (sha256 of the preprocessing spec and the file list) ties the file to
 * one dataset folder state: a file whose fingerprint differs is reported stale and not used.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PreprocessSpec } from "./image-preprocess";

const MAGIC = "BVAEIMG1";
const ALIGN = 4096;

export interface CacheHeader {
  readonly dataset: string;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly spec: PreprocessSpec;
  readonly fingerprint: string;
}

/** sha256 over the spec and the relative file names, in item order. */
export function datasetFingerprint(spec: PreprocessSpec, relativeFiles: readonly string[]): string {
  const h = crypto.createHash("sha256");
  h.update(JSON.stringify(spec));
  for (const f of relativeFiles) h.update("\n" + f);
  return h.digest("hex");
}

/** Default location: inside the dataset root, named after the output shape. */
export function defaultCachePath(root: string, dataset: string, spec: PreprocessSpec): string {
  return path.join(root, `bvae-${dataset}-${spec.outSize}x${spec.outSize}x${spec.channels}.u8`);
}

function headerBytes(header: CacheHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const total = Math.ceil((8 + 4 + json.length) / ALIGN) * ALIGN;
  const buf = Buffer.alloc(total);
  buf.write(MAGIC, 0, "latin1");
  buf.writeUInt32LE(json.length, 8);
  json.copy(buf, 12);
  return buf;
}

/**
 * Writes the cache file atomically. `image(i)` returns item i preprocessed (uint8 [h*w*c]);
 * `onProgress(done)` is called every 1024 images.
 */
export function writeImageCache(
  file: string,
  header: CacheHeader,
  image: (i: number) => Uint8Array,
  onProgress?: (done: number) => void,
): void {
  const per = header.height * header.width * header.channels;
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new Error(`${file} is a folder; give the preprocessed file a file name`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    const head = headerBytes(header);
    fs.writeSync(fd, head, 0, head.length, 0);
    const chunk = 256; // images per write
    const buf = Buffer.alloc(chunk * per);
    for (let start = 0; start < header.count; start += chunk) {
      const n = Math.min(chunk, header.count - start);
      for (let k = 0; k < n; k++) {
        const px = image(start + k);
        if (px.length !== per) throw new Error(`writeImageCache: image ${start + k} has ${px.length} bytes, expected ${per}`);
        buf.set(px, k * per);
      }
      fs.writeSync(fd, buf, 0, n * per, head.length + start * per);
      if (onProgress && Math.floor((start + n) / 1024) > Math.floor(start / 1024)) onProgress(start + n);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, file);
  } catch (err) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** An open cache file: random access to single images. Call close() when done. */
export class ImageCacheReader {
  private fd: number | undefined;
  readonly per: number;

  private constructor(
    readonly file: string,
    readonly header: CacheHeader,
    private readonly dataOffset: number,
    fd: number,
  ) {
    this.fd = fd;
    this.per = header.height * header.width * header.channels;
  }

  /** Opens and checks a cache file; errors name the file and what is wrong. */
  static open(file: string): ImageCacheReader {
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new Error(`${file} is a folder; expected a preprocessed image file (bvae data <dataset> --cache writes one)`);
    const fd = fs.openSync(file, "r");
    try {
      const pre = Buffer.alloc(12);
      fs.readSync(fd, pre, 0, 12, 0);
      if (pre.toString("latin1", 0, 8) !== MAGIC) throw new Error(`${file}: not a bvae image cache (magic "${MAGIC}" missing)`);
      const len = pre.readUInt32LE(8);
      const actual = fs.fstatSync(fd).size;
      if (12 + len > actual) throw new Error(`${file}: header length ${len} exceeds the file's ${actual} bytes (truncated or corrupt)`);
      const json = Buffer.alloc(len);
      fs.readSync(fd, json, 0, len, 12);
      let header: CacheHeader;
      try {
        header = JSON.parse(json.toString("utf8")) as CacheHeader;
      } catch {
        throw new Error(`${file}: header is not valid JSON (truncated or corrupt)`);
      }
      const dataOffset = Math.ceil((12 + len) / ALIGN) * ALIGN;
      const expected = dataOffset + header.count * header.height * header.width * header.channels;
      if (actual !== expected) throw new Error(`${file}: ${actual} bytes, the header promises ${expected} (truncated or corrupt)`);
      return new ImageCacheReader(file, header, dataOffset, fd);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  }

  /** Item i: uint8 [height * width * channels]. */
  image(i: number): Uint8Array {
    if (this.fd === undefined) throw new Error(`${this.file}: cache already closed`);
    if (!(i >= 0 && i < this.header.count)) throw new Error(`${this.file}: item ${i} out of range [0, ${this.header.count})`);
    const out = new Uint8Array(this.per);
    const got = fs.readSync(this.fd, out, 0, this.per, this.dataOffset + i * this.per);
    if (got !== this.per) throw new Error(`${this.file}: short read at item ${i}`);
    return out;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
