/**
 * CRC-32 (the zip and PNG checksum: polynomial 0xEDB88320, reflected), incrementally: zip members
 * and PNG chunks are checked against the CRC their file records. Node's zlib.crc32 (native, Node
 * >= 20.15) when present, else a table-driven fallback.
 */
import * as zlib from "node:zlib";

const native = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

let table: Uint32Array | undefined;
function crcTable(): Uint32Array {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  return table;
}

/** The CRC-32 of `data` continued from `previous` (0 to start), as an unsigned 32-bit integer. */
export function crc32(data: Uint8Array, previous = 0): number {
  return native ? native(data, previous) >>> 0 : crc32Portable(data, previous);
}

/** The same in plain JavaScript (where zlib.crc32 is missing; tested against it). */
export function crc32Portable(data: Uint8Array, previous = 0): number {
  const t = crcTable();
  let c = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
