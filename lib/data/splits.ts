/**
 * A fixed held-out split and seeded random minibatches over a GroundTruthDataset.
 *
 * Items are 0..size-1: for a full factorial dataset, item = flat index (dot(classes, bases));
 * a dataset can map items itself through `factorsOfItems` (e.g. a subset file's rows).
 * Batches are rendered on demand, so the whole set is never held as float32.
 */
import type { GroundTruthDataset, ImageBatch } from "./dataset";
import { makeRng, permutation, type Rng } from "../rng";

export interface SplitConfig {
  /** Number of held-out items. Default 10,000 (the field's num_eval is 5,000; this leaves room). */
  readonly heldOut?: number;
  /** Seed of the permutation that picks them. Default 2017: fixed, so the split never changes. */
  readonly seed?: number;
}

export const DEFAULT_SPLIT: Required<SplitConfig> = { heldOut: 10_000, seed: 2017 };

export interface Split {
  /** Training items (ascending). */
  readonly train: Uint32Array;
  /** Held-out items (ascending), disjoint from train. */
  readonly test: Uint32Array;
  readonly seed: number;
}

/** Deterministic for (size, heldOut, seed): the first `heldOut` items of a seeded permutation. */
export function heldOutSplit(size: number, cfg: SplitConfig = {}): Split {
  const { heldOut, seed } = { ...DEFAULT_SPLIT, ...cfg };
  if (!Number.isInteger(heldOut) || heldOut < 0 || heldOut >= size) {
    throw new Error(`heldOutSplit: heldOut ${heldOut} must be an integer in [0, ${size})`);
  }
  const perm = permutation(size, makeRng(seed));
  const test = perm.slice(0, heldOut).sort();
  const train = perm.slice(heldOut).sort();
  return { train, test, seed };
}

/** Factor classes of items; uses the dataset's own mapping when it has one. */
export function itemFactors(dataset: GroundTruthDataset, items: ArrayLike<number>): Int32Array {
  const own = (dataset as { factorsOfItems?: (items: ArrayLike<number>) => Int32Array }).factorsOfItems;
  if (typeof own === "function") return own.call(dataset, items);
  const F = dataset.numFactors;
  const out = new Int32Array(items.length * F);
  for (let i = 0; i < items.length; i++) {
    let rest = items[i];
    if (!(rest >= 0 && rest < dataset.size)) throw new Error(`itemFactors: item ${rest} out of range [0, ${dataset.size})`);
    for (let f = F - 1; f >= 0; f--) {
      out[i * F + f] = rest % dataset.factorSizes[f];
      rest = Math.floor(rest / dataset.factorSizes[f]);
    }
  }
  return out;
}

export interface Minibatch {
  /** The items drawn, [batchSize]. */
  readonly items: Uint32Array;
  /** Their factor classes, [batchSize * numFactors]. */
  readonly factors: Int32Array;
  /** Their images, NHWC float32. */
  readonly images: ImageBatch;
}

/**
 * A seeded order over items, without replacement within an epoch: each epoch is a fresh
 * permutation and an incomplete tail is dropped (like drop_last). Shared by the minibatch
 * iterators of ground-truth datasets (below) and of image folders (image-folder.ts).
 */
export class EpochOrder {
  private readonly rng: Rng;
  private order: Uint32Array;
  private pos = 0;
  /** Completed passes over the items. */
  epoch = 0;

  constructor(
    private readonly items: Uint32Array,
    readonly batchSize: number,
    seed: number,
  ) {
    this.rng = makeRng(seed);
    this.order = this.shuffle();
  }

  private shuffle(): Uint32Array {
    const p = permutation(this.items.length, this.rng);
    for (let i = 0; i < p.length; i++) p[i] = this.items[p[i]];
    return p;
  }

  /** The next batch of items. */
  next(): Uint32Array {
    if (this.pos + this.batchSize > this.order.length) {
      this.order = this.shuffle();
      this.pos = 0;
      this.epoch++;
    }
    const items = this.order.slice(this.pos, this.pos + this.batchSize);
    this.pos += this.batchSize;
    return items;
  }
}

/**
 * Seeded random minibatches without replacement within an epoch (reshuffled every epoch).
 * Memory: one permutation of the items (4 bytes each) plus the current batch.
 */
export class Minibatches {
  private readonly order: EpochOrder;

  constructor(
    private readonly dataset: GroundTruthDataset,
    items: Uint32Array,
    readonly batchSize: number,
    readonly seed: number,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > items.length) {
      throw new Error(`Minibatches: batchSize ${batchSize} must be in [1, ${items.length}]`);
    }
    this.order = new EpochOrder(items, batchSize, seed);
  }

  /** Completed passes over the items. */
  get epoch(): number {
    return this.order.epoch;
  }

  /** The next batch's items only (no rendering). */
  nextItems(): Uint32Array {
    return this.order.next();
  }

  next(): Minibatch {
    const items = this.nextItems();
    const factors = itemFactors(this.dataset, items);
    return { items, factors, images: this.dataset.observe(factors) };
  }
}
