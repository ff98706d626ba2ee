/**
 * Samples of a dataset's fixed held-out split (splits.ts), for the pictures and tables that show a
 * model on images it never trained on.
 */
import type { GroundTruthDataset, ImageBatch } from "./dataset";
import { heldOutSplit, itemFactors } from "./splits";
import { makeRng } from "../rng";

export interface Sample {
  /** Item indices in the dataset. */
  readonly items: Uint32Array;
  /** Factor classes [n * numFactors]. */
  readonly factors: Int32Array;
  readonly images: ImageBatch;
}

/** n images drawn (seeded) from the fixed held-out split that training never sees. */
export function heldOutSample(dataset: GroundTruthDataset, n: number, opts: { heldOut?: number; seed?: number } = {}): Sample {
  const split = heldOutSplit(dataset.size, { heldOut: opts.heldOut ?? 10_000 });
  if (n > split.test.length) throw new Error(`heldOutSample: asked for ${n} images, the held-out split has ${split.test.length}`);
  const rng = makeRng(opts.seed ?? 0);
  const chosen = new Set<number>();
  while (chosen.size < n) chosen.add(split.test[rng.int(split.test.length)]);
  const items = Uint32Array.from(chosen);
  const factors = itemFactors(dataset, items);
  return { items, factors, images: dataset.observe(factors) };
}
