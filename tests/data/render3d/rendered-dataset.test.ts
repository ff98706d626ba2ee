/** A rendered dataset behind GroundTruthDataset: factor grid, index round trip, memo, disk cache, npz export. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { signedAngle } from "../../../lib/data/render3d/camera";
import { circleAzimuths, FactorGrid, linspace } from "../../../lib/data/render3d/factors";
import { withMirror } from "../../../lib/data/render3d/mesh";
import { box, ellipsoid } from "../../../lib/data/render3d/primitives";
import { renderMesh } from "../../../lib/data/render3d/raster";
import { RenderedDataset, type RenderedSpec } from "../../../lib/data/render3d/rendered-dataset";
import { readRenderCache, writeRenderCache } from "../../../lib/data/render3d/cache-file";
import { exportRenderedNpz, selectRenderedIndices } from "../../../lib/data/render3d/export";
import { completeRendered } from "../../../lib/data/render3d/open";
import { NpzReader, bytesToFloat64, int64ToInt32 } from "../../../lib/data/npz";
import { heldOutSplit, itemFactors, Minibatches } from "../../../lib/data/splits";
import { makeRng } from "../../../lib/rng";

const GRID = new FactorGrid("toy3d", [
  { name: "shape", values: [0, 1], labels: ["box", "ball"], unit: "category" },
  { name: "colour", values: [0, 1, 2], labels: ["red", "green", "blue"], unit: "category" },
  { name: "azimuth", values: linspace(-60, 60, 5), labels: linspace(-60, 60, 5).map(String), unit: "degrees" },
]);
const COLOURS = [[0.9, 0.2, 0.2], [0.2, 0.9, 0.2], [0.2, 0.2, 0.9]] as const;
let renders = 0;
const TOY: RenderedSpec = {
  name: "toy3d",
  grid: GRID,
  imageSize: 64,
  description: "a box or a ball",
  definition: { v: 1 },
  render(c, o, out, outOffset) {
    renders++;
    const col = COLOURS[c[o + 1]];
    const mesh = c[o] === 0 ? withMirror(box([0, -0.4, -0.4], [0.4, 0.4, 0.4], col, ["-x"])) : withMirror(ellipsoid({ radii: [0.5, 0.5, 0.5], rings: 8, segments: 12, half: true }, col));
    const cam = { target: [0, 0, 0] as const, distance: 3, focal: 70, azimuth: signedAngle(GRID.factors[2].values[c[o + 2]]), elevation: signedAngle(20) };
    renderMesh(mesh, cam, { size: 64, supersample: 2, background: [1, 1, 1], ambient: 0.3, lights: [{ direction: [0, 1, 1], intensity: 0.7 }] }, out, outOffset);
  },
};

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), "bvae-render3d-"));

test("factor grid: mixed radix with the last factor fastest; errors name the factor and its size", () => {
  assert.deepEqual(GRID.sizes, [2, 3, 5]);
  assert.deepEqual(GRID.bases, [15, 5, 1]);
  assert.equal(GRID.size, 30);
  for (let i = 0; i < GRID.size; i++) assert.equal(GRID.index(GRID.classes(i)), i);
  assert.deepEqual([...GRID.classes(1)], [0, 0, 1]);
  assert.deepEqual([...GRID.classes(5)], [0, 1, 0]);
  assert.deepEqual([...GRID.values([1, 2, 4])], [1, 2, 60]);
  assert.throws(() => GRID.index([0, 3, 0]), /toy3d: factor colour class 3 is out of range \[0, 3\)/);
  assert.throws(() => GRID.index([0, 0, 1.5]), /factor azimuth class 1.5 is out of range \[0, 5\)/);
  assert.throws(() => GRID.classes(30), /toy3d: index 30 is out of range \[0, 30\)/);
  assert.throws(() => GRID.factorIndex("size"), /no factor "size" \(factors: shape, colour, azimuth\)/);
  const az = circleAzimuths(31);
  assert.equal(az.values[1], 360 / 31);
  assert.equal(az.signed[30], -360 / 31);
  assert.equal(az.mirror(0), 0);
  assert.equal(az.mirror(1), 30);
  assert.equal(az.mirror(15), 16);
});

test("observe: float32 NHWC in [0, 1], the memo renders each image once, items are flat indices", () => {
  const ds = new RenderedDataset(TOY, { cache: "off" });
  assert.equal(ds.cacheState, "off");
  assert.deepEqual(ds.imageShape, [64, 64, 3]);
  const before = renders;
  const f = ds.sampleFactors(40, makeRng(1));
  const b = ds.observe(f);
  assert.equal(b.n, 40);
  assert.equal(b.data.length, 40 * 64 * 64 * 3);
  assert.ok(b.data.every((v) => v >= 0 && v <= 1));
  assert.ok(renders - before <= 30, "at most one render per distinct image");
  const again = renders;
  ds.observe(f);
  assert.equal(renders, again, "a second observe renders nothing");
  const bytes = ds.observeBytes(f);
  for (let k = 0; k < bytes.length; k += 997) assert.equal(b.data[k], Math.fround(bytes[k] / 255));
  // The engine's item mapping (splits.ts) agrees with the dataset's own
  const items = Uint32Array.from([0, 7, 29]);
  assert.deepEqual(itemFactors(ds, items), ds.factorsOfItems(items));
  const mb = new Minibatches(ds, heldOutSplit(ds.size, { heldOut: 5 }).train, 8, 0).next();
  assert.equal(mb.images.data.length, 8 * 64 * 64 * 3);
  assert.throws(() => ds.observe(Int32Array.of(0, 0)), /toy3d: factors length 2 is not a multiple of 3/);
  assert.throws(() => ds.observe(Int32Array.of(2, 0, 0)), /factor shape class 2 is out of range \[0, 2\)/);
});

test("disk cache: written atomically, loaded when valid, re-rendered when corrupt, truncated or stale", () => {
  const dir = tmp();
  const first = new RenderedDataset(TOY, { cacheDir: dir });
  assert.equal(first.cacheState, "missing");
  const saved = first.saveCache();
  assert.equal(first.cacheState, "written");
  assert.ok(fs.readdirSync(dir).every((f) => !f.endsWith(".tmp")), "no temporary file left");
  assert.equal(saved.bytes, fs.statSync(saved.file).size);
  const all = first.observeBytes(first.factorsOfItems(selectRenderedIndices(first.size)));

  const loaded = new RenderedDataset(TOY, { cacheDir: dir });
  assert.equal(loaded.cacheState, "loaded", loaded.cacheReason);
  assert.equal(loaded.rendered, loaded.size);
  assert.equal(loaded.source, first.source, "the source names the pixels, not where they came from (checkpoints compare it)");
  assert.equal(loaded.source, `rendered (fingerprint ${first.fingerprint})`);
  const r0 = renders;
  assert.deepEqual(loaded.observeBytes(loaded.factorsOfItems(selectRenderedIndices(loaded.size))), all);
  assert.equal(renders, r0, "served from the cache");

  // One flipped pixel byte: the sha256 catches it, and the images are rendered again (correctly).
  const good = fs.readFileSync(saved.file);
  const bad = Buffer.from(good);
  bad[bad.length - 100] ^= 0xff;
  fs.writeFileSync(saved.file, bad);
  const corrupt = new RenderedDataset(TOY, { cacheDir: dir });
  assert.equal(corrupt.cacheState, "corrupt");
  assert.match(corrupt.cacheReason, /sha256/);
  assert.deepEqual(corrupt.observeBytes(corrupt.factorsOfItems(selectRenderedIndices(corrupt.size))), all);

  fs.writeFileSync(saved.file, good.subarray(0, good.length - 5000));
  const truncated = new RenderedDataset(TOY, { cacheDir: dir });
  assert.equal(truncated.cacheState, "corrupt");
  assert.match(truncated.cacheReason, /truncated/);

  // A consistent file (right hash) whose images no longer match the renderer: the spot check.
  const header = { dataset: "toy3d", fingerprint: first.fingerprint, count: 30, height: 64, width: 64, channels: 3 };
  const old = new Uint8Array(all);
  old[5] ^= 1; // image 0 is one of the spot-checked images
  writeRenderCache(saved.file, header, old);
  assert.equal(readRenderCache(saved.file, header).status, "ok");
  const stale = new RenderedDataset(TOY, { cacheDir: dir });
  assert.equal(stale.cacheState, "stale");
  assert.match(stale.cacheReason, /image 0 differs from a fresh render/);
  assert.equal(readRenderCache(saved.file, { ...header, count: 31 }).status, "stale");
  fs.rmSync(dir, { recursive: true, force: true });
});

test("npz export in the official style reads back: imgs, latents_classes, latents_values, metadata_json", () => {
  const dir = tmp();
  const ds = new RenderedDataset(TOY, { cache: "off" });
  const indices = selectRenderedIndices(ds.size, { subset: 12, seed: 3 });
  assert.equal(indices.length, 12);
  assert.ok(indices.every((v, i) => i === 0 || v > indices[i - 1]), "ascending");
  const file = path.join(dir, "toy3d.npz");
  assert.equal(exportRenderedNpz(file, ds, indices), 12);
  const r = NpzReader.open(file);
  try {
    assert.deepEqual(r.names().sort(), ["imgs", "latents_classes", "latents_values", "metadata_json"]);
    const imgs = r.readArray("imgs");
    assert.deepEqual([imgs.descr, ...imgs.shape], ["|u1", 12, 64, 64, 3]);
    const classes = int64ToInt32(r.readArray("latents_classes").data, "latents_classes");
    assert.deepEqual(classes, ds.factorsOfItems(indices));
    assert.deepEqual(bytesToFloat64(r.readArray("latents_values").data), ds.factorValues(classes));
    assert.deepEqual(imgs.data, ds.observeBytes(classes));
    const meta = JSON.parse(Buffer.from(r.readArray("metadata_json").data).toString("utf8"));
    assert.deepEqual(meta.latents_names, ["shape", "colour", "azimuth"]);
    assert.deepEqual(meta.latents_sizes, [2, 3, 5]);
    assert.equal(meta.fingerprint, ds.fingerprint);
  } finally {
    r.close();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test("completeRendered (what training opens): renders the missing images once and saves the cache; later opens read it", () => {
  const dir = tmp();
  const logs: string[] = [];
  const ds = completeRendered(new RenderedDataset(TOY, { cacheDir: dir }), (l) => logs.push(l));
  assert.equal(ds.rendered, ds.size);
  assert.equal(ds.cacheState, "written");
  assert.match(logs.join("\n"), /\[toy3d\] rendering all 30 images once \(no disk cache yet\)/);
  assert.match(logs.join("\n"), /rendered 30 images in .* saved to .*toy3d-64px-/);
  const again: string[] = [];
  const loaded = completeRendered(new RenderedDataset(TOY, { cacheDir: dir }), (l) => again.push(l));
  assert.equal(loaded.cacheState, "loaded");
  assert.deepEqual(again, [], "nothing to render");
  // an unwritable cache folder (a file stands where the folder should be): reported, kept in memory
  const blocked = path.join(dir, "blocked");
  fs.writeFileSync(blocked, "");
  const warn: string[] = [];
  const mem = completeRendered(new RenderedDataset(TOY, { cacheDir: blocked }), (l) => warn.push(l));
  assert.equal(mem.rendered, mem.size);
  assert.match(warn.join("\n"), /the disk cache could not be written .* kept in memory/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("numpy.load reads the export: dtypes, shapes, the index rule and metadata_json (skipped without /usr/bin/python3 + numpy)", (t) => {
  if (spawnSync("/usr/bin/python3", ["-c", "import numpy"]).status !== 0) {
    t.skip("no numpy");
    return;
  }
  const dir = tmp();
  const ds = new RenderedDataset(TOY, { cache: "off" });
  const file = path.join(dir, "toy3d.npz");
  exportRenderedNpz(file, ds);
  const script = `
import numpy as np, json
f = np.load(${JSON.stringify(file)})
m = json.loads(bytes(f["metadata_json"]))
bases = np.cumprod([1] + m["latents_sizes"][::-1])[:-1][::-1]
idx = f["latents_classes"] @ bases
print(json.dumps({"imgs": [str(f["imgs"].dtype), list(f["imgs"].shape)], "classes": str(f["latents_classes"].dtype), "values": str(f["latents_values"].dtype),
  "index_is_row": bool((idx == np.arange(len(idx))).all()), "sum": int(f["imgs"].astype(np.int64).sum()), "names": m["latents_names"]}))
`;
  const r = spawnSync("/usr/bin/python3", ["-c", script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout);
  const all = ds.observeBytes(ds.factorsOfItems(selectRenderedIndices(ds.size)));
  assert.deepEqual(got, { imgs: ["uint8", [30, 64, 64, 3]], classes: "int64", values: "float64", index_is_row: true, sum: all.reduce((a, b) => a + b, 0), names: ["shape", "colour", "azimuth"] });
  fs.rmSync(dir, { recursive: true, force: true });
});
