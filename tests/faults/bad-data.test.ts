/**
 * Fault class: bad data files (dSprites in the official npz layout). A damaged file is refused with
 * the file, the member or row and what to do, never read as data; the file itself is untouched.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { openDsprites } from "../../lib/data/dsprites";
import { loadDspritesFile } from "../../lib/data/dsprites-file";
import { exportDspritesNpz, selectDspritesIndices } from "../../lib/data/dsprites-export";
import { NpzReader, writeNpz, type NpyDescr } from "../../lib/data/npz";
import { crc32, crc32Portable } from "../../lib/data/crc32";
import { fingerprint, scratch } from "./helpers";

/** A 40-image subset file in the official layout; `stored`: members not deflated (bytes at known places). */
function smallFile(dir: string, name: string, stored = true): string {
  const file = path.join(dir, name);
  exportDspritesNpz(file, openDsprites({ source: "generated" }), selectDspritesIndices({ subset: 40, seed: 3 }), { compress: !stored });
  return file;
}

/** Rewrites `file` with latents_values changed by `edit` (every other member as it was). */
function rewriteValues(file: string, out: string, edit: (v: Float64Array) => void): void {
  const r = NpzReader.open(file);
  try {
    const arrays = r.names().map((name) => {
      const a = r.readArray(name);
      let data = a.data;
      if (name === "latents_values") {
        const v = new Float64Array(data.slice().buffer);
        edit(v);
        data = new Uint8Array(v.buffer);
      }
      return { name, descr: a.descr as NpyDescr, shape: a.shape, data };
    });
    writeNpz(out, arrays, { compress: false });
  } finally {
    r.close();
  }
}

test("a zip member whose CRC-32 does not match its bytes is refused, naming the file and member", () => {
  const dir = scratch("crc");
  try {
    const file = smallFile(dir, "small.npz");
    assert.equal(loadDspritesFile(file).n, 40, "the intact file loads");
    // Flip the lowest bit of one pixel inside imgs: still a valid 0/1 pixel, so only the CRC can tell.
    const r = NpzReader.open(file);
    const e = r.entry("imgs");
    r.close();
    const bytes = fs.readFileSync(file);
    const dataStart = e.localHeaderOffset + 30 + bytes.readUInt16LE(e.localHeaderOffset + 26) + bytes.readUInt16LE(e.localHeaderOffset + 28);
    bytes[dataStart + 128 + 20 * 4096 + 2000] ^= 1;
    fs.writeFileSync(file, bytes);
    const before = fingerprint(dir);
    assert.throws(() => loadDspritesFile(file), /small\.npz: member imgs\.npy: CRC-32 mismatch \(the zip directory says 0x[0-9a-f]{8}, the data gives 0x[0-9a-f]{8}\): the file is corrupt .*get or export the file again/);
    assert.deepEqual(fingerprint(dir), before, "the file is left as it was");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("CRC-32: the native and the portable implementation agree (incrementally too)", () => {
  const data = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 2654435761) >>> 24);
  assert.equal(crc32(Buffer.from("123456789")), 0xcbf43926);
  assert.equal(crc32Portable(Buffer.from("123456789")), 0xcbf43926);
  assert.equal(crc32Portable(data.subarray(3000), crc32Portable(data.subarray(0, 3000))), crc32(data));
});

test("NaN or infinite latents_values are refused (row, factor and the value expected)", () => {
  const dir = scratch("nan");
  try {
    const file = smallFile(dir, "small.npz");
    const nan = path.join(dir, "nan.npz");
    rewriteValues(file, nan, (v) => (v[7 * 6 + 4] = NaN)); // row 7, posX
    const inf = path.join(dir, "inf.npz");
    rewriteValues(file, inf, (v) => (v[0 * 6 + 2] = Infinity)); // row 0, scale
    const before = fingerprint(dir);
    assert.throws(() => loadDspritesFile(nan), /nan\.npz: latents_values row 7: posX is NaN, expected the finite value [0-9.]+ of class \d+; the file is damaged/);
    assert.throws(() => openDsprites({ source: "file", path: inf }), /inf\.npz: latents_values row 0: scale is Infinity/);
    assert.deepEqual(fingerprint(dir), before);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a cut file, an empty file, a folder and a non-zip file are refused naming the path", () => {
  const dir = scratch("cut");
  try {
    const file = smallFile(dir, "small.npz", false);
    const size = fs.statSync(file).size;
    fs.writeFileSync(path.join(dir, "cut.npz"), fs.readFileSync(file).subarray(0, Math.floor(size * 0.6)));
    fs.writeFileSync(path.join(dir, "empty.npz"), "");
    fs.writeFileSync(path.join(dir, "text.npz"), "not a zip at all\n");
    fs.mkdirSync(path.join(dir, "folder.npz"));
    const before = fingerprint(dir);
    assert.throws(() => loadDspritesFile(path.join(dir, "cut.npz")), /cut\.npz: truncated zip \(npz\) archive/);
    assert.throws(() => loadDspritesFile(path.join(dir, "empty.npz")), /empty\.npz: not a zip \(npz\) archive/);
    assert.throws(() => loadDspritesFile(path.join(dir, "text.npz")), /text\.npz: not a zip \(npz\) archive/);
    assert.throws(() => loadDspritesFile(path.join(dir, "folder.npz")), /folder\.npz is a folder; expected an \.npz file/);
    assert.throws(() => loadDspritesFile(path.join(dir, "missing.npz")), /missing\.npz: cannot open \(ENOENT/);
    assert.deepEqual(fingerprint(dir), before);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
