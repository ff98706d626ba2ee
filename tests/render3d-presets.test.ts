/**
 * chairs3d / faces3d in the training engine: their presets, openDataset, a few training steps end
 * to end, and the run keys of every earlier preset unchanged by adding them (pinned below: the
 * keys computed before the rendered datasets existed, matching the run folders committed in runs/).
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { PRESET_NAMES, presetConfig, type PresetName } from "../lib/presets";
import { PROFILES } from "../lib/profile";
import { runKey, trainOrLoad } from "../lib/runs";
import { openDataset } from "../lib/train/datasets";
import { DATASETS } from "../lib/train/config";
import { spotCheckIndices, type RenderedDataset } from "../lib/data/render3d/rendered-dataset";
import { openRendered, type RenderedDatasetName } from "../lib/data/render3d/open";
import { writeRenderCache } from "../lib/data/render3d/cache-file";

before(async () => {
  await tf.setBackend("cpu");
});

/** runKey at smoke, cpu, long, paper, computed on main before chairs3d / faces3d were added. */
const KEYS_BEFORE: Record<string, string[]> = {
  "dsprites-vae": ["fdacdabff0", "9928601b00", "0d6310ebff", "b12cd388a0"],
  "dsprites-beta": ["b84579516a", "553b21b18b", "513b5bc037", "57006cfb15"],
  "dsprites-capacity-report": ["ce179f8a96", "02ab6836a4", "17792d2c2d", "e0711b0203"],
  "dsprites-capacity-paper": ["8a749de957", "d14347995f", "6d12d5426b", "919b9d434e"],
  "dsprites-vae-z5": ["a1e97dde60", "429b67aaa2", "7d8059b7bf", "102936bb98"],
  "dsprites-capacity-z5": ["634ff0984e", "d6bd8da8b6", "cec2c6ca36", "de2ea86beb"],
  "chairs-beta": ["4ec5534c13", "33c7d774c2", "32f9caf1e4", "f87d1bfc0c"],
  "celeba-beta": ["e2846f839f", "15fcdfb588", "9a31c57c86", "34fcc3c49b"],
};

test("adding the rendered datasets and presets changes no earlier run key", () => {
  assert.deepEqual([...PROFILES], ["smoke", "cpu", "long", "paper"]);
  for (const [name, keys] of Object.entries(KEYS_BEFORE)) {
    assert.deepEqual(PROFILES.map((p) => runKey(presetConfig(name as PresetName, p))), keys, name);
  }
  assert.deepEqual(PRESET_NAMES.slice(0, 8), Object.keys(KEYS_BEFORE), "earlier presets keep their order");
});

test("chairs3d-beta and faces3d-beta: chairs-beta's settings (H network, Gaussian decoder, lr 1e-4) on the rendered sets", () => {
  const chairs = presetConfig("chairs3d-beta", "cpu");
  assert.deepEqual([chairs.dataset, chairs.architecture, chairs.decoder, chairs.optimizer.learningRate, chairs.batchSize, chairs.numLatents, chairs.heldOut], ["chairs3d", "chairs", "gaussian", 1e-4, 64, 10, 800]);
  assert.deepEqual(chairs.regulariser, { kind: "beta", beta: 4 });
  const faces = presetConfig("faces3d-beta", "cpu");
  assert.deepEqual([faces.dataset, faces.architecture, faces.decoder, faces.optimizer.learningRate, faces.heldOut], ["faces3d", "chairs", "gaussian", 1e-4, 2000]);
  assert.deepEqual(faces.regulariser, { kind: "beta", beta: 10 });
  // the same as the real-data presets but for the dataset and the held-out count
  const strip = (c: ReturnType<typeof presetConfig>) => ({ ...c, preset: "", dataset: "", heldOut: 0 });
  assert.deepEqual(strip(chairs), strip(presetConfig("chairs-beta", "cpu")));
  assert.deepEqual(strip(faces), strip(presetConfig("celeba-beta", "cpu")));
  assert.ok(DATASETS.includes("chairs3d") && DATASETS.includes("faces3d"));
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
