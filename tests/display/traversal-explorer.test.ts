import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as vega from "vega";
import * as vl from "vega-lite";
import { createCanvas, loadImage } from "canvas";
import { buildModel } from "../../lib/models";
import { traverse } from "../../lib/analysis/inspect";
import type { ImageBatch } from "../../lib/data/dataset";
import { traversalExplorerSpec, EXPLORER_PARAMS, type ExplorerFrames } from "../../lib/display/traversal-explorer";
import { traversalFrames } from "../../lib/display/explorer-frames";
import { encodePng, pngDataUri } from "../../lib/display/png";
import { showTraversalExplorer } from "../../lib/display/figures";
import { VEGA_LITE_MIME, EXPLORER_TEXT } from "../../lib/display/show";
import { imageGridPng } from "../../lib/display/images";

function randomImages(n: number, seed: number, channels = 1): ImageBatch {
  const data = new Float32Array(n * 64 * 64 * channels);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    data[i] = s / 2147483648 > 0.8 ? 1 : 0;
  }
  return { data, n, height: 64, width: 64, channels };
}

/** PNG data: URI -> RGBA pixels (node-canvas decodes it: an encoder independent of ours). */
async function pixels(uri: string): Promise<{ rgba: Uint8ClampedArray; width: number; height: number }> {
  const img = await loadImage(uri);
  const c = createCanvas(img.width, img.height);
  c.getContext("2d").drawImage(img, 0, 0);
  return { rgba: c.getContext("2d").getImageData(0, 0, img.width, img.height).data, width: img.width, height: img.height };
}

/** 2 seeds x 3 latents x 5 values of distinct 2x2 grey images: frame (s, k, v) has grey level 10 + 40s + 12k + v. */
function syntheticFrames(): ExplorerFrames {
  const grey = (level: number) => pngDataUri({ data: new Float32Array(4).fill(level / 255), n: 1, height: 2, width: 2, channels: 1 });
  return {
    values: [-2, -1, 0, 1, 2],
    latents: [4, 1, 7],
    seeds: [grey(250), grey(251)],
    frames: [0, 1].map((s) => [0, 1, 2].map((k) => [0, 1, 2, 3, 4].map((v) => grey(10 + 40 * s + 12 * k + v)))),
  };
}

/** The data: URIs of the images a rendered view shows, in document order. */
async function shownImages(view: vega.View): Promise<string[]> {
  const svg = await view.toSVG();
  return [...svg.matchAll(/href="(data:image\/png;base64,[^"]+)"/g)].map((m) => m[1]);
}

test("encodePng: grey and RGB images decode back to round(255 * clamp(v)); other channel counts are refused", async () => {
  const grey: ImageBatch = { data: Float32Array.from({ length: 12 }, (_, i) => i / 11 - 0.1), n: 2, height: 2, width: 3, channels: 1 };
  const got = await pixels(pngDataUri(grey, 1));
  assert.deepEqual([got.width, got.height], [3, 2]);
  const expected = Array.from(grey.data.subarray(6), (v) => Math.round(255 * Math.min(1, Math.max(0, v))));
  assert.deepEqual(Array.from({ length: 6 }, (_, i) => got.rgba[4 * i]), expected);
  const rgb: ImageBatch = { data: Float32Array.from([1, 0, 0, 0, 0.5, 1]), n: 1, height: 1, width: 2, channels: 3 };
  const p = await pixels(pngDataUri(rgb));
  assert.deepEqual(Array.from(p.rgba), [255, 0, 0, 255, 0, 128, 255, 255]);
  assert.throws(() => encodePng({ ...rgb, channels: 2 }), /2 channels/);
  assert.throws(() => encodePng(rgb, 1), /image 1 of 1/);
});

test("the explorer's spec: three bound parameters, one row per frame, and it compiles", () => {
  const spec = traversalExplorerSpec(syntheticFrames(), { latentLabels: ["z4 x", "z1 y", "z7 -"] }) as any;
  assert.deepEqual(
    spec.params.map((p: any) => [p.name, p.value, p.bind.input]),
    [[EXPLORER_PARAMS.seed, 0, "select"], [EXPLORER_PARAMS.latent, 4, "select"], [EXPLORER_PARAMS.value, 0, "range"]],
  );
  assert.deepEqual(spec.params[1].bind.options, [4, 1, 7]);
  assert.deepEqual(spec.params[1].bind.labels, ["z4 x", "z1 y", "z7 -"]);
  assert.deepEqual([spec.params[2].bind.min, spec.params[2].bind.max, spec.params[2].bind.step], [-2, 2, 1]);
  assert.equal(spec.datasets.frames.length, 2 * 3 * 5);
  assert.equal(spec.datasets.seeds.length, 2);
  assert.doesNotThrow(() => vl.compile(spec));
  assert.throws(() => traversalExplorerSpec({ ...syntheticFrames(), values: [-2, -1, 0, 1.5, 2] }), /evenly spaced/);
  assert.throws(() => traversalExplorerSpec({ ...syntheticFrames(), latents: [4, 1] }), /seeds \(2\) x latents \(2\) x values \(5\)/);
});

test("the explorer renders headless, and moving its inputs shows the chosen frames", async () => {
  const f = syntheticFrames();
  const view = new vega.View(vega.parse(vl.compile(traversalExplorerSpec(f)).spec), { renderer: "none" });
  try {
    await view.runAsync();
    // Seed image, the decoded frame, then every latent at that value.
    assert.deepEqual(await shownImages(view), [f.seeds[0], f.frames[0][0][2], f.frames[0][0][2], f.frames[0][1][2], f.frames[0][2][2]]);
    view.signal(EXPLORER_PARAMS.seed, 1).signal(EXPLORER_PARAMS.latent, 7).signal(EXPLORER_PARAMS.value, -1);
    await view.runAsync();
    assert.deepEqual(await shownImages(view), [f.seeds[1], f.frames[1][2][1], f.frames[1][0][1], f.frames[1][1][1], f.frames[1][2][1]]);
    // A slider position between stops (floating point) still picks the nearest frame.
    view.signal(EXPLORER_PARAMS.value, 2.0000001);
    await view.runAsync();
    assert.equal((await shownImages(view))[1], f.frames[1][2][4]);
    const canvas = (await view.toCanvas()) as unknown as { width: number };
    assert.ok(canvas.width > 192);
  } finally {
    view.finalize();
  }
});

test("frames: seeds x latents x values, each the same pixels as traverse() for that seed, latent and value", async () => {
  await tf.setBackend("cpu");
  const model = buildModel({ architecture: "tiny", numLatents: 4, initSeed: 1 });
  try {
    const seeds = randomImages(2, 5);
    const values = [-1, 0, 1];
    const f = traversalFrames(model, seeds, { values, latents: [3, 0, 2] });
    assert.equal(f.frames.flat(2).length, 2 * 3 * 3);
    const seed1: ImageBatch = { ...seeds, n: 1, data: seeds.data.slice(4096) };
    const t = traverse(model, seed1, { values, latents: [3, 0, 2] });
    for (const [k, v] of [[0, 0], [1, 2], [2, 1]]) {
      const got = await pixels(f.frames[1][k][v]);
      const want = t.rows[k].data.subarray(v * 4096, (v + 1) * 4096);
      assert.deepEqual(Array.from({ length: 4096 }, (_, i) => got.rgba[4 * i]), Array.from(want, (x) => Math.round(255 * x)));
    }
    const s0 = await pixels(f.seeds[0]);
    assert.deepEqual(Array.from({ length: 4096 }, (_, i) => s0.rgba[4 * i] / 255), Array.from(seeds.data.subarray(0, 4096)));
    // The default grid is 13 values from -3 to 3.
    assert.deepEqual(traversalFrames(model, seed1, { latents: [1] }).values, [-3, -2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3]);
  } finally {
    model.dispose();
  }
});

test("showTraversalExplorer: one bundle (Vega-Lite + the static figure's PNG); GIF figures get the first seed's grid", async () => {
  await tf.setBackend("cpu");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-explorer-"));
  process.env.BVAE_FIGURES_DIR = dir;
  const model = buildModel({ architecture: "tiny", numLatents: 3, initSeed: 2 });
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const jupyter = require("tslab/dist/jupyter");
  const sent: any[] = [];
  jupyter.lastWriteDisplayData = (d: unknown) => sent.push(d);
  try {
    const seeds = randomImages(2, 9);
    const figure = imageGridPng(seeds, { cols: 2 });
    fs.writeFileSync(path.join(dir, "fig-t.png"), figure);
    fs.writeFileSync(path.join(dir, "anim-t.gif"), Buffer.from("GIF89a"));
    const values = [-1, 0, 1];
    showTraversalExplorer(model, seeds, "fig-t", { values, klPerLatent: [0.5, 2, 0], factorOfLatent: ["posX", "-", "scale"] });
    showTraversalExplorer(model, seeds, "anim-t", { values });
    assert.throws(() => showTraversalExplorer(model, seeds, "nothing", { values }), /no figure "nothing"/);
  } finally {
    jupyter.lastWriteDisplayData = null;
    model.dispose();
  }
  assert.equal(sent.length, 2);
  assert.deepEqual(Object.keys(sent[0].data).sort(), [VEGA_LITE_MIME, "image/png", "text/plain"].sort());
  assert.deepEqual(Buffer.from(sent[0].data["image/png"], "base64"), fs.readFileSync(path.join(dir, "fig-t.png")));
  assert.equal(EXPLORER_TEXT.exec(sent[0].data["text/plain"])?.[1], "fig-t");
  assert.deepEqual(sent[0].data[VEGA_LITE_MIME].params[1].bind.labels, ["z0 KL 0.50 posX", "z1 KL 2.00 -", "z2 KL 0.00 scale"]);
  assert.equal(sent[0].data[VEGA_LITE_MIME].datasets.frames.length, 2 * 3 * 3);
  // The GIF's stand-in: a grid of 3 rows (latents) x 3 columns (values) of 64x64 images, with labels.
  const stand = await loadImage(Buffer.from(sent[1].data["image/png"], "base64"));
  assert.ok(stand.width > 3 * 64 && stand.width < 3 * 64 + 200 && stand.height > 3 * 64, `${stand.width}x${stand.height}`);
});
