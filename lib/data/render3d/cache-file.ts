/**
 * The on-disk cache of a rendered dataset: every image once, uint8 [count, height, width, channels],
 * after a header that says what made them and a sha256 of the pixels.
 *
 * Layout: 8 bytes magic "BVAER3D1", uint32 LE header length L, L bytes of JSON (RenderCacheHeader),
 * zero padding to a multiple of 4096, then the pixels. Written atomically (temporary name, fsync,
 * rename), so a reader sees a whole file or none. A file whose fingerprint or shape differs is
 * "stale"; one whose length or pixel hash does not match its header is "corrupt". Either way the
 * caller renders again.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

const MAGIC = "BVAER3D1";
const ALIGN = 4096;

export interface RenderCacheHeader {
  readonly dataset: string;
  /** What the pixels depend on (rendered-dataset.ts: spec and renderer version). */
  readonly fingerprint: string;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** sha256 of the pixel bytes, hex. */
  readonly sha256: string;
}

export type RenderCacheRead =
  | { readonly status: "ok"; readonly pixels: Uint8Array; readonly header: RenderCacheHeader }
  | { readonly status: "missing" | "stale" | "corrupt"; readonly reason: string };

export function sha256Hex(bytes: Uint8Array): string {
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

/** Writes the cache atomically; returns its size in bytes. */
export function writeRenderCache(file: string, header: Omit<RenderCacheHeader, "sha256">, pixels: Uint8Array): number {
  const per = header.height * header.width * header.channels;
  if (pixels.length !== header.count * per) throw new Error(`render cache ${file}: ${pixels.length} bytes of pixels, the header says ${header.count} x ${per}`);
  const json = Buffer.from(JSON.stringify({ ...header, sha256: sha256Hex(pixels) }), "utf8");
  const head = Buffer.alloc(Math.ceil((12 + json.length) / ALIGN) * ALIGN);
  head.write(MAGIC, 0, "latin1");
  head.writeUInt32LE(json.length, 8);
  json.copy(head, 12);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeSync(fd, head, 0, head.length, 0);
    for (let o = 0; o < pixels.length; o += 1 << 24) fs.writeSync(fd, pixels, o, Math.min(1 << 24, pixels.length - o), head.length + o);
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
  return head.length + pixels.length;
}

/** Reads and checks a cache file against what the caller expects. Never throws for a bad file. */
export function readRenderCache(file: string, expected: Omit<RenderCacheHeader, "sha256">): RenderCacheRead {
  if (!fs.existsSync(file)) return { status: "missing", reason: `${file} does not exist` };
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    return { status: "corrupt", reason: `${file}: cannot read (${(err as Error).message})` };
  }
  if (bytes.length < 12 || bytes.toString("latin1", 0, 8) !== MAGIC) return { status: "corrupt", reason: `${file}: not a render cache (magic "${MAGIC}" missing)` };
  const len = bytes.readUInt32LE(8);
  if (12 + len > bytes.length) return { status: "corrupt", reason: `${file}: header length ${len} exceeds the file (truncated)` };
  let header: RenderCacheHeader;
  try {
    header = JSON.parse(bytes.toString("utf8", 12, 12 + len)) as RenderCacheHeader;
  } catch {
    return { status: "corrupt", reason: `${file}: header is not valid JSON` };
  }
  for (const k of ["dataset", "fingerprint", "count", "height", "width", "channels"] as const) {
    if (header[k] !== expected[k]) return { status: "stale", reason: `${file}: ${k} is ${JSON.stringify(header[k])}, expected ${JSON.stringify(expected[k])}` };
  }
  const offset = Math.ceil((12 + len) / ALIGN) * ALIGN;
  const size = header.count * header.height * header.width * header.channels;
  if (bytes.length !== offset + size) return { status: "corrupt", reason: `${file}: ${bytes.length} bytes, the header promises ${offset + size} (truncated or padded)` };
  const pixels = new Uint8Array(bytes.buffer, bytes.byteOffset + offset, size);
  const digest = sha256Hex(pixels);
  if (digest !== header.sha256) return { status: "corrupt", reason: `${file}: pixel sha256 ${digest.slice(0, 12)}... differs from the header's ${String(header.sha256).slice(0, 12)}...` };
  return { status: "ok", pixels, header };
}
