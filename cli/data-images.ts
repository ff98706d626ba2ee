/** `bvae data celeba|chairs`: a user's CelebA / 3D Chairs folder: source, counts, labels, decode speed, cache, figures. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { assertOutputFlags, numberFlag, parseArgs, positiveIntFlag, stringFlag } from "./command";
import {
  openCelebA, openChairs, measureDecodeSpeed, imageDatasetRoot, type CelebADataset, type ChairsDataset, type ImageFolderOptions, type ImageDatasetName,
} from "../lib/data";
import { celebaSamplesPng, chairsSamplesPng, chairViewsPng, cropIllustrationPng } from "../lib/display";
import { writeFileAtomic } from "../lib/files";


export const IMAGE_DATA_USAGE = `Usage: bvae data celeba|chairs [--root DIR] [options]

Opens a CelebA or 3D Chairs folder in its official layout and prints the source, image count,
image shape, labels (CelebA: the 40 attributes; Chairs: chairs, azimuths, elevations), the
decode speed and resident memory. Neither dataset can be downloaded by bvae.
  CelebA: DIR/img_align_celeba/*.jpg + DIR/list_attr_celeba.txt (+ optional list_eval_partition.txt)
  Chairs: DIR/rendered_chairs/<chair>/renders/image_XXX_pYYY_tZZZ_r096.png

Options:
  --root DIR          the dataset folder (default: BVAE_CELEBA_ROOT / BVAE_CHAIRS_ROOT, else data/)
  --channels 1|3      RGB (3, default) or grayscale (1)
  --decode N          images to decode for the speed measurement (default 200)
  --cache             decode every image once and write the preprocessed uint8 file
                      (DIR/bvae-<name>-64x64xC.u8, ~12 KiB per image); later runs read it
  --cache-file PATH   write/read the preprocessed file here instead
  --figures DIR       write <name>-samples.png, <name>-crop.png (and chairs-views.png)`;

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

function percent(values: Int8Array, a: number, stride: number): string {
  let on = 0;
  const n = values.length / stride;
  for (let i = 0; i < n; i++) if (values[i * stride + a] === 1) on++;
  return `${Math.round((100 * on) / n)}%`;
}

function describeCelebA(ds: CelebADataset): void {
  const { names, values } = ds.attributes;
  console.log(`split:      train ${ds.split.train.length}, held out ${ds.split.test.length} (${ds.partition ? "official test partition, list_eval_partition.txt" : "seeded random, no partition file"})`);
  console.log(`attributes: ${names.length} (share of +1):`);
  for (let a = 0; a < names.length; a += 4) {
    console.log("            " + names.slice(a, a + 4).map((n, k) => `${n} ${percent(values, a + k, names.length)}`.padEnd(26)).join(""));
  }
}

function describeChairs(ds: ChairsDataset): void {
  const perChair = new Map<number, number>();
  ds.chairIndex.forEach((c) => perChair.set(c, (perChair.get(c) ?? 0) + 1));
  const counts = [...perChair.values()];
  const az = ds.azimuthValues;
  console.log(`split:      train ${ds.split.train.length}, held out ${ds.split.test.length} (seeded random)`);
  console.log(`chairs:     ${ds.chairNames.length}, views per chair ${Math.min(...counts)}${Math.max(...counts) !== Math.min(...counts) ? `..${Math.max(...counts)}` : ""}`);
  console.log(`views:      ${az.length} azimuths (${az[0]}..${az[az.length - 1]} deg) x ${ds.elevationValues.length} elevations (${ds.elevationValues.join(", ")} deg)`);
}

/** Runs `bvae data celeba|chairs ...` (called by cli/data.ts). */
export async function runImageData(name: ImageDatasetName, args: string[]): Promise<number> {
  if (args.includes("--help")) {
    console.log(IMAGE_DATA_USAGE);
    return 0;
  }
  const p = parseArgs(args, { command: `bvae data ${name}`, values: ["root", "channels", "decode", "cache-file", "figures"], booleans: ["cache"], maxPositionals: 1 });
  assertOutputFlags(p); // before decoding
  const root = stringFlag(p, "root") ?? imageDatasetRoot(name);
  const channels = numberFlag(p, "channels") ?? 3;
  if (channels !== 1 && channels !== 3) throw new Error(`--channels must be 1 or 3, got ${channels}`);
  const decode = positiveIntFlag(p, "decode") ?? 200;
  const cacheFile = stringFlag(p, "cache-file");
  const writeCache = p.flags.cache === true;
  // --cache (re)writes the file, so an existing one is not read first
  const opts: ImageFolderOptions = { channels, preprocessed: writeCache ? "off" : cacheFile ?? "auto" };
  const t0 = Date.now();
  let ds: CelebADataset | ChairsDataset;
  try {
    ds = name === "celeba" ? openCelebA(root, opts) : openChairs(root, opts);
  } catch (err) {
    if (p.flags.root !== undefined) throw err;
    throw new Error(`${(err as Error).message}\n(no --root given: looked in ${root}; pass --root DIR or set ${name === "celeba" ? "BVAE_CELEBA_ROOT" : "BVAE_CHAIRS_ROOT"})`);
  }
  const folder = ds.folder;
  const spec = folder.spec;
  console.log(`source:     ${path.resolve(root)} (official ${name === "celeba" ? "CelebA" : "3D Chairs"} layout), opened in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`images:     ${ds.size}, shape ${ds.imageShape.join("x")} (centre crop ${spec.cropWidth}x${spec.cropHeight}, antialiased bilinear resize, ${channels === 3 ? "RGB" : "grayscale"})`);
  const status = folder.cacheStatus === "used" ? `used (${folder.cacheFile})` : folder.cacheStatus === "stale" ? `stale, ignored (${folder.cacheFile}: other files or preprocessing; rewrite with --cache)` : "none (images are decoded per batch; --cache writes one)";
  console.log(`preprocessed file: ${status}`);
  if (name === "celeba") describeCelebA(ds as CelebADataset);
  else describeChairs(ds as ChairsDataset);

  const speed = measureDecodeSpeed(folder, decode);
  console.log(`decode:     ${speed.perSecond.toFixed(0)} images/s (${speed.images} files read+decoded+cropped+resized in ${speed.seconds.toFixed(2)} s, one thread, load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
  const items = Uint32Array.from({ length: Math.min(64, ds.size) }, (_, k) => ds.split.train[k % ds.split.train.length] ?? k);
  const t1 = process.hrtime.bigint();
  ds.batch(items);
  console.log(`batch:      ${items.length} images in ${(Number(process.hrtime.bigint() - t1) / 1e6).toFixed(0)} ms (${folder.cacheStatus === "used" ? "from the preprocessed file" : "decoded, then kept in the LRU"})`);

  if (writeCache) {
    const t2 = Date.now();
    const file = folder.writeCache((done) => process.stderr.write(`\r  cache: ${done}/${ds.size} images`), cacheFile ?? folder.cacheFile);
    process.stderr.write("\n");
    const secs = (Date.now() - t2) / 1000;
    console.log(`cache:      wrote ${file} (${mb(fs.statSync(file).size)}, ${ds.size} images in ${secs.toFixed(1)} s, ${(ds.size / secs).toFixed(0)} images/s)`);
  }
  const figures = stringFlag(p, "figures");
  if (figures) {
    const out: [string, Buffer][] =
      name === "celeba"
        ? [["celeba-samples.png", celebaSamplesPng(ds as CelebADataset)], ["celeba-crop.png", await cropIllustrationPng(folder)]]
        : [["chairs-samples.png", chairsSamplesPng(ds as ChairsDataset)], ["chairs-views.png", chairViewsPng(ds as ChairsDataset)], ["chairs-crop.png", await cropIllustrationPng(folder)]];
    for (const [file, bytes] of out) {
      writeFileAtomic(path.join(figures, file), bytes);
      console.log(`figure:     ${path.join(figures, file)}`);
    }
  }
  const m = process.memoryUsage();
  console.log(`memory:     rss ${mb(m.rss)}, heap ${mb(m.heapUsed)}, typed arrays ${mb(m.arrayBuffers)}`);
  ds.close();
  return 0;
}
