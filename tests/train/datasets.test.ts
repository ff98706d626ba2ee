/**
 * openDataset (train/datasets.ts) with the rendered chairs3d / faces3d: the whole set from a disk
 * cache, and a few training steps on each end to end.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { presetConfig } from "../../lib/train/presets";
import { trainOrLoad } from "../../lib/runs";
import { openDataset } from "../../lib/train/datasets";
import { spotCheckIndices, type RenderedDataset } from "../../lib/data/render3d/rendered-dataset";
import { openRendered, type RenderedDatasetName } from "../../lib/data/render3d/open";
import { writeRenderCache } from "../../lib/data/render3d/cache-file";

before(async () => {
  await tf.setBackend("cpu");
});

test("openDataset gives training the whole set: it reads a valid disk cache instead of rendering", () => {
  // A cache file for chairs3d whose four spot-checked images are right (the rest zeros, the hash
  // consistent): openDataset must load it, render nothing, and serve its bytes.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-render3d-cache-"));
  const before = process.env.BVAE_RENDER3D_CACHE;
  process.env.BVAE_RENDER3D_CACHE = dir;
  try {
    const fresh = openRendered("chairs3d");
    assert.equal(fresh.cacheState, "missing");
    assert.equal(path.dirname(fresh.cacheFile!), dir);
    const pixels = new Uint8Array(fresh.size * fresh.per);
    for (const i of spotCheckIndices(fresh.size)) pixels.set(fresh.image(i), i * fresh.per);
    writeRenderCache(fresh.cacheFile!, { dataset: "chairs3d", fingerprint: fresh.fingerprint, count: fresh.size, height: 64, width: 64, channels: 3 }, pixels);
    const ds = openDataset("chairs3d") as RenderedDataset;
    assert.deepEqual([ds.name, ds.cacheState, ds.rendered, ds.size], ["chairs3d", "loaded", 7936, 7936]);
    assert.deepEqual(ds.factorSizes, [4, 2, 4, 4, 2, 31]);
    assert.ok(ds.image(5).every((v) => v === 0), "served from the file, not rendered");
    const faces = openRendered("faces3d", { cache: "off" });
    assert.deepEqual([faces.name, faces.size, ...faces.imageShape], ["faces3d", 19440, 64, 64, 3]);
  } finally {
    if (before === undefined) delete process.env.BVAE_RENDER3D_CACHE;
    else process.env.BVAE_RENDER3D_CACHE = before;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a few training steps on each rendered dataset, end to end into a run folder", async () => {
  const runs = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-render3d-runs-"));
  try {
    for (const name of ["chairs3d-beta", "faces3d-beta"] as const) {
      // the tiny network on the cpu backend keeps this a unit test; the preset's own network is
      // exercised by `bvae train chairs3d-beta --profile smoke`
      const config = presetConfig(name, "smoke", { architecture: "tiny", steps: 4, batchSize: 8 });
      // the dataset rendered on demand (openDataset would render the whole set first)
      const run = await trainOrLoad(config, { runsDir: runs, quiet: true, dataset: openRendered(config.dataset as RenderedDatasetName, { cache: "off" }) });
      assert.equal(run.complete, true);
      assert.equal(run.step, 4);
      const rows = run.history.rows;
      assert.ok(rows.every((r) => Number.isFinite(r.loss)), `${name}: finite losses`);
      assert.ok(fs.existsSync(path.join(run.dir, "weights.bin")));
      assert.equal(run.summary?.channels, 3);
      run.model.dispose();
    }
  } finally {
    fs.rmSync(runs, { recursive: true, force: true });
  }
});
