/**
 * 3D Chairs (Aubry et al. 2014), the rendered_chairs archive, read from a user's folder:
 *   <root>/rendered_chairs/<chair folder>/renders/image_XXX_pYYY_tZZZ_rDDD.png   600x600 RGB
 * 1393 chairs x 62 views (31 azimuths x 2 elevations). File names, as public loaders of this
 * archive parse them (e.g. "image_001_p020_t011_r096.png", "image_052_p030_t232_r096.png"):
 * XXX = view number 001..062, p = elevation (phi) in degrees (020 or 030), t = azimuth (theta) in
 * degrees (000..348, steps of ~11.6 = 360/31), r = camera distance (096 throughout).
 *
 * Preprocessing: the centred 400x400 region of the 600x600 render (the chair sits in the middle
 * on white; a public beta-VAE/disentanglement loader uses the same center_crop=(400, 400), another
 * crops 300x300 at (160, 160)), resized to 64x64 with an antialiased bilinear filter. RGB by
 * default (the report's Gaussian-decoder runs); channels: 1 gives grayscale like several loaders.
 *
 * Items: chairs in sorted folder-name order, views in sorted file-name order within each.
 * Held-out split: a seeded random 10% of the images (<= 10,000).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ImageBatch } from "./dataset";
import type { Split } from "./splits";
import type { PreprocessSpec } from "./image-preprocess";
import { ImageFolder, randomSplit, type ImageDataset, type ImageFolderOptions } from "./image-folder";

export const CHAIRS_DIR = "rendered_chairs";
export const CHAIRS_RENDERS_DIR = "renders";
/** image_<view>_p<elevation>_t<azimuth>_r<distance>.png */
export const CHAIRS_FILE_PATTERN = /^image_(\d{3})_p(\d{3})_t(\d{3})_r(\d{3})\.png$/;
export const CHAIRS_SOURCE_SIZE = [600, 600] as const;
export const CHAIRS_PREPROCESS: PreprocessSpec = { cropWidth: 400, cropHeight: 400, outSize: 64, channels: 3 };

const LAYOUT = `expected layout: <root>/${CHAIRS_DIR}/<chair folder>/${CHAIRS_RENDERS_DIR}/image_XXX_pYYY_tZZZ_rDDD.png (600x600 PNG; XXX view, YYY elevation, ZZZ azimuth, DDD distance)`;

export interface ChairView {
  /** View number in the file name (1..62). */
  readonly view: number;
  /** Elevation (phi) in degrees: 20 or 30. */
  readonly elevation: number;
  /** Azimuth (theta) in degrees: 0..348. */
  readonly azimuth: number;
  /** Camera distance (96 in the archive). */
  readonly distance: number;
}

/** Parses a render's file name; the error names the file and the expected pattern. */
export function parseChairFileName(name: string): ChairView {
  const m = CHAIRS_FILE_PATTERN.exec(name);
  if (!m) throw new Error(`3D Chairs: file name "${name}" does not match image_XXX_pYYY_tZZZ_rDDD.png`);
  const azimuth = Number(m[3]);
  if (azimuth >= 360) throw new Error(`3D Chairs: file name "${name}": azimuth ${azimuth} is not in [0, 360)`);
  return { view: Number(m[1]), elevation: Number(m[2]), azimuth, distance: Number(m[4]) };
}

/** Sorted distinct values and each element's class (its index among them). */
function classesOf(values: Int16Array): { values: number[]; classes: Int32Array } {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const index = new Map(distinct.map((v, i) => [v, i]));
  return { values: distinct, classes: Int32Array.from(values, (v) => index.get(v) as number) };
}

export class ChairsDataset implements ImageDataset {
  readonly name = "chairs";
  readonly split: Split;
  /** Distinct azimuths / elevations (degrees, ascending) and each item's class among them. */
  readonly azimuthValues: readonly number[];
  readonly elevationValues: readonly number[];
  readonly azimuthClass: Int32Array;
  readonly elevationClass: Int32Array;

  constructor(
    readonly folder: ImageFolder,
    /** Chair folder names, sorted; chairIndex points into it. */
    readonly chairNames: readonly string[],
    /** Per item: chair (index into chairNames), [n]. */
    readonly chairIndex: Int32Array,
    /** Per item: azimuth in degrees, [n]. */
    readonly azimuth: Int16Array,
    /** Per item: elevation in degrees, [n]. */
    readonly elevation: Int16Array,
    /** Per item: view number from the file name, [n]. */
    readonly view: Int16Array,
    opts: ImageFolderOptions,
  ) {
    const az = classesOf(azimuth);
    const el = classesOf(elevation);
    this.azimuthValues = az.values;
    this.azimuthClass = az.classes;
    this.elevationValues = el.values;
    this.elevationClass = el.classes;
    this.split = randomSplit(folder.size, opts);
  }

  get source(): string {
    return this.folder.cacheStatus === "used" ? `${this.folder.root} (preprocessed: ${this.folder.cacheFile})` : this.folder.root;
  }
  get size(): number {
    return this.folder.size;
  }
  get imageShape(): readonly [number, number, number] {
    return this.folder.imageShape;
  }
  batch(items: ArrayLike<number>): ImageBatch {
    return this.folder.batch(items);
  }
  /** Items of one chair, in view order. */
  itemsOfChair(chair: number): Uint32Array {
    const out: number[] = [];
    this.chairIndex.forEach((c, i) => c === chair && out.push(i));
    return Uint32Array.from(out);
  }
  close(): void {
    this.folder.close();
  }
}

/** Opens a 3D Chairs folder in the official layout (see the top of this file). */
export function openChairs(root: string, opts: ImageFolderOptions = {}): ChairsDataset {
  if (!fs.existsSync(root)) throw new Error(`3D Chairs: folder ${root} does not exist; ${LAYOUT}`);
  const base = path.join(root, CHAIRS_DIR);
  if (!fs.existsSync(base) || !fs.statSync(base).isDirectory()) throw new Error(`3D Chairs: folder ${base} not found; ${LAYOUT}`);
  const chairNames = fs
    .readdirSync(base, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  if (chairNames.length === 0) throw new Error(`3D Chairs: no chair folders in ${base}; ${LAYOUT}`);
  const files: string[] = [];
  const relative: string[] = [];
  const chairIndex: number[] = [];
  const views: ChairView[] = [];
  chairNames.forEach((chair, c) => {
    const dir = path.join(base, chair, CHAIRS_RENDERS_DIR);
    if (!fs.existsSync(dir)) throw new Error(`3D Chairs: chair folder ${path.join(base, chair)} has no ${CHAIRS_RENDERS_DIR}/ folder; ${LAYOUT}`);
    const pngs = fs.readdirSync(dir).filter((f) => f.toLowerCase().endsWith(".png")).sort();
    if (pngs.length === 0) throw new Error(`3D Chairs: no .png renders in ${dir}; ${LAYOUT}`);
    for (const f of pngs) {
      let v: ChairView;
      try {
        v = parseChairFileName(f);
      } catch (err) {
        throw new Error(`${(err as Error).message} (in ${dir})`);
      }
      files.push(path.join(dir, f));
      relative.push(`${CHAIRS_DIR}/${chair}/${CHAIRS_RENDERS_DIR}/${f}`);
      chairIndex.push(c);
      views.push(v);
    }
  });
  const spec: PreprocessSpec = { ...CHAIRS_PREPROCESS, channels: opts.channels ?? 3 };
  const folder = new ImageFolder("chairs", root, files, relative, spec, opts, CHAIRS_SOURCE_SIZE);
  return new ChairsDataset(
    folder,
    chairNames,
    Int32Array.from(chairIndex),
    Int16Array.from(views, (v) => v.azimuth),
    Int16Array.from(views, (v) => v.elevation),
    Int16Array.from(views, (v) => v.view),
    opts,
  );
}
