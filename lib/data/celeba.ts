/**
 * CelebA (Liu et al. 2015), aligned-and-cropped version, read from a user's folder:
 *   <root>/img_align_celeba/000001.jpg .. 202599.jpg   178x218 RGB JPEG
 *   <root>/list_attr_celeba.txt                          required: count line, 40 names, one row per image
 *   <root>/list_eval_partition.txt                       optional: file name, 0/1/2 = train/val/test
 *
 * Preprocessing (as the public beta-VAE implementations do, e.g. CenterCrop(148) + Resize(64)):
 * the centred 148x148 square (x 15..163, y 35..183 of 178x218: the face, without most of the
 * background and hair), resized to 64x64 with an antialiased bilinear filter. RGB.
 *
 * Items are the rows of the attribute file, in file order. Held-out split: the official test
 * partition (19,962 images) when list_eval_partition.txt exists, else a seeded 10% (<= 10,000).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ImageBatch } from "./dataset";
import type { Split } from "./splits";
import type { PreprocessSpec } from "./image-preprocess";
import { ImageFolder, randomSplit, type ImageDataset, type ImageFolderOptions } from "./image-folder";

export const CELEBA_IMAGE_DIR = "img_align_celeba";
export const CELEBA_ATTR_FILE = "list_attr_celeba.txt";
export const CELEBA_PARTITION_FILE = "list_eval_partition.txt";
export const CELEBA_NUM_ATTRIBUTES = 40;
/** Official image size (width x height). */
export const CELEBA_SOURCE_SIZE = [178, 218] as const;
export const CELEBA_PREPROCESS: PreprocessSpec = { cropWidth: 148, cropHeight: 148, outSize: 64, channels: 3 };

const LAYOUT = `expected layout:
  <root>/${CELEBA_IMAGE_DIR}/000001.jpg ... (178x218 JPEG)
  <root>/${CELEBA_ATTR_FILE}   (line 1: image count; line 2: 40 attribute names; then "<file> v1 .. v40" with v = 1 or -1)
  <root>/${CELEBA_PARTITION_FILE}   (optional: "<file> 0|1|2")`;

export interface CelebAAttributes {
  /** The 40 attribute names in file order (e.g. "5_o_Clock_Shadow", ..., "Young"). */
  readonly names: readonly string[];
  /** Image file names, one per row, [n]. */
  readonly files: readonly string[];
  /** +1 / -1, row-major [n, 40]. */
  readonly values: Int8Array;
}

/** Parses list_attr_celeba.txt; errors name the file, the line and what was expected. */
export function parseCelebAAttributes(text: string, file = CELEBA_ATTR_FILE): CelebAAttributes {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  if (lines.length < 2) throw new Error(`${file}: expected a count line and a line of ${CELEBA_NUM_ATTRIBUTES} attribute names, found ${lines.length} line(s)`);
  const countText = lines[0].trim();
  if (!/^\d+$/.test(countText)) throw new Error(`${file}, line 1: expected the image count (an integer), found "${countText.slice(0, 40)}"`);
  const count = Number(countText);
  const names = lines[1].trim().split(/\s+/);
  if (names.length !== CELEBA_NUM_ATTRIBUTES) {
    throw new Error(`${file}, line 2: expected ${CELEBA_NUM_ATTRIBUTES} attribute names, found ${names.length}`);
  }
  const rows = lines.length - 2;
  if (rows !== count) throw new Error(`${file}: line 1 says ${count} images but the file has ${rows} rows`);
  const files: string[] = new Array(rows);
  const values = new Int8Array(rows * CELEBA_NUM_ATTRIBUTES);
  const seen = new Set<string>();
  for (let r = 0; r < rows; r++) {
    const tokens = lines[r + 2].trim().split(/\s+/);
    const lineNo = r + 3;
    if (tokens.length !== CELEBA_NUM_ATTRIBUTES + 1) {
      throw new Error(`${file}, line ${lineNo}: expected a file name and ${CELEBA_NUM_ATTRIBUTES} values, found ${tokens.length} columns`);
    }
    if (seen.has(tokens[0])) throw new Error(`${file}, line ${lineNo}: image ${tokens[0]} listed twice`);
    seen.add(tokens[0]);
    files[r] = tokens[0];
    for (let a = 0; a < CELEBA_NUM_ATTRIBUTES; a++) {
      const t = tokens[a + 1];
      if (t !== "1" && t !== "-1") {
        throw new Error(`${file}, line ${lineNo}: attribute ${names[a]} of ${tokens[0]} is "${t}", expected 1 or -1`);
      }
      values[r * CELEBA_NUM_ATTRIBUTES + a] = t === "1" ? 1 : -1;
    }
  }
  return { names, files, values };
}

/** Parses list_eval_partition.txt into file -> 0 (train), 1 (validation), 2 (test). */
export function parseCelebAPartition(text: string, file = CELEBA_PARTITION_FILE): Map<string, 0 | 1 | 2> {
  const out = new Map<string, 0 | 1 | 2>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    const tokens = line.trim().split(/\s+/);
    if (tokens.length !== 2 || !/^[012]$/.test(tokens[1])) {
      throw new Error(`${file}, line ${i + 1}: expected "<file> 0|1|2", found "${line.trim().slice(0, 60)}"`);
    }
    out.set(tokens[0], Number(tokens[1]) as 0 | 1 | 2);
  });
  return out;
}

export class CelebADataset implements ImageDataset {
  readonly name = "celeba";
  readonly split: Split;
  /** Official partition per item (0 train, 1 validation, 2 test), when the file exists. */
  readonly partition: Uint8Array | undefined;

  constructor(
    readonly folder: ImageFolder,
    readonly attributes: CelebAAttributes,
    partition: Uint8Array | undefined,
    opts: ImageFolderOptions,
  ) {
    this.partition = partition;
    if (partition && opts.heldOut === undefined) {
      const test: number[] = [];
      const train: number[] = [];
      partition.forEach((p, i) => (p === 2 ? test : train).push(i));
      this.split = { train: Uint32Array.from(train), test: Uint32Array.from(test), seed: -1 };
    } else this.split = randomSplit(folder.size, opts);
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
  /** Attribute a of the given items: +1/-1, [items.length]. */
  attribute(name: string, items: ArrayLike<number>): Int8Array {
    const a = this.attributes.names.indexOf(name);
    if (a < 0) throw new Error(`celeba: no attribute "${name}" (have ${this.attributes.names.join(", ")})`);
    return Int8Array.from({ length: items.length }, (_, k) => this.attributes.values[items[k] * CELEBA_NUM_ATTRIBUTES + a]);
  }
  close(): void {
    this.folder.close();
  }
}

/** Opens a CelebA folder in the official layout (see the top of this file). */
export function openCelebA(root: string, opts: ImageFolderOptions = {}): CelebADataset {
  const imageDir = path.join(root, CELEBA_IMAGE_DIR);
  if (!fs.existsSync(root)) throw new Error(`CelebA: folder ${root} does not exist; ${LAYOUT}`);
  if (!fs.existsSync(imageDir) || !fs.statSync(imageDir).isDirectory()) {
    throw new Error(`CelebA: image folder ${imageDir} not found; ${LAYOUT}`);
  }
  const present = new Set(fs.readdirSync(imageDir).filter((f) => /\.jpe?g$/i.test(f)));
  if (present.size === 0) throw new Error(`CelebA: no .jpg images in ${imageDir}; ${LAYOUT}`);
  const attrFile = path.join(root, CELEBA_ATTR_FILE);
  if (!fs.existsSync(attrFile)) throw new Error(`CelebA: attribute file ${attrFile} not found; ${LAYOUT}`);
  const attributes = parseCelebAAttributes(fs.readFileSync(attrFile, "utf8"), attrFile);
  if (attributes.files.length === 0) throw new Error(`CelebA: ${attrFile} lists no images`);
  const missing = attributes.files.filter((f) => !present.has(f));
  if (missing.length > 0) {
    throw new Error(`CelebA: ${missing.length} image(s) listed in ${attrFile} are not in ${imageDir}, e.g. ${missing.slice(0, 3).join(", ")}`);
  }
  let partition: Uint8Array | undefined;
  const partFile = path.join(root, CELEBA_PARTITION_FILE);
  if (fs.existsSync(partFile)) {
    const map = parseCelebAPartition(fs.readFileSync(partFile, "utf8"), partFile);
    partition = Uint8Array.from(attributes.files, (f) => {
      const p = map.get(f);
      if (p === undefined) throw new Error(`CelebA: ${partFile} has no partition for ${f}`);
      return p;
    });
  }
  const spec: PreprocessSpec = { ...CELEBA_PREPROCESS, channels: opts.channels ?? 3 };
  const folder = new ImageFolder(
    "celeba",
    root,
    attributes.files.map((f) => path.join(imageDir, f)),
    attributes.files.map((f) => `${CELEBA_IMAGE_DIR}/${f}`),
    spec,
    opts,
    CELEBA_SOURCE_SIZE,
  );
  return new CelebADataset(folder, attributes, partition, opts);
}
