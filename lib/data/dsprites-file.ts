/**
 * Loader for the official dSprites file `dsprites_ndarray_co1sh3sc6or40x32y32_64x64.npz`.
 *
 * Reads `imgs` (N x 64 x 64 uint8 0/1), `latents_classes` (N x 6 int64) and `latents_values`
 * (N x 6 float64); `metadata` is a pickle and is skipped. Images are streamed out of the zip and
 * bit-packed (1 bit per pixel, 512 bytes per image: 377 MB for the full set instead of 3 GB).
 *
 * Full file vs subset: a file named like the official one must have the official shapes
 * (N = 737,280) and rows in the official order. Any other file name may hold a subset (any N >= 1
 * rows of valid, distinct factor classes in any order, e.g. written by `bvae data dsprites
 * --export --subset N`); such a dataset serves only the images it contains.
 */
import * as path from "node:path";
import {
  DSPRITES_FACTOR_NAMES,
  DSPRITES_FACTOR_SIZES,
  DSPRITES_FACTOR_VALUES,
  DSPRITES_IMAGE_SIZE,
  DSPRITES_NUM_FACTORS,
  DSPRITES_SIZE,
  dspritesIndex,
} from "./dsprites-spec";
import { NpzReader, bytesToFloat64, int64ToInt32, type NpyHeader } from "./npz";

export const DSPRITES_OFFICIAL_FILE = "dsprites_ndarray_co1sh3sc6or40x32y32_64x64.npz";
/** Bytes per bit-packed image (64 * 64 / 8). */
export const PACKED_IMAGE_BYTES = (DSPRITES_IMAGE_SIZE * DSPRITES_IMAGE_SIZE) / 8;

export interface DspritesFileData {
  readonly path: string;
  /** Number of images in the file. */
  readonly n: number;
  /** True when the file is the complete set in the official order (row == official index). */
  readonly complete: boolean;
  /** Bit-packed images, PACKED_IMAGE_BYTES per row; pixel p is bit (p & 7) of byte p >> 3. */
  readonly packed: Uint8Array;
  /** latents_classes, [n * 6]. */
  readonly classes: Int32Array;
  /** For a subset: official index -> row (-1 when absent). Undefined for a complete file. */
  readonly rowOfIndex?: Int32Array;
}

export interface LoadDspritesFileOptions {
  /** Require the official shapes and order even if the file name differs. Default: only for the official name. */
  readonly requireComplete?: boolean;
}

function checkShape(where: string, h: Pick<NpyHeader, "descr" | "shape" | "fortranOrder">, descr: string, tail: readonly number[], n: number | undefined): number {
  if (h.descr !== descr) throw new Error(`${where} has dtype '${h.descr}', expected '${descr}'`);
  if (h.fortranOrder) throw new Error(`${where} is stored in Fortran order, expected C order`);
  const ok = h.shape.length === tail.length + 1 && tail.every((d, i) => h.shape[i + 1] === d) && h.shape[0] >= 1;
  const want = `(${n ?? "N"}, ${tail.join(", ")})`;
  if (!ok || (n !== undefined && h.shape[0] !== n)) throw new Error(`${where} has shape (${h.shape.join(", ")}), expected ${want}`);
  return h.shape[0];
}

export function loadDspritesFile(file: string, opts: LoadDspritesFileOptions = {}): DspritesFileData {
  const requireComplete = opts.requireComplete ?? path.basename(file) === DSPRITES_OFFICIAL_FILE;
  const want = requireComplete ? DSPRITES_SIZE : undefined;
  const F = DSPRITES_NUM_FACTORS;
  const reader = NpzReader.open(file);
  try {
    for (const key of ["imgs", "latents_classes", "latents_values"]) reader.entry(key); // clear error if missing

    const classesArr = reader.readArray("latents_classes");
    const n = checkShape(`${file}: latents_classes`, classesArr, "<i8", [F], want);
    const classes = int64ToInt32(classesArr.data, `${file}: latents_classes`);
    const valuesArr = reader.readArray("latents_values");
    checkShape(`${file}: latents_values`, valuesArr, "<f8", [F], n);
    const values = bytesToFloat64(valuesArr.data);

    // Classes valid, values match the official tables, rows distinct (and in order if complete).
    let complete = n === DSPRITES_SIZE;
    const rowOfIndex = new Int32Array(DSPRITES_SIZE).fill(-1);
    for (let r = 0; r < n; r++) {
      for (let f = 0; f < F; f++) {
        const c = classes[r * F + f];
        if (c < 0 || c >= DSPRITES_FACTOR_SIZES[f]) {
          throw new Error(`${file}: latents_classes row ${r}: ${DSPRITES_FACTOR_NAMES[f]} class ${c} out of range [0, ${DSPRITES_FACTOR_SIZES[f]})`);
        }
        const v = values[r * F + f];
        if (!Number.isFinite(v)) {
          throw new Error(`${file}: latents_values row ${r}: ${DSPRITES_FACTOR_NAMES[f]} is ${v}, expected the finite value ${DSPRITES_FACTOR_VALUES[f][c]} of class ${c}; the file is damaged: get or export it again`);
        }
        if (Math.abs(v - DSPRITES_FACTOR_VALUES[f][c]) > 1e-6) {
          throw new Error(`${file}: latents_values row ${r}: ${DSPRITES_FACTOR_NAMES[f]} = ${v} does not match class ${c} (${DSPRITES_FACTOR_VALUES[f][c]})`);
        }
      }
      const idx = dspritesIndex(classes, r * F);
      if (rowOfIndex[idx] >= 0) throw new Error(`${file}: rows ${rowOfIndex[idx]} and ${r} have the same factor classes`);
      rowOfIndex[idx] = r;
      if (idx !== r) complete = false;
    }
    if (requireComplete && !complete) throw new Error(`${file}: rows are not in the official order (row i must have index i)`);

    const packed = new Uint8Array(n * PACKED_IMAGE_BYTES);
    // Pixel p of the stream goes to bit (p & 7) of byte p >> 3. Track the byte index and bit
    // separately: p itself reaches 3e9, beyond the int32 range of JavaScript's bit operators.
    let byteIndex = 0;
    let bit = 0;
    let bad = -1;
    reader.streamArray(
      "imgs",
      (h) => checkShape(`${file}: imgs`, h, "|u1", [DSPRITES_IMAGE_SIZE, DSPRITES_IMAGE_SIZE], n),
      (chunk) => {
        let i = 0;
        const len = chunk.length;
        while (i < len && bit !== 0) {
          const v = chunk[i++];
          if (v !== 0) {
            if (v !== 1 && bad < 0) bad = byteIndex;
            packed[byteIndex] |= 1 << bit;
          }
          if (++bit === 8) (bit = 0), byteIndex++;
        }
        for (; i + 8 <= len; i += 8) {
          const c0 = chunk[i], c1 = chunk[i + 1], c2 = chunk[i + 2], c3 = chunk[i + 3];
          const c4 = chunk[i + 4], c5 = chunk[i + 5], c6 = chunk[i + 6], c7 = chunk[i + 7];
          const any = c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7;
          if (any !== 0) {
            if (any > 1 && bad < 0) bad = byteIndex;
            packed[byteIndex] = (c0 | (c1 << 1) | (c2 << 2) | (c3 << 3) | (c4 << 4) | (c5 << 5) | (c6 << 6) | (c7 << 7)) & 0xff;
          }
          byteIndex++;
        }
        while (i < len) {
          const v = chunk[i++];
          if (v !== 0) {
            if (v !== 1 && bad < 0) bad = byteIndex;
            packed[byteIndex] |= 1 << bit;
          }
          if (++bit === 8) (bit = 0), byteIndex++;
        }
      },
    );
    if (bad >= 0) throw new Error(`${file}: imgs must hold 0/1 pixels; image ${Math.floor(bad / PACKED_IMAGE_BYTES)} has another value`);
    return { path: file, n, complete, packed, classes, rowOfIndex: complete ? undefined : rowOfIndex };
  } finally {
    reader.close();
  }
}

/** Unpacks image `row` into out[offset .. offset + 4096) as 0/1. */
export function unpackImage(packed: Uint8Array, row: number, out: Float32Array | Uint8Array, offset: number): void {
  const base = row * PACKED_IMAGE_BYTES;
  for (let b = 0; b < PACKED_IMAGE_BYTES; b++) {
    const byte = packed[base + b];
    if (byte === 0) continue;
    const o = offset + 8 * b;
    for (let k = 0; k < 8; k++) if (byte & (1 << k)) out[o + k] = 1;
  }
}
