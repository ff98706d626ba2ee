/**
 * Writes dSprites images in the official npz layout (imgs uint8 [N,64,64], latents_classes int64
 * [N,6], latents_values float64 [N,6], metadata pickle), readable by numpy.load, so other tools
 * can use our generator. Rows are written in ascending official index order.
 */
import { DSPRITES_IMAGE_SIZE, DSPRITES_NUM_FACTORS, DSPRITES_SIZE, dspritesClasses, dspritesValues } from "./dsprites-spec";
import { DspritesDataset } from "./dsprites";
import { dspritesMetadataPickle } from "./dsprites-metadata";
import { float64Bytes, int32ToInt64Bytes, writeNpz } from "./npz";
import { makeRng, permutation } from "../rng";

/** Which images to export. Default: all 737,280. */
export interface DspritesExportSelection {
  /** Keep a random subset of this many images (seeded), after the filter. */
  readonly subset?: number;
  /** Keep only images whose factor classes pass, e.g. (c) => c[1] === 2 (hearts). */
  readonly filter?: (classes: Int32Array) => boolean;
  /** Seed of the random subset. Default 0. */
  readonly seed?: number;
}

/** Official indices selected (ascending). */
export function selectDspritesIndices(sel: DspritesExportSelection = {}): Uint32Array {
  let idx: Uint32Array;
  if (sel.filter) {
    const keep: number[] = [];
    const c = new Int32Array(DSPRITES_NUM_FACTORS);
    for (let i = 0; i < DSPRITES_SIZE; i++) if (sel.filter(dspritesClasses(i, c))) keep.push(i);
    idx = Uint32Array.from(keep);
  } else {
    idx = new Uint32Array(DSPRITES_SIZE);
    for (let i = 0; i < DSPRITES_SIZE; i++) idx[i] = i;
  }
  if (sel.subset !== undefined) {
    if (!Number.isInteger(sel.subset) || sel.subset < 1) throw new Error(`dsprites export: subset ${sel.subset} must be a positive integer`);
    if (sel.subset < idx.length) {
      const p = permutation(idx.length, makeRng(sel.seed ?? 0));
      const picked = new Uint32Array(sel.subset);
      for (let i = 0; i < sel.subset; i++) picked[i] = idx[p[i]];
      idx = picked.sort();
    }
  }
  if (idx.length === 0) throw new Error("dsprites export: the selection is empty");
  return idx;
}

/** Writes the selected images of `dataset` to `path` (atomically). Returns the number of rows. */
export function exportDspritesNpz(path: string, dataset: DspritesDataset, indices: Uint32Array, opts: { compress?: boolean } = {}): number {
  const F = DSPRITES_NUM_FACTORS;
  const n = indices.length;
  const classes = new Int32Array(n * F);
  const values = new Float64Array(n * F);
  for (let i = 0; i < n; i++) {
    dspritesClasses(indices[i], classes, i * F);
    values.set(dspritesValues(classes, i * F), i * F);
  }
  const BATCH = 2048;
  writeNpz(
    path,
    [
      {
        name: "imgs",
        descr: "|u1",
        shape: [n, DSPRITES_IMAGE_SIZE, DSPRITES_IMAGE_SIZE],
        chunks: function* () {
          for (let s = 0; s < n; s += BATCH) yield dataset.observeBinary(classes.subarray(s * F, Math.min(n, s + BATCH) * F));
        },
      },
      { name: "latents_classes", descr: "<i8", shape: [n, F], data: int32ToInt64Bytes(classes) },
      { name: "latents_values", descr: "<f8", shape: [n, F], data: float64Bytes(values) },
      {
        name: "metadata",
        descr: "|O",
        shape: [],
        data: dspritesMetadataPickle(
          `dSprites images rendered by bvae's generator (${dataset.source}), ${n} of 737280, official layout and order.`,
        ),
      },
    ],
    opts,
  );
  return n;
}
