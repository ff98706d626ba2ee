/**
 * NumPy .npy / .npz reading and writing. An npz is a zip of .npy files (stored or deflated).
 *
 * Reading goes through the zip's central directory (zip64 aware) and streams an entry in chunks,
 * inflating with fflate, so an array larger than memory (the official dSprites `imgs`: 3 GB of
 * uint8) can be consumed chunk by chunk. Each member's size and CRC-32 are checked against the
 * central directory, as numpy's zipfile does: a damaged file is refused, never read as data. Object arrays (`|O`, pickles) are never unpickled: their
 * bytes can only be skipped.
 *
 * Writing streams through fflate's Zip into a temporary file that is renamed at the end.
 */
import * as fs from "node:fs";
import { dirname } from "node:path";
import { Inflate, Zip, ZipDeflate, ZipPassThrough } from "fflate";
import { crc32 } from "./crc32";
import { assertFileTarget, explainWriteError, makeDir } from "../files";

/** dtype descriptors this module reads and writes (little-endian, as numpy writes on x86). */
export type NpyDescr = "|u1" | "|b1" | "<i4" | "<i8" | "<f4" | "<f8" | "|O";

export function itemSize(descr: NpyDescr): number {
  switch (descr) {
    case "|u1":
    case "|b1":
      return 1;
    case "<i4":
    case "<f4":
      return 4;
    case "<i8":
    case "<f8":
      return 8;
    case "|O":
      return 0; // pickled: no fixed size
  }
}

export interface NpyHeader {
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  /** Bytes before the data (magic + version + length + header text). */
  readonly dataOffset: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Parses an .npy header; returns undefined if `bytes` is too short to hold all of it yet. */
export function parseNpyHeader(bytes: Uint8Array, where: string): NpyHeader | undefined {
  if (bytes.length < 10) return undefined;
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new Error(`${where}: not an .npy array (bad magic bytes)`);
  }
  const major = bytes[6];
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = bytes[8] | (bytes[9] << 8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) return undefined;
    headerLen = (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 2 ** 24;
    start = 12;
  } else throw new Error(`${where}: unsupported .npy format version ${major}`);
  if (bytes.length < start + headerLen) return undefined;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, headerLen).toString("latin1");
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shape) throw new Error(`${where}: malformed .npy header: ${text.trim()}`);
  const dims = shape[1]
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const n = Number(s.replace(/L$/, ""));
      if (!Number.isInteger(n) || n < 0) throw new Error(`${where}: bad shape entry "${s}" in .npy header`);
      return n;
    });
  return { descr: descr[1], fortranOrder: fortran[1] === "True", shape: dims, dataOffset: start + headerLen };
}

/** The .npy header (format 1.0, padded to a multiple of 64 bytes) for an array. */
export function npyHeaderBytes(descr: NpyDescr, shape: readonly number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let text = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + text.length + 1;
  text += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const out = new Uint8Array(10 + text.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = text.length & 0xff;
  out[9] = text.length >> 8;
  out.set(Buffer.from(text, "latin1"), 10);
  return out;
}

export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A whole array read into memory: raw little-endian bytes. */
export interface NpyArray {
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

/** One member of an npz (name without ".npy"). */
export interface NpzEntry {
  readonly name: string;
  readonly fileName: string;
  /** 0 = stored, 8 = deflate. */
  readonly method: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
  /** CRC-32 of the uncompressed member, from the central directory. */
  readonly crc32: number;
}

function u16(b: Buffer, o: number): number {
  return b.readUInt16LE(o);
}
function u32(b: Buffer, o: number): number {
  return b.readUInt32LE(o);
}
function u64(b: Buffer, o: number): number {
  return Number(b.readBigUInt64LE(o));
}

/** Reads an npz from a file descriptor, entry by entry, without loading the whole file. */
export class NpzReader {
  readonly entries: readonly NpzEntry[];
  private constructor(
    readonly path: string,
    private readonly fd: number,
    readonly fileSize: number,
    entries: NpzEntry[],
  ) {
    this.entries = entries;
  }

  static open(path: string): NpzReader {
    let fd: number;
    try {
      fd = fs.openSync(path, "r");
    } catch (e) {
      throw new Error(`${path}: cannot open (${(e as Error).message})`);
    }
    try {
      const stat = fs.fstatSync(fd);
      if (stat.isDirectory()) throw new Error(`${path} is a folder; expected an .npz file`);
      const size = stat.size;
      return new NpzReader(path, fd, size, readCentralDirectory(path, fd, size));
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  names(): string[] {
    return this.entries.map((e) => e.name);
  }

  entry(name: string): NpzEntry {
    const e = this.entries.find((x) => x.name === name);
    if (!e) throw new Error(`${this.path}: no array '${name}' (the file has: ${this.names().join(", ") || "nothing"})`);
    return e;
  }

  /**
   * Streams an array: onHeader once, then onData with consecutive chunks of its raw data bytes.
   * Checks that exactly shapeSize * itemSize data bytes arrive.
   */
  streamArray(name: string, onHeader: (h: NpyHeader) => void, onData: (chunk: Uint8Array) => void): NpyHeader {
    const e = this.entry(name);
    const where = `${this.path}: array '${name}'`;
    let header: NpyHeader | undefined;
    let pending: Uint8Array | undefined = new Uint8Array(0);
    let received = 0;
    const accept = (chunk: Uint8Array): void => {
      if (header === undefined) {
        const joined: Uint8Array = new Uint8Array(pending!.length + chunk.length);
        joined.set(pending!, 0);
        joined.set(chunk, pending!.length);
        header = parseNpyHeader(joined, where);
        if (header === undefined) {
          pending = joined;
          return;
        }
        pending = undefined;
        onHeader(header);
        chunk = joined.subarray(header.dataOffset);
      }
      if (chunk.length > 0) {
        received += chunk.length;
        onData(chunk);
      }
    };
    this.streamEntry(e, accept);
    if (header === undefined) throw new Error(`${where}: truncated (the .npy header is incomplete)`);
    const h: NpyHeader = header;
    const descr = h.descr as NpyDescr;
    const isz = itemSize(descr);
    if (isz > 0) {
      const expected = shapeSize(h.shape) * isz;
      if (received !== expected) {
        throw new Error(`${where}: truncated or corrupt: ${received} data bytes, expected ${expected} for shape (${h.shape.join(", ")})`);
      }
    }
    return h;
  }

  /** Reads a whole array into memory (use for small arrays only). */
  readArray(name: string): NpyArray {
    const parts: Uint8Array[] = [];
    let total = 0;
    const h = this.streamArray(
      name,
      () => undefined,
      (c) => {
        parts.push(c.slice());
        total += c.length;
      },
    );
    const data = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      data.set(p, o);
      o += p.length;
    }
    return { descr: h.descr, fortranOrder: h.fortranOrder, shape: h.shape, data };
  }

  private streamEntry(e: NpzEntry, onData: (c: Uint8Array) => void): void {
    const where = `${this.path}: member ${e.fileName}`;
    // CRC-32 and size of what comes out, checked against the central directory at the end.
    let crc = 0;
    let size = 0;
    const onChunk = (c: Uint8Array): void => {
      crc = crc32(c, crc);
      size += c.length;
      onData(c);
    };
    const local = Buffer.alloc(30);
    if (fs.readSync(this.fd, local, 0, 30, e.localHeaderOffset) !== 30 || u32(local, 0) !== 0x04034b50) {
      throw new Error(`${where}: bad local header (file corrupt or truncated)`);
    }
    const dataStart = e.localHeaderOffset + 30 + u16(local, 26) + u16(local, 28);
    const dataEnd = dataStart + e.compressedSize;
    if (dataEnd > this.fileSize) {
      throw new Error(`${where}: truncated (needs bytes up to ${dataEnd}, the file has ${this.fileSize})`);
    }
    let inflater: Inflate | undefined;
    let done = false;
    switch (e.method) {
      case 0:
        break;
      case 8:
        inflater = new Inflate((chunk, final) => {
          onChunk(chunk);
          if (final) done = true;
        });
        break;
      default:
        throw new Error(`${where}: unsupported zip compression method ${e.method} (expected stored or deflate)`);
    }
    // Small compressed chunks: fflate inflates a whole pushed chunk at once, and dSprites deflates
    // ~190:1, so 1 MB in would be ~190 MB out in one piece.
    const buf = Buffer.alloc(e.method === 8 ? 1 << 14 : 1 << 20);
    for (let pos = dataStart; pos < dataEnd; ) {
      const n = fs.readSync(this.fd, buf, 0, Math.min(buf.length, dataEnd - pos), pos);
      if (n <= 0) throw new Error(`${where}: truncated (read failed at byte ${pos})`);
      pos += n;
      const chunk = new Uint8Array(buf.buffer, buf.byteOffset, n);
      if (inflater) {
        try {
          inflater.push(chunk, pos >= dataEnd);
        } catch (err) {
          throw new Error(`${where}: corrupt deflate data (${(err as Error).message})`);
        }
      } else onChunk(chunk);
    }
    if (e.compressedSize === 0 && inflater) inflater.push(new Uint8Array(0), true);
    if (inflater && !done) throw new Error(`${where}: truncated deflate stream`);
    if (size !== e.uncompressedSize) {
      throw new Error(`${where}: ${size} bytes, the zip directory says ${e.uncompressedSize} (corrupt file); get or export the file again`);
    }
    if (crc !== e.crc32) {
      throw new Error(
        `${where}: CRC-32 mismatch (the zip directory says ${hex(e.crc32)}, the data gives ${hex(crc)}): the file is corrupt (numpy refuses it too); get or export the file again`,
      );
    }
  }
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, "0")}`;

function readCentralDirectory(path: string, fd: number, size: number): NpzEntry[] {
  const tailLen = Math.min(size, 22 + 65535 + 20);
  const tail = Buffer.alloc(tailLen);
  fs.readSync(fd, tail, 0, tailLen, size - tailLen);
  let eocd = -1;
  for (let i = tailLen - 22; i >= 0; i--) {
    if (u32(tail, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    const head = Buffer.alloc(4);
    const n = size >= 4 ? fs.readSync(fd, head, 0, 4, 0) : 0;
    if (n === 4 && u32(head, 0) === 0x04034b50) {
      throw new Error(`${path}: truncated zip (npz) archive: no end-of-central-directory record (${size} bytes)`);
    }
    throw new Error(`${path}: not a zip (npz) archive`);
  }
  let count = u16(tail, eocd + 10);
  let cdSize = u32(tail, eocd + 12);
  let cdOffset = u32(tail, eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(tail, loc) !== 0x07064b50) throw new Error(`${path}: zip64 archive without a zip64 locator`);
    const z64Offset = u64(tail, loc + 8);
    const z64 = Buffer.alloc(56);
    fs.readSync(fd, z64, 0, 56, z64Offset);
    if (u32(z64, 0) !== 0x06064b50) throw new Error(`${path}: bad zip64 end-of-central-directory record`);
    count = u64(z64, 32);
    cdSize = u64(z64, 40);
    cdOffset = u64(z64, 48);
  }
  if (cdOffset + cdSize > size) throw new Error(`${path}: truncated zip (central directory beyond end of file)`);
  const cd = Buffer.alloc(cdSize);
  fs.readSync(fd, cd, 0, cdSize, cdOffset);
  const entries: NpzEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || u32(cd, p) !== 0x02014b50) throw new Error(`${path}: corrupt zip central directory`);
    const method = u16(cd, p + 10);
    const crc = u32(cd, p + 16);
    let csize = u32(cd, p + 20);
    let usize = u32(cd, p + 24);
    const nameLen = u16(cd, p + 28);
    const extraLen = u16(cd, p + 30);
    const commentLen = u16(cd, p + 32);
    let offset = u32(cd, p + 42);
    const fileName = cd.toString("utf8", p + 46, p + 46 + nameLen);
    // zip64 extra field: the 64-bit values of the fields saturated at 0xffffffff, in this order.
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = u16(cd, x);
      const len = u16(cd, x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        if (usize === 0xffffffff) (usize = u64(cd, q)), (q += 8);
        if (csize === 0xffffffff) (csize = u64(cd, q)), (q += 8);
        if (offset === 0xffffffff) offset = u64(cd, q);
      }
      x += 4 + len;
    }
    const name = fileName.endsWith(".npy") ? fileName.slice(0, -4) : fileName;
    entries.push({ name, fileName, method, compressedSize: csize, uncompressedSize: usize, localHeaderOffset: offset, crc32: crc });
    p = xEnd + commentLen;
  }
  return entries;
}

/** One array to write: whole data, or a generator of consecutive raw-data chunks. */
export interface NpzArraySource {
  readonly name: string;
  readonly descr: NpyDescr;
  /** For "|O" arrays: the shape (usually []) and `data` holds the raw pickle bytes. */
  readonly shape: readonly number[];
  readonly data?: Uint8Array;
  readonly chunks?: () => Iterable<Uint8Array>;
}

export interface WriteNpzOptions {
  /** Deflate members (np.savez_compressed) or store them (np.savez). Default true. */
  readonly compress?: boolean;
}

/**
 * Writes an npz atomically (temporary name, then rename), creating its folder; a failed write (a
 * full disk, no permission) says which file and why, and leaves nothing behind.
 */
export function writeNpz(path: string, arrays: readonly NpzArraySource[], opts: WriteNpzOptions = {}): void {
  const compress = opts.compress ?? true;
  assertFileTarget(path);
  makeDir(dirname(path));
  const tmp = `${path}.tmp-${process.pid}`;
  let fd: number;
  try {
    fd = fs.openSync(tmp, "w");
  } catch (err) {
    throw explainWriteError(err, `cannot write ${path}`, dirname(path));
  }
  let failure: Error | undefined;
  try {
    const zip = new Zip((err, chunk) => {
      if (err) failure = err;
      else fs.writeSync(fd, chunk);
    });
    for (const a of arrays) {
      const file = compress ? new ZipDeflate(`${a.name}.npy`, { level: 6 }) : new ZipPassThrough(`${a.name}.npy`);
      zip.add(file);
      file.push(npyHeaderBytes(a.descr, a.shape), false);
      let written = 0;
      if (a.data) {
        file.push(a.data, false);
        written = a.data.length;
      } else if (a.chunks) {
        for (const c of a.chunks()) {
          file.push(c, false);
          written += c.length;
        }
      }
      const isz = itemSize(a.descr);
      if (isz > 0 && written !== shapeSize(a.shape) * isz) {
        throw new Error(`writeNpz ${path}: array '${a.name}' has ${written} bytes, shape (${a.shape.join(", ")}) needs ${shapeSize(a.shape) * isz}`);
      }
      file.push(new Uint8Array(0), true);
    }
    zip.end();
    if (failure) throw failure;
    fs.closeSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw (e as NodeJS.ErrnoException).code ? explainWriteError(e, `cannot write ${path}`, dirname(path)) : e;
  }
  fs.renameSync(tmp, path);
}

/** int64 little-endian bytes -> Int32Array (throws if a value does not fit). */
export function int64ToInt32(data: Uint8Array, where: string): Int32Array {
  const n = data.length / 8;
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const lo = dv.getUint32(8 * i, true);
    const hi = dv.getInt32(8 * i + 4, true);
    if ((hi !== 0 || lo > 0x7fffffff) && !(hi === -1 && lo >= 0x80000000)) throw new Error(`${where}: int64 value out of int32 range at ${i}`);
    out[i] = lo | 0;
  }
  return out;
}

/** float64 little-endian bytes -> Float64Array (copied, so alignment does not matter). */
export function bytesToFloat64(data: Uint8Array): Float64Array {
  const copy = new Uint8Array(data.length);
  copy.set(data);
  return new Float64Array(copy.buffer, 0, data.length / 8);
}

/** Int32Array -> int64 little-endian bytes. */
export function int32ToInt64Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    dv.setInt32(8 * i, values[i], true);
    dv.setInt32(8 * i + 4, values[i] < 0 ? -1 : 0, true);
  }
  return out;
}

/** Float64Array -> little-endian bytes (a view on a copy). */
export function float64Bytes(values: Float64Array): Uint8Array {
  return new Uint8Array(Float64Array.from(values).buffer);
}
