/**
 * The data order and the noise of a run, as pure functions of (seed, step): a run resumed at any
 * step draws exactly the batches and the reparameterisation noise of an uninterrupted one, with
 * no random-generator state to save.
 *
 * Batches are drawn without replacement within an epoch over the training items (the dataset
 * minus the fixed held-out split of lib/data/splits.ts): epoch e is a permutation seeded by
 * (seed, e), and step s takes its (s mod batchesPerEpoch)-th slice. The incomplete tail of an
 * epoch is dropped, as PyTorch's DataLoader(drop_last=True) does.
 */
import type { GroundTruthDataset, ImageBatch } from "../data/dataset";
import { heldOutSplit, itemFactors, DEFAULT_SPLIT } from "../data/splits";
import { makeRng, permutation } from "../rng";

/** Streams of randomness derived from one seed. */
export type RandomStream = "batch" | "noise";

const STREAM_TAG: Record<RandomStream, number> = { batch: 0x9e3779b9, noise: 0x85ebca6b };

/** A well-mixed 32-bit seed from (seed, index, stream) (murmur3's finaliser on a combination). */
export function streamSeed(seed: number, index: number, stream: RandomStream): number {
  let h = (seed ^ STREAM_TAG[stream]) >>> 0;
  h = Math.imul(h ^ (index >>> 0), 0xcc9e2d51) >>> 0;
  h = Math.imul(h ^ Math.floor(index / 2 ** 32), 0x1b873593) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

export class BatchSchedule {
  /** Training items (the dataset's items minus the held-out split), ascending. */
  readonly trainItems: Uint32Array;
  readonly batchesPerEpoch: number;
  private cachedEpoch = -1;
  private cachedOrder: Uint32Array = new Uint32Array(0);

  constructor(
    readonly dataset: GroundTruthDataset,
    readonly seed: number,
    readonly batchSize: number,
    /** Items held out (never trained on); the split's own seed is fixed (lib/data/splits.ts). */
    readonly heldOut: number,
  ) {
    if (dataset.size - heldOut < batchSize) {
      // A small image folder: say what to change rather than failing inside the split.
      const most = dataset.size - batchSize;
      throw new Error(
        `${dataset.name} (${dataset.source}) has ${dataset.size} images: holding out ${heldOut} (TrainConfig.heldOut) leaves ${Math.max(0, dataset.size - heldOut)} to train on, fewer than one batch of ${batchSize}; ` +
          (most >= 0 ? `hold out at most ${most} (bvae train --held-out N, a new run) or add images` : `the folder needs at least ${batchSize} images`),
      );
    }
    this.trainItems =
      heldOut > 0 ? heldOutSplit(dataset.size, { heldOut, seed: DEFAULT_SPLIT.seed }).train : Uint32Array.from({ length: dataset.size }, (_, i) => i);
    this.batchesPerEpoch = Math.floor(this.trainItems.length / batchSize);
  }

  /** The items of update `step`, [batchSize]. */
  itemsAt(step: number): Uint32Array {
    const epoch = Math.floor(step / this.batchesPerEpoch);
    if (epoch !== this.cachedEpoch) {
      const perm = permutation(this.trainItems.length, makeRng(streamSeed(this.seed, epoch, "batch")));
      for (let i = 0; i < perm.length; i++) perm[i] = this.trainItems[perm[i]];
      this.cachedOrder = perm;
      this.cachedEpoch = epoch;
    }
    const start = (step % this.batchesPerEpoch) * this.batchSize;
    return this.cachedOrder.slice(start, start + this.batchSize);
  }

  /** The images of update `step`. */
  batchAt(step: number): ImageBatch {
    return this.dataset.observe(itemFactors(this.dataset, this.itemsAt(step)));
  }
}
