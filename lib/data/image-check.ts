/**
 * Structural checks of JPEG and PNG files before they are decoded. The decoders are lenient: libjpeg
 * fills the missing part of a truncated JPEG with grey and only warns, and cairo reports a truncated
 * PNG as "out of memory". Training would then learn from grey half-images, or fail with a message
 * that names the wrong cause. Both formats say where they end, so a cut file is recognised exactly:
 *
 * - PNG: the signature, then chunks (length, type, data, CRC-32 of type and data) up to IEND. Every
 *   chunk's CRC is checked (a cheap native checksum; it also catches flipped bytes).
 * - JPEG: SOI, then marker segments (each with its length) up to the first scan; the entropy-coded
 *   data runs until a marker (0xFF followed by neither 0x00 nor a restart marker); after the last
 *   scan comes EOI (0xFFD9). A thumbnail inside an EXIF segment is skipped with its segment, so its
 *   own EOI is never mistaken for the image's.
 */
import { crc32 } from "./crc32";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** "png", "jpeg", or undefined for anything else. */
export function imageFormat(bytes: Uint8Array): "png" | "jpeg" | undefined {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return "png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  return undefined;
}

/** Throws an error naming `label`, what is wrong and what to do, unless `bytes` is a whole JPEG or PNG. */
export function checkImageBytes(bytes: Uint8Array, label: string): void {
  const format = imageFormat(bytes);
  const fix = "replace the file with a whole copy, or remove it from the dataset";
  if (!format) {
    const what = bytes.length === 0 ? "the file is empty" : `its first bytes are neither (${bytes.length} bytes)`;
    throw new Error(`image ${label} could not be decoded as JPEG or PNG: ${what}; ${fix}`);
  }
  const problem = format === "png" ? pngProblem(bytes) : jpegProblem(bytes);
  if (problem) throw new Error(`image ${label}: ${problem} (${bytes.length} bytes); ${fix}`);
}

function be32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

function pngProblem(b: Uint8Array): string | undefined {
  let p = 8;
  while (true) {
    if (p + 8 > b.length) return `truncated PNG: the file ends at byte ${b.length} before the IEND chunk`;
    const length = be32(b, p);
    const type = String.fromCharCode(b[p + 4], b[p + 5], b[p + 6], b[p + 7]);
    if (!/^[A-Za-z]{4}$/.test(type)) return `corrupt PNG: no chunk at byte ${p}`;
    const end = p + 12 + length;
    if (end > b.length) return `truncated PNG: the file ends inside chunk ${type} (byte ${b.length}, the chunk needs ${end})`;
    const stored = be32(b, end - 4);
    if (crc32(b.subarray(p + 4, end - 4)) !== stored) return `corrupt PNG: chunk ${type} at byte ${p} fails its CRC-32`;
    if (type === "IEND") return undefined;
    p = end;
  }
}

function jpegProblem(b: Uint8Array): string | undefined {
  let p = 2;
  while (true) {
    if (p + 1 >= b.length) return `truncated JPEG: the file ends at byte ${b.length} without the end-of-image marker`;
    if (b[p] !== 0xff) return `corrupt JPEG: expected a marker at byte ${p}`;
    while (p + 1 < b.length && b[p + 1] === 0xff) p++; // fill bytes before a marker
    if (p + 1 >= b.length) return `truncated JPEG: the file ends at byte ${b.length} without the end-of-image marker`;
    const marker = b[p + 1];
    if (marker === 0xd9) return undefined; // EOI
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      p += 2; // markers without a length
      continue;
    }
    if (p + 4 > b.length) return `truncated JPEG: the file ends at byte ${b.length} inside a marker`;
    const end = p + 2 + ((b[p + 2] << 8) | b[p + 3]);
    if (end > b.length) return `truncated JPEG: the file ends at byte ${b.length} inside a segment that needs ${end}`;
    p = end;
    if (marker !== 0xda) continue; // not a scan: the next marker follows the segment
    // Entropy-coded data: 0xFF is followed by 0x00 (a stuffed byte) or a restart marker inside it.
    while (true) {
      if (p + 1 >= b.length) return `truncated JPEG: the file ends at byte ${b.length} inside the compressed image data (no end-of-image marker)`;
      if (b[p] === 0xff) {
        const next = b[p + 1];
        if (next !== 0x00 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) break;
      }
      p++;
    }
  }
}
