/** `bvae data chairs3d|faces3d`: the rendered datasets: factors, count, memory, render and serve speed, disk cache, figures, npz export. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { assertOutputFlags, intFlag, parseArgs, stringFlag } from "./command";
import { openRendered, measureRenderSpeed, exportRenderedNpz, selectRenderedIndices, factorPixelVariance, formatFactorVariance, type RenderedDataset, type RenderedDatasetName } from "../lib/data";
import { renderedFactorGridPng, renderedSamplesPng, renderedSweepPng } from "../lib/display";
import { writeFileAtomic } from "../lib/files";
import { makeRng } from "../lib/rng";

export const RENDER3D_USAGE = `Usage: bvae data chairs3d|faces3d [options]

The rendered stand-ins for 3D Chairs and CelebA, with known factors (lib/data/chairs3d.ts,
lib/data/faces3d.ts): prints the factors, image count, memory, how fast images render and how fast
a rendered set serves training batches, and whether the disk cache was used.

Options:
  --cache             render every image and write the disk cache (read by later runs and training)
  --cache-dir DIR     the disk cache's folder (default BVAE_RENDER3D_CACHE, else build/render3d)
  --no-cache          neither read nor write the disk cache
  --speed N           images rendered afresh for the speed measurement (default 300)
  --export FILE.npz   write imgs / latents_classes / latents_values / metadata_json (numpy.load)
    --subset N        only N images, drawn at random (seeded by --seed, default 0)
    --stored          do not deflate (np.savez instead of np.savez_compressed)
  --figures DIR       write <name>-samples.png, <name>-sweep.png and <name>-views.png (elevation x azimuth)`;

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

function range(values: readonly number[]): string {
  const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));
  return values.length === 1 ? fmt(values[0]) : `${fmt(values[0])}..${fmt(values[values.length - 1])}`;
}

function describe(ds: RenderedDataset): void {
  console.log(`dataset:  ${ds.name}: ${ds.spec.description}`);
  console.log(`factors:  (index order, the last fastest)`);
  for (const f of ds.spec.grid.factors) {
    const what = f.unit === "category" ? f.labels.join(", ") : `${range(f.values)} ${f.unit}`;
    console.log(`  ${f.name.padEnd(11)} ${String(f.values.length).padStart(2)}  ${what}`);
  }
  console.log(`images:   ${ds.size.toLocaleString("en-US")} (${ds.imageShape.join("x")} RGB), fingerprint ${ds.fingerprint}`);
  console.log(`memory:   ${mb(ds.memoryBytes)} uint8 for the whole set (float32 would be ${mb(ds.memoryBytes * 4)}); batches are converted as served`);
  const state =
    ds.cacheState === "loaded" ? `loaded from ${ds.cacheFile}` : ds.cacheState === "off" ? "off" : `${ds.cacheState} (${ds.cacheReason}); images are rendered on first use (--cache writes the file)`;
  console.log(`cache:    ${state}`);
}

/** Serves `batches` random batches of 64 from a fully rendered set: float32 conversion and copies only. */
function serveSpeed(ds: RenderedDataset, batches = 100): number {
  const rng = makeRng(1);
  const t0 = process.hrtime.bigint();
  for (let b = 0; b < batches; b++) ds.observe(ds.sampleFactors(64, rng));
  return (batches * 64) / (Number(process.hrtime.bigint() - t0) / 1e9);
}

/** Runs `bvae data chairs3d|faces3d ...` (called by cli/data.ts). */
export async function runRenderedData(name: RenderedDatasetName, args: string[]): Promise<number> {
  const p = parseArgs(args, {
    command: `bvae data ${name}`,
    values: ["cache-dir", "speed", "export", "subset", "seed", "figures"],
    booleans: ["cache", "no-cache", "stored", "help"],
    maxPositionals: 1,
  });
  if (p.flags.help) {
    console.log(RENDER3D_USAGE);
    return 0;
  }
  if (p.flags.cache && p.flags["no-cache"]) throw new Error("--cache and --no-cache exclude each other");
  assertOutputFlags(p); // before any long work (rendering, encoding)
  const t0 = Date.now();
  const ds = openRendered(name, { cache: p.flags["no-cache"] ? "off" : "auto", cacheDir: stringFlag(p, "cache-dir") });
  describe(ds);
  console.log(`opened:   ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`pixels:   variance each factor explains, summed over pixels (lib/data/factor-variance.ts): ${formatFactorVariance(factorPixelVariance(ds))}`);

  const load = `load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`;
  const speed = measureRenderSpeed(ds.spec, intFlag(p, "speed") ?? 300);
  console.log(`render:   ${speed.imagesPerSecond.toFixed(0)} images/s (${speed.images} random images rendered afresh, one thread, ${load}; ${speed.firstPassPerSecond.toFixed(0)} images/s on first use, which also builds each model's mesh); the whole set: ~${(ds.size / speed.imagesPerSecond).toFixed(0)} s`);

  const exportPath = stringFlag(p, "export");
  const subset = intFlag(p, "subset");
  // Everything is rendered up front (with progress) for the cache and a full export; a subset
  // export renders only its own images, on demand.
  if (p.flags.cache || (exportPath && subset === undefined)) {
    const r = ds.renderAll((done, total) => process.stderr.write(`\r  rendering: ${done}/${total}`));
    if (r.rendered > 0) {
      process.stderr.write("\n");
      console.log(`rendered: ${r.rendered} images in ${r.seconds.toFixed(1)} s (${(r.rendered / r.seconds).toFixed(0)} images/s)`);
    }
  }
  if (p.flags.cache) {
    const t1 = Date.now();
    const saved = ds.saveCache();
    console.log(`cache:    wrote ${saved.file} (${mb(saved.bytes)}, ${((Date.now() - t1) / 1000).toFixed(1)} s)`);
  }
  if (ds.rendered === ds.size) console.log(`serve:    ${serveSpeed(ds).toFixed(0)} images/s as float32 batches of 64 from the rendered set`);
  if (exportPath) {
    const indices = selectRenderedIndices(ds.size, { subset, seed: intFlag(p, "seed") ?? 0 });
    const t2 = Date.now();
    const n = exportRenderedNpz(exportPath, ds, indices, { compress: p.flags.stored !== true });
    console.log(`exported: ${n} images to ${exportPath} (${mb(fs.statSync(exportPath).size)}, ${((Date.now() - t2) / 1000).toFixed(1)} s)`);
  }
  const figures = stringFlag(p, "figures");
  if (figures) {
    const files: [string, Buffer][] = [
      [`${name}-samples.png`, renderedSamplesPng(ds)],
      [`${name}-sweep.png`, renderedSweepPng(ds)],
      [`${name}-views.png`, renderedFactorGridPng(ds, "elevation", "azimuth")],
    ];
    for (const [file, bytes] of files) {
      writeFileAtomic(path.join(figures, file), bytes);
      console.log(`figure:   ${path.join(figures, file)}`);
    }
  }
  const m = process.memoryUsage();
  console.log(`process:  rss ${mb(m.rss)}, heap ${mb(m.heapUsed)}, typed arrays ${mb(m.arrayBuffers)}`);
  return 0;
}
