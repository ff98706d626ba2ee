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
import { DspritesDataset } from "../../lib/data/dsprites";
import { locateRun, runName, runScores, trainOrLoad, type Run } from "../../lib/runs";
import { resolveDataSource } from "../../lib/runs/data-source";
import { makeConfig, validateConfig, type TrainConfig } from "../../lib/train/config";
import * as tf from "@tensorflow/tfjs";
import { fingerprint, ROOT, scratch } from "./helpers";

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

/** A 4-step dSprites run of the tiny MLP (seconds). */
const DSPRITES_TINY: TrainConfig = makeConfig({ preset: "dsprites-tiny", profile: "smoke", dataset: "dsprites", architecture: "tiny", numLatents: 3, batchSize: 8, heldOut: 8, steps: 4, historyEvery: 2, seed: 5 });

test("the shipped generator runs keep their keys: the generator adds nothing to a run's identity", (t) => {
  const runs = path.join(ROOT, "runs");
  const nowhere = path.join(ROOT, "no-such-folder", "dsprites.npz");
  const folders = [
    ...(fs.existsSync(runs) ? fs.readdirSync(runs).map((n) => path.join(runs, n)) : []),
    ...(fs.existsSync(path.join(runs, ".partial")) ? fs.readdirSync(path.join(runs, ".partial")).map((n) => path.join(runs, ".partial", n)) : []),
  ].filter((d) => fs.existsSync(path.join(d, "config.json")));
  if (folders.length === 0) return t.skip("no shipped run folder in runs/");
  for (const d of folders) {
    const config = JSON.parse(fs.readFileSync(path.join(d, "config.json"), "utf8")) as TrainConfig;
    assert.equal(config.dataSource, undefined, `${d} was trained on the generator`);
    assert.equal(runName(resolveDataSource(config, nowhere)), path.basename(d), `${d}: its key is unchanged`);
  }
});

test("an official-layout file is part of a run's identity: its own key, never the generator's run, and data opened from elsewhere refused", async () => {
  await tf.setBackend("cpu");
  const dir = scratch("source");
  const runs = scratch("source-runs");
  try {
    const fileA = smallFile(dir, "a.npz");
    exportDspritesNpz(path.join(dir, "b.npz"), openDsprites({ source: "generated" }), selectDspritesIndices({ subset: 40, seed: 4 }), { compress: false });
    const onA = resolveDataSource(DSPRITES_TINY, fileA);
    const onB = resolveDataSource(DSPRITES_TINY, path.join(dir, "b.npz"));
    assert.match(onA.dataSource ?? "", /^dsprites-file:[0-9a-f]{16}$/);
    assert.deepEqual(new Set([runName(DSPRITES_TINY), runName(onA), runName(onB)]).size, 3, "generator, file a and file b: three runs");
    assert.equal(resolveDataSource(onA, path.join(dir, "b.npz")), onA, "a config that names its source keeps it");
    assert.throws(() => validateConfig({ ...DSPRITES_TINY, dataSource: "file:abc" }), /TrainConfig\.dataSource: expected absent \(the generator\) or "dsprites-file:<16 hex digits>" for dsprites, got "file:abc"/);

    // Trained on file a; the generator's config does not find it, file a's does.
    const fromA = new DspritesDataset(loadDspritesFile(fileA));
    (await trainOrLoad(onA, { runsDir: runs, quiet: true, dataset: fromA })).model.dispose();
    assert.equal(locateRun(onA, { runsDir: runs })?.name, runName(onA));
    assert.equal(locateRun(DSPRITES_TINY, { runsDir: runs }), undefined, "the generator's run is not the file's");
    const before = fingerprint(runs);
    // Loading or training a run on other data than its own is refused, naming both.
    await assert.rejects(
      trainOrLoad(onA, { runsDir: runs, quiet: true, dataset: openDsprites({ source: "generated" }) }),
      new RegExp(`run ${runName(onA)} was trained on dsprites from dsprites-file:[0-9a-f]{16}, but the data opened now comes from the generator: its results would not be of this data\\. Put that file back in data/ to use it\\.`),
    );
    await assert.rejects(
      trainOrLoad(DSPRITES_TINY, { runsDir: runs, quiet: true, dataset: fromA }),
      new RegExp(`run ${runName(DSPRITES_TINY)} was trained on dsprites from the generator, but the data opened now comes from dsprites-file:[0-9a-f]{16} \\(.*a\\.npz\\)`),
    );
    // Scores too: a run's scores are computed on its own data only.
    const fake = { name: "g", config: DSPRITES_TINY } as unknown as Run;
    assert.throws(() => runScores(fake, fromA, { numTrain: 10, numEval: 5, batchSize: 4, seed: 0 }), /run g was trained on dsprites from the generator, but the data opened now comes from dsprites-file:/);
    assert.deepEqual(fingerprint(runs), before, "nothing written by the refused calls");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(runs, { recursive: true, force: true });
  }
});
