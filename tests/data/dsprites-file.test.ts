import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { openDsprites } from "../../lib/data/dsprites";
import { DSPRITES_OFFICIAL_FILE, loadDspritesFile } from "../../lib/data/dsprites-file";
import { exportDspritesNpz, selectDspritesIndices } from "../../lib/data/dsprites-export";
import { dspritesClasses, dspritesValues } from "../../lib/data/dsprites-spec";
import { float64Bytes, int32ToInt64Bytes, writeNpz, type NpzArraySource } from "../../lib/data/npz";
import { makeRng } from "../../lib/rng";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dsprites-file-test-"));
process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
const generated = openDsprites({ source: "generated" });

/** Python 2 pickle protocol 2 of {'version': 1}, raw, as the official metadata member holds a pickle. */
const PY2_PICKLE = Uint8Array.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x55, 0x07, ...Buffer.from("version"), 0x71, 0x01, 0x4b, 0x01, 0x73, 0x2e]);

/** The official layout for the given indices; `patch` edits one member to make a broken file. */
function fixture(name: string, indices: number[], patch: (a: NpzArraySource[]) => NpzArraySource[] = (a) => a): string {
  const n = indices.length;
  const classes = new Int32Array(n * 6);
  const values = new Float64Array(n * 6);
  indices.forEach((idx, i) => {
    dspritesClasses(idx, classes, i * 6);
    values.set(dspritesValues(classes, i * 6), i * 6);
  });
  const file = path.join(dir, name);
  writeNpz(
    file,
    patch([
      { name: "metadata", descr: "|O", shape: [], data: PY2_PICKLE },
      { name: "imgs", descr: "|u1", shape: [n, 64, 64], data: generated.observeBinary(classes) },
      { name: "latents_classes", descr: "<i8", shape: [n, 6], data: int32ToInt64Bytes(classes) },
      { name: "latents_values", descr: "<f8", shape: [n, 6], data: float64Bytes(values) },
    ]),
  );
  return file;
}

const SUBSET = [5, 0, 737279, 245760 + 40960 * 3 + 1024 * 17 + 32 * 9 + 4, 123456, 600000, 31, 32];

test("a subset file in the official layout loads; its images equal the generator's", () => {
  const file = fixture("subset.npz", SUBSET);
  const data = loadDspritesFile(file);
  assert.equal(data.n, SUBSET.length);
  assert.equal(data.complete, false);
  assert.equal(data.packed.length, SUBSET.length * 512);
  const ds = openDsprites({ source: "file", path: file });
  assert.equal(ds.kind, "file");
  assert.equal(ds.source, file);
  assert.equal(ds.size, SUBSET.length);
  const f = ds.factorsOfItems([0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(ds.observe(f).data, generated.observe(f).data);
  // sampling draws only images the file holds; observing anything else is a clear error
  const s = ds.sampleFactors(40, makeRng(1));
  assert.equal(ds.observe(s).n, 40);
  assert.throws(() => ds.observe(dspritesClasses(1)), /are not in the subset file/);
});

test("our export is a valid official-layout file (subset and factor filter)", () => {
  const file = path.join(dir, "export.npz");
  const idx = selectDspritesIndices({ subset: 300, filter: (c) => c[1] === 2, seed: 4 });
  assert.equal(idx.length, 300);
  for (const i of idx) assert.equal(dspritesClasses(i)[1], 2);
  exportDspritesNpz(file, generated, idx);
  const ds = openDsprites({ source: "file", path: file });
  const f = ds.factorsOfItems(Array.from({ length: 300 }, (_, i) => i));
  assert.deepEqual(ds.observeBinary(f), generated.observeBinary(f));
  assert.deepEqual(selectDspritesIndices({ subset: 300, filter: (c) => c[1] === 2, seed: 4 }), idx, "seeded");
  assert.throws(() => selectDspritesIndices({ filter: () => false }), /selection is empty/);

  if (spawnSync("/usr/bin/python3", ["-c", "import numpy"]).status === 0) {
    const check = `
import numpy as np
d = np.load(${JSON.stringify(file)})
imgs, c, v = d['imgs'], d['latents_classes'], d['latents_values']
assert imgs.shape == (300, 64, 64) and imgs.dtype == np.uint8 and set(np.unique(imgs)) == {0, 1}
assert c.shape == (300, 6) and c.dtype == np.int64 and v.dtype == np.float64
m = np.load(${JSON.stringify(file)}, allow_pickle=True)['metadata'][()]
bases = np.concatenate((np.array(m['latents_sizes'])[::-1].cumprod()[::-1][1:], np.array([1])))
idx = c @ bases
assert (np.diff(idx) > 0).all() and (c[:, 1] == 2).all() and (v[:, 1] == 3).all()
assert m['latents_names'] == ('color', 'shape', 'scale', 'orientation', 'posX', 'posY')
print('ok')
`;
    const r = spawnSync("/usr/bin/python3", ["-c", check], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  }
});

test("the official file name requires the official shapes", () => {
  const sub = path.join(dir, "official");
  fs.mkdirSync(sub);
  const file = fixture(path.join("official", DSPRITES_OFFICIAL_FILE), [0, 1, 2]);
  assert.throws(() => loadDspritesFile(file), /latents_classes has shape \(3, 6\), expected \(737280, 6\)/);
  // the same content under another name is accepted as a subset
  const other = path.join(dir, "other.npz");
  fs.copyFileSync(file, other);
  assert.equal(loadDspritesFile(other).n, 3);
  assert.throws(() => loadDspritesFile(other, { requireComplete: true }), /expected \(737280, 6\)/);
  // auto source: the file is used when present, else the generator
  assert.equal(openDsprites({ path: path.join(dir, "absent.npz") }).source, "generated");
  assert.equal(openDsprites({ path: other }).source, other);
  assert.throws(() => openDsprites({ source: "file", path: path.join(dir, "absent.npz") }), /absent.npz not found/);
});

test("clear errors for every broken file", () => {
  const cases: [string, (a: NpzArraySource[]) => NpzArraySource[], RegExp][] = [
    ["missing.npz", (a) => a.filter((x) => x.name !== "imgs"), /no array 'imgs' \(the file has: /],
    ["dtype.npz", (a) => a.map((x) => (x.name === "latents_classes" ? { ...x, descr: "<f8" } : x)), /latents_classes has dtype '<f8', expected '<i8'/],
    ["imgdtype.npz", (a) => a.map((x) => (x.name === "imgs" ? { ...x, descr: "<f4", shape: [1, 64, 64], data: new Uint8Array(64 * 64 * 4) } : x)), /imgs has dtype '<f4', expected '\|u1'/],
    ["shape.npz", (a) => a.map((x) => (x.name === "imgs" ? { ...x, shape: [8, 32, 32] } : x)), /imgs has shape \(8, 32, 32\), expected \(2, 64, 64\)/],
    ["rows.npz", (a) => a.map((x) => (x.name === "latents_values" ? { ...x, shape: [1, 6], data: x.data!.subarray(0, 48) } : x)), /latents_values has shape \(1, 6\), expected \(2, 6\)/],
    ["values.npz", (a) => a.map((x) => (x.name === "latents_values" ? { ...x, data: float64Bytes(new Float64Array(12).fill(9)) } : x)), /latents_values row 0: color = 9 does not match class 0/],
    ["pixels.npz", (a) => a.map((x) => (x.name === "imgs" ? { ...x, data: new Uint8Array(2 * 4096).fill(255) } : x)), /imgs must hold 0\/1 pixels; image 0/],
    ["pixel2.npz", (a) => a.map((x) => (x.name === "imgs" ? { ...x, data: new Uint8Array(2 * 4096).fill(2, 4096 + 7, 4096 + 8) } : x)), /imgs must hold 0\/1 pixels; image 1 /],
    ["classes.npz", (a) => a.map((x) => (x.name === "latents_classes" ? { ...x, data: int32ToInt64Bytes([0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]) } : x)), /latents_classes row 0: shape class 7 out of range/],
  ];
  for (const [name, patch, re] of cases) {
    const file = fixture(name, [0, 1], patch);
    assert.throws(() => loadDspritesFile(file), re, name);
  }
  const dup = fixture("dup.npz", [4, 4]);
  assert.throws(() => loadDspritesFile(dup), /rows 0 and 1 have the same factor classes/);
  const good = fixture("good.npz", [0, 1]);
  const bytes = fs.readFileSync(good);
  const cut = path.join(dir, "cut.npz");
  fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 100));
  assert.throws(() => loadDspritesFile(cut), /cut.npz: truncated zip/);
  const notZip = path.join(dir, "text.npz");
  fs.writeFileSync(notZip, "imgs latents_classes latents_values\n".repeat(20));
  assert.throws(() => loadDspritesFile(notZip), /text.npz: not a zip/);
});
