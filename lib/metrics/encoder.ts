/**
 * What the metrics encode with: an Encoder maps images to codes (a model's posterior means, or a
 * baseline); the marks below tell the adapter (adapter.ts) whether a code cache (code-cache.ts)
 * already answers by factor classes, or must not be put in front of it.
 */
import type { ImageBatch } from "../data/dataset";

/** Maps images [n, H, W, C] to codes [n * numLatents] (row-major). */
export type Encoder = (images: ImageBatch) => Float32Array;

/** An Encoder that can also encode factor classes directly, through its cache. */
export interface FactorEncoder extends Encoder {
  /** Codes [n * numLatents] of the images of factor classes [n * numFactors]. */
  readonly byFactors: (factors: Int32Array) => Float32Array;
  /** Images encoded so far, codes served, and whether the cache stepped aside (too large). */
  readonly stats: () => { encoded: number; served: number; bypassed: boolean };
}

export function isFactorEncoder(e: Encoder): e is FactorEncoder {
  return typeof (e as Partial<FactorEncoder>).byFactors === "function";
}

/**
 * Marks an encoder whose code for an image changes from call to call (e.g. noise codes): no cache
 * is put in front of it.
 */
export function markStochastic(e: Encoder): Encoder {
  (e as Encoder & { stochastic?: boolean }).stochastic = true;
  return e;
}

export function isStochastic(e: Encoder): boolean {
  return (e as Encoder & { stochastic?: boolean }).stochastic === true;
}
