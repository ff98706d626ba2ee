/** `bvae data dsprites`: which dSprites source is in use, export in the official layout, figures. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "./command";
import { assertOutputFlags, intFlag, parseArgs, positiveIntFlag, stringFlag } from "./command";
import {
  openDsprites, DEFAULT_DSPRITES_PATH, DspritesDataset, loadDspritesFile, exportDspritesNpz, selectDspritesIndices, DSPRITES_FACTOR_NAMES, DSPRITES_FACTOR_SIZES, factorPixelVariance,
  formatFactorVariance,
} from "../lib/data";
import { dspritesSamplesPng, dspritesTraversalsPng, dspritesWalkGif } from "../lib/display";
import { writeFileAtomic } from "../lib/files";

const USAGE = `Usage: bvae data dsprites [options]
       bvae data celeba|chairs [options]   (bvae data celeba --help)
       bvae data chairs3d|faces3d [--cache] [--cache-dir DIR] [--no-cache] [--speed N]
                 [--export FILE.npz [--subset N] [--stored]] [--figures DIR]
                 (rendered stand-ins with known factors: factors, memory, render speed; --cache
                 renders all and writes the disk cache that training reads; cli/data-render3d.ts)

Prints the dSprites source in use (the official file in data/ if present, else the generator),
factor names and sizes, image count, resident memory, and the pixel variance each factor explains
(what a model pays in squared error for leaving it out).

Options:
  --source auto|generated|file   where images come from (default auto)
  --file PATH                    read and check this official-format npz (implies --source file);
                                 a file not named ${path.basename(DEFAULT_DSPRITES_PATH)} may hold a subset
  --export FILE.npz              write images in the official layout (readable by numpy.load)
    --subset N                   only N images, drawn at random (seeded by --seed, default 0)
    --seed S                     seed of the --subset draw
    --filter F=C[,F=C...]        only images whose factor F has class C, e.g. shape=2,scale=5
    --stored                     do not deflate (like np.savez instead of np.savez_compressed)
  --figures DIR                  write dsprites-samples.png, dsprites-traversals.png, dsprites-walk.gif`;

function parseFilter(text: string): (c: Int32Array) => boolean {
  const terms = text.split(",").map((t) => {
    const m = /^\s*(\w+)\s*=\s*(\d+)\s*$/.exec(t);
    const f = m ? DSPRITES_FACTOR_NAMES.indexOf(m[1] as (typeof DSPRITES_FACTOR_NAMES)[number]) : -1;
    if (!m || f < 0) throw new Error(`--filter: "${t}" should be factor=class with factor one of ${DSPRITES_FACTOR_NAMES.join(", ")}`);
    const c = Number(m[2]);
    if (c >= DSPRITES_FACTOR_SIZES[f]) throw new Error(`--filter: ${m[1]} class ${c} out of range [0, ${DSPRITES_FACTOR_SIZES[f]})`);
    return [f, c] as const;
  });
  return (cls) => terms.every(([f, c]) => cls[f] === c);
}

/** Whether two paths name the same file (the same inode when both exist, else the same resolved path). */
function sameFile(a: string, b: string): boolean {
  try {
    const [sa, sb] = [fs.statSync(a), fs.statSync(b)];
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

function describe(ds: DspritesDataset, seconds: number): void {
  console.log(`source:   ${ds.kind === "file" ? `official-format file ${ds.source}${ds.complete ? "" : " (subset)"}` : "generated (bvae's calibrated renderer)"}`);
  console.log(`factors:  ${ds.factorNames.map((n, i) => `${n} ${ds.factorSizes[i]}`).join(", ")}`);
  console.log(`images:   ${ds.size}  (${ds.imageShape.join("x")}, binary)`);
  console.log(`opened:   ${seconds.toFixed(1)} s`);
  // A subset file holds only some factor combinations: pairs differing in one factor need them all.
  const pixels = ds.kind === "file" && !ds.complete ? "not measured (a subset file lacks most of the pairs it needs)" : formatFactorVariance(factorPixelVariance(ds));
  console.log(`pixels:   variance each factor explains, summed over pixels (lib/data/factor-variance.ts): ${pixels}`);
  const m = process.memoryUsage();
  console.log(`memory:   rss ${mb(m.rss)}, heap ${mb(m.heapUsed)}, typed arrays ${mb(m.arrayBuffers)}`);
}

async function run(args: string[]): Promise<number> {
  // The dataset decides which options are valid: find it first (permissively), then parse strictly.
  const [dataset] = parseArgs(args, ["stored", "cache"]).positionals;
  if (dataset === "celeba" || dataset === "chairs") return (await import("./data-images")).runImageData(dataset, args); // CelebA / 3D Chairs folders: cli/data-images.ts
  if (dataset === "chairs3d" || dataset === "faces3d") return (await import("./data-render3d")).runRenderedData(dataset, args); // rendered stand-ins: cli/data-render3d.ts
  if (dataset !== "dsprites") {
    console.error(`bvae data: ${dataset === undefined ? "missing dataset" : `unknown dataset "${dataset}"`} (available: dsprites, celeba, chairs, chairs3d, faces3d)\n\n${USAGE}`);
    return 2;
  }
  const p = parseArgs(args, {
    command: "bvae data dsprites",
    values: ["source", "file", "export", "subset", "filter", "seed", "figures"],
    booleans: ["stored"],
    maxPositionals: 1,
  });
  const file = stringFlag(p, "file");
  const sourceFlag = stringFlag(p, "source") ?? (file ? "file" : "auto");
  if (sourceFlag !== "auto" && sourceFlag !== "generated" && sourceFlag !== "file") {
    throw new Error(`--source must be auto, generated or file, got "${sourceFlag}"`);
  }
  assertOutputFlags(p); // before any long work (rendering, encoding)
  const t0 = Date.now();
  // --file: load and check that file (a clear error if it is not in the official layout)
  const ds = file ? new DspritesDataset(loadDspritesFile(file)) : openDsprites({ source: sourceFlag });
  describe(ds, (Date.now() - t0) / 1000);

  const exportPath = stringFlag(p, "export");
  const filterText = stringFlag(p, "filter");
  const subset = positiveIntFlag(p, "subset");
  const seed = intFlag(p, "seed");
  if (!exportPath && (filterText !== undefined || subset !== undefined || seed !== undefined || p.flags.stored)) {
    throw new Error("bvae data dsprites: --subset, --filter, --seed and --stored shape an export; add --export FILE.npz");
  }
  if (exportPath) {
    if (ds.kind === "file" && sameFile(exportPath, ds.source)) {
      throw new Error(`--export ${exportPath} is the file being read (${ds.source}); write the export to another file (the source stays as it is)`);
    }
    const indices = selectDspritesIndices({
      subset,
      filter: filterText ? parseFilter(filterText) : undefined,
      seed: seed ?? 0,
    });
    const t1 = Date.now();
    const n = exportDspritesNpz(exportPath, ds, indices, { compress: p.flags.stored !== true });
    console.log(`exported: ${n} images to ${exportPath} (${mb(fs.statSync(exportPath).size)}, ${((Date.now() - t1) / 1000).toFixed(1)} s)`);
  }
  const figures = stringFlag(p, "figures");
  if (figures) {
    const files: [string, Uint8Array][] = [
      ["dsprites-samples.png", dspritesSamplesPng(ds)],
      ["dsprites-traversals.png", dspritesTraversalsPng(ds)],
      ["dsprites-walk.gif", dspritesWalkGif(ds)],
    ];
    for (const [name, bytes] of files) {
      writeFileAtomic(path.join(figures, name), bytes);
      console.log(`figure:   ${path.join(figures, name)}`);
    }
  }
  return 0;
}

export const dataCommand: Command = {
  name: "data",
  summary: "dataset source, factors and memory (dsprites, celeba, chairs, chairs3d, faces3d); npz export; figures",
  usage: USAGE,
  run,
};
