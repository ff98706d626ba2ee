import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import {
  NpzReader,
  bytesToFloat64,
  float64Bytes,
  int32ToInt64Bytes,
  int64ToInt32,
  npyHeaderBytes,
  parseNpyHeader,
  writeNpz,
} from "../../lib/data/npz";
import { pickleObjectArray } from "../../lib/data/dsprites-metadata";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "npz-test-"));
process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));

/** A few raw bytes of a Python 2 pickle (protocol 2) of {'version': 1}: what `metadata` holds. */
const PY2_PICKLE = Uint8Array.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x55, 0x07, ...Buffer.from("version"), 0x71, 0x01, 0x4b, 0x01, 0x73, 0x2e]);

function python(): boolean {
  const r = spawnSync("/usr/bin/python3", ["-c", "import numpy"], { encoding: "utf8" });
  return r.status === 0;
}

test("npy header: written padded to 64 bytes and parsed back", () => {
  for (const shape of [[737280, 64, 64], [5, 6], [7], []]) {
    const h = npyHeaderBytes("<f8", shape);
    assert.equal(h.length % 64, 0);
    const p = parseNpyHeader(h, "x")!;
    assert.deepEqual(p.shape, shape);
    assert.equal(p.descr, "<f8");
    assert.equal(p.fortranOrder, false);
    assert.equal(p.dataOffset, h.length);
    assert.equal(parseNpyHeader(h.subarray(0, 20), "x"), undefined); // incomplete
  }
  assert.throws(() => parseNpyHeader(new Uint8Array(20), "f.npy"), /f.npy: not an .npy array/);
});

test("int64 / float64 conversions", () => {
  const v = Int32Array.of(0, 1, -1, 2147483647, -2147483648);
  assert.deepEqual(int64ToInt32(int32ToInt64Bytes(v), "x"), v);
  const big = new Uint8Array(8);
  big[4] = 1; // 2^32
  assert.throws(() => int64ToInt32(big, "classes"), /classes: int64 value out of int32 range/);
  const f = Float64Array.of(0, Math.PI, -1e300);
  assert.deepEqual(bytesToFloat64(float64Bytes(f)), f);
});

for (const compress of [true, false]) {
  test(`npz round trip (${compress ? "deflated" : "stored"}), chunked members and a pickle member`, () => {
    const file = path.join(dir, `rt-${compress}.npz`);
    const imgs = new Uint8Array(300 * 16).map((_, i) => (i * 7) % 3 === 0 ? 1 : 0);
    const cls = Int32Array.from({ length: 300 * 6 }, (_, i) => i % 17);
    const vals = Float64Array.from({ length: 300 * 6 }, (_, i) => i / 7);
    writeNpz(
      file,
      [
        { name: "imgs", descr: "|u1", shape: [300, 4, 4], chunks: function* () { for (let s = 0; s < imgs.length; s += 1000) yield imgs.subarray(s, s + 1000); } },
        { name: "latents_classes", descr: "<i8", shape: [300, 6], data: int32ToInt64Bytes(cls) },
        { name: "latents_values", descr: "<f8", shape: [300, 6], data: float64Bytes(vals) },
        { name: "metadata", descr: "|O", shape: [], data: PY2_PICKLE },
      ],
      { compress },
    );
    assert.ok(!fs.readdirSync(dir).some((f) => f.includes(".tmp-")), "no temporary file left");
    const r = NpzReader.open(file);
    try {
      assert.deepEqual(r.names().sort(), ["imgs", "latents_classes", "latents_values", "metadata"]);
      for (const e of r.entries) assert.equal(e.method, compress ? 8 : 0);
      const a = r.readArray("imgs");
      assert.deepEqual(a.shape, [300, 4, 4]);
      assert.equal(a.descr, "|u1");
      assert.deepEqual(a.data, imgs);
      assert.deepEqual(int64ToInt32(r.readArray("latents_classes").data, "c"), cls);
      assert.deepEqual(bytesToFloat64(r.readArray("latents_values").data), vals);
      const m = r.readArray("metadata");
      assert.equal(m.descr, "|O");
      assert.deepEqual(m.data, PY2_PICKLE); // raw bytes, never unpickled
      assert.throws(() => r.readArray("nope"), /no array 'nope' \(the file has: /);
    } finally {
      r.close();
    }
    // a wrong byte count is refused when writing
    assert.throws(
      () => writeNpz(path.join(dir, "bad.npz"), [{ name: "a", descr: "<f8", shape: [3], data: new Uint8Array(16) }]),
      /array 'a' has 16 bytes, shape \(3\) needs 24/,
    );
    assert.ok(!fs.existsSync(path.join(dir, "bad.npz")));
  });
}

test("npz errors: not a zip, empty, truncated, corrupt data", () => {
  const notZip = path.join(dir, "not.npz");
  fs.writeFileSync(notZip, "hello, this is not a zip file at all".repeat(10));
  assert.throws(() => NpzReader.open(notZip), /not.npz: not a zip \(npz\) archive/);
  const empty = path.join(dir, "empty.npz");
  fs.writeFileSync(empty, "");
  assert.throws(() => NpzReader.open(empty), /empty.npz: not a zip/);
  assert.throws(() => NpzReader.open(path.join(dir, "missing.npz")), /missing.npz: cannot open/);

  const good = path.join(dir, "good.npz");
  writeNpz(good, [{ name: "x", descr: "<f8", shape: [4000], data: float64Bytes(Float64Array.from({ length: 4000 }, Math.random)) }]);
  const bytes = fs.readFileSync(good);
  const cut = path.join(dir, "cut.npz");
  fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
  assert.throws(() => NpzReader.open(cut), /cut.npz: truncated zip/);

  // the central directory survives but member data is damaged: deflate or size error, never silent
  const bad = Buffer.from(bytes);
  for (let i = 200; i < 400; i++) bad[i] ^= 0x5a;
  const damaged = path.join(dir, "damaged.npz");
  fs.writeFileSync(damaged, bad);
  const r = NpzReader.open(damaged);
  assert.throws(() => r.readArray("x"), /damaged.npz: (member x.npy: (corrupt deflate data|truncated deflate stream)|array 'x': truncated or corrupt)/);
  r.close();
});

test("numpy reads our npz and we read numpy's (skipped without /usr/bin/python3 + numpy)", (t) => {
  if (!python()) {
    t.skip("no numpy");
    return;
  }
  // numpy -> us: savez_compressed with a pickled object member, and a zip64-forced savez
  const fromPy = path.join(dir, "py.npz");
  const fromPy64 = path.join(dir, "py64.npz");
  const script = `
import numpy as np, zipfile
a = (np.arange(2*64*64) % 5 == 0).astype(np.uint8).reshape(2, 64, 64)
c = np.array([[0,1,2,3,4,5],[0,2,5,39,31,31]], dtype=np.int64)
v = c.astype(np.float64) / 3
np.savez_compressed(${JSON.stringify(fromPy)}, imgs=a, latents_classes=c, latents_values=v, metadata=np.array({'version': 1}, dtype=object))
with zipfile.ZipFile(${JSON.stringify(fromPy64)}, 'w', allowZip64=True) as z:
    for k, x in [('imgs', a), ('latents_classes', c)]:
        with z.open(k + '.npy', 'w', force_zip64=True) as f:
            np.lib.format.write_array(f, x)
`;
  const r = spawnSync("/usr/bin/python3", ["-c", script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  for (const f of [fromPy, fromPy64]) {
    const z = NpzReader.open(f);
    const imgs = z.readArray("imgs");
    assert.deepEqual(imgs.shape, [2, 64, 64]);
    assert.equal(imgs.data.reduce((s, x) => s + x, 0), Math.ceil((2 * 64 * 64) / 5));
    assert.deepEqual([...int64ToInt32(z.readArray("latents_classes").data, "c")], [0, 1, 2, 3, 4, 5, 0, 2, 5, 39, 31, 31]);
    z.close();
  }
  // us -> numpy, including our pickled metadata (a 0-d object array holding a dict)
  const ours = path.join(dir, "ours.npz");
  writeNpz(ours, [
    { name: "imgs", descr: "|u1", shape: [2, 3], data: Uint8Array.of(0, 1, 0, 1, 1, 0) },
    { name: "latents_values", descr: "<f8", shape: [2], data: float64Bytes(Float64Array.of(0.5, Math.PI)) },
    { name: "latents_classes", descr: "<i8", shape: [1, 2], data: int32ToInt64Bytes(Int32Array.of(-3, 737279)) },
    { name: "metadata", descr: "|O", shape: [], data: pickleObjectArray({ dict: [["latents_names", { tuple: ["color", "shape"] }], ["sizes", [1, 3]], ["pi", Math.PI]] }) },
  ]);
  const check = `
import numpy as np, math
d = np.load(${JSON.stringify(ours)})
assert d['imgs'].dtype == np.uint8 and d['imgs'].tolist() == [[0,1,0],[1,1,0]]
assert d['latents_values'].tolist() == [0.5, math.pi]
assert d['latents_classes'].dtype == np.int64 and d['latents_classes'].tolist() == [[-3, 737279]]
m = np.load(${JSON.stringify(ours)}, allow_pickle=True)['metadata'][()]
assert m == {'latents_names': ('color', 'shape'), 'sizes': [1, 3], 'pi': math.pi}, m
print('ok')
`;
  const r2 = spawnSync("/usr/bin/python3", ["-c", check], { encoding: "utf8" });
  assert.equal(r2.status, 0, r2.stderr);
  assert.equal(r2.stdout.trim(), "ok");
});

test("writeNpz creates its folder; a folder as the target, or a folder that cannot be written, is a clear error naming the file", () => {
  const nested = path.join(dir, "new", "deeper", "x.npz");
  writeNpz(nested, [{ name: "a", descr: "<f8", shape: [1], data: new Uint8Array(8) }]);
  assert.ok(fs.existsSync(nested));
  const folder = path.join(dir, "a-folder.npz");
  fs.mkdirSync(folder);
  assert.throws(() => writeNpz(folder, [{ name: "a", descr: "<f8", shape: [1], data: new Uint8Array(8) }]), /cannot write .*a-folder\.npz: it is a folder; give a file name/);
  const blocker = path.join(dir, "a-file");
  fs.writeFileSync(blocker, "");
  const under = path.join(blocker, "x.npz"); // its "folder" is a file
  assert.throws(() => writeNpz(under, [{ name: "a", descr: "<f8", shape: [1], data: new Uint8Array(8) }]), /cannot create the folder .*a-file: .*a-file is a file, not a folder/);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes(".tmp")), []);
});
