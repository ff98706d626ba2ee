/**
 * A rendered dataset as an npz in the official dSprites style, readable by numpy.load:
 *   imgs             uint8   [N, 64, 64, 3]
 *   latents_classes  int64   [N, numFactors]
 *   latents_values   float64 [N, numFactors]
 *   metadata_json    uint8   [bytes] JSON (factor names, sizes, values, labels, units, fingerprint):
 *                    json.loads(bytes(f["metadata_json"])); plain bytes instead of dSprites' pickle.
 * Rows are in ascending index order.
 */
import { float64Bytes, int32ToInt64Bytes, writeNpz, type NpzArraySource } from "../npz";
import { makeRng, permutation } from "../../rng";
import type { RenderedDataset } from "./rendered-dataset";

/** Every index, or a seeded random subset of `subset` of them, ascending. */
export function selectRenderedIndices(size: number, opts: { subset?: number; seed?: number } = {}): Uint32Array {
  if (opts.subset === undefined || opts.subset >= size) return Uint32Array.from({ length: size }, (_, i) => i);
  if (!Number.isInteger(opts.subset) || opts.subset < 1) throw new Error(`export: subset ${opts.subset} must be a positive integer`);
  return permutation(size, makeRng(opts.seed ?? 0)).slice(0, opts.subset).sort();
}

/** The metadata written beside the arrays. */
export function renderedMetadata(ds: RenderedDataset): Record<string, unknown> {
  return {
    dataset: ds.name,
    description: ds.spec.description,
    fingerprint: ds.fingerprint,
    image_shape: ds.imageShape,
    latents_names: ds.factorNames,
    latents_sizes: ds.factorSizes,
    latents_possible_values: Object.fromEntries(ds.spec.grid.factors.map((f) => [f.name, f.values])),
    latents_labels: Object.fromEntries(ds.spec.grid.factors.map((f) => [f.name, f.labels])),
    latents_units: Object.fromEntries(ds.spec.grid.factors.map((f) => [f.name, f.unit])),
    index: "dot(latents_classes, bases), the last factor fastest",
  };
}

/** Writes the images of `indices` (default all) to `file`, atomically. Returns the number of rows. */
export function exportRenderedNpz(file: string, ds: RenderedDataset, indices: Uint32Array = selectRenderedIndices(ds.size), opts: { compress?: boolean } = {}): number {
  const F = ds.numFactors;
  const n = indices.length;
  if (n === 0) throw new Error(`${ds.name} export: no images selected`);
  const classes = ds.factorsOfItems(indices);
  const values = ds.factorValues(classes);
  const [h, w, c] = ds.imageShape;
  const BATCH = 1024;
  writeNpz(
    file,
    [
      {
        name: "imgs",
        descr: "|u1",
        shape: [n, h, w, c],
        chunks: function* () {
          for (let s = 0; s < n; s += BATCH) yield ds.observeBytes(classes.subarray(s * F, Math.min(n, s + BATCH) * F));
        },
      },
      { name: "latents_classes", descr: "<i8", shape: [n, F], data: int32ToInt64Bytes(classes) },
      { name: "latents_values", descr: "<f8", shape: [n, F], data: float64Bytes(values) },
      metadataArray(ds),
    ],
    opts,
  );
  return n;
}

function metadataArray(ds: RenderedDataset): NpzArraySource {
  const bytes = new Uint8Array(Buffer.from(JSON.stringify(renderedMetadata(ds)), "utf8"));
  return { name: "metadata_json", descr: "|u1", shape: [bytes.length], data: bytes };
}
