/**
 * A minimal PNG encoder for small images (the traversal explorer's frames): 8-bit grayscale for
 * one channel, 8-bit RGB for three, each row filtered with "Up" (PNG filter 2), deflated by zlib.
 * A 64x64 dSprites frame is a few hundred bytes; node-canvas writes RGBA, about 3x larger here.
 * Pixels are quantised as the image grids quantise them (images.ts): round(255 * clamp(v, 0, 1)).
 */
import { deflateSync } from "node:zlib";
import type { ImageBatch } from "../data/dataset";

const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(bytes: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function chunk(type: string, body: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, "ascii");
  Buffer.from(body.buffer, body.byteOffset, body.byteLength).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

/** Image `index` of a batch (values in [0, 1]) as PNG bytes. */
export function encodePng(batch: ImageBatch, index = 0): Buffer {
  const { height: h, width: w, channels: ch } = batch;
  if (ch !== 1 && ch !== 3) throw new Error(`encodePng: ${ch} channels (1 or 3 expected)`);
  if (!(Number.isInteger(index) && index >= 0 && index < batch.n)) throw new Error(`encodePng: image ${index} of ${batch.n}`);
  const rowBytes = w * ch;
  const base = index * h * rowBytes;
  const px = new Uint8Array(h * rowBytes); // [h, w * ch]
  for (let i = 0; i < px.length; i++) px[i] = Math.round(255 * Math.min(1, Math.max(0, batch.data[base + i])));
  const raw = new Uint8Array(h * (rowBytes + 1)); // each row: filter byte 2 (Up), then the differences
  for (let y = 0; y < h; y++) {
    raw[y * (rowBytes + 1)] = 2;
    for (let x = 0; x < rowBytes; x++) raw[y * (rowBytes + 1) + 1 + x] = (px[y * rowBytes + x] - (y > 0 ? px[(y - 1) * rowBytes + x] : 0)) & 0xff;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header[8] = 8; // bit depth
  header[9] = ch === 1 ? 0 : 2; // grayscale or RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

/** The same as a data: URI (for Vega-Lite image marks). */
export function pngDataUri(batch: ImageBatch, index = 0): string {
  return `data:image/png;base64,${encodePng(batch, index).toString("base64")}`;
}
