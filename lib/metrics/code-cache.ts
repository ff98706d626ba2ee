/**
 * A code cache keyed by image: each image of a full-factorial dataset is rendered and encoded at
 * most once per cache, however often the metric protocols draw it.
 *
 * Why: the reference protocols draw far more images than a dataset holds. On dSprites (737,280
 * images) the Higgins protocol draws 1.92 M images, about 683,000 distinct; all five metrics
 * draw 2.9 M, about 723,000 distinct. The encoder dominates the cost (profile: >80% of the time
 * in the wasm matrix products, <1% rendering), so this cuts the encoding work 2.8x (Higgins) to
 * 4x (all metrics).
 *
 * Same results: an image's key is its index in the factor grid (mixed radix over factorSizes,
 * last factor fastest, dSprites' official order), so the same factor classes always get the same
 * code. The codes equal those of encoding every draw, bit for bit, as long as the encoder's code
 * for one image does not depend on the other images of its batch: true of the model encoders on
 * the wasm and cpu backends (checked bitwise for batch sizes 1 to 1024 and shifted batches; a
 * test compares a cached and an uncached evaluation) and of every baseline encoder.
 *
 * Memory: size * numLatents float32 (dSprites, 10 latents: 29 MB), allocated on first use. When
 * that would exceed `maxBytes` (e.g. raw pixels as codes) the cache steps aside and every draw is
 * rendered and encoded, as without it.
 */
import type { GroundTruthDataset } from "../data/dataset";
import type { Encoder, FactorEncoder } from "./encoder";

/** Largest grid a cache is built for (keys), so a huge dataset fails clearly instead of swapping. */
export const MAX_CACHE_KEYS = 50_000_000;

export interface CodeCacheConfig {
  /** Images per call of the wrapped encoder when filling the cache. Default 1024. */
  readonly chunk: number;
  /** Bytes the codes may take (size * numLatents * 4); above it nothing is cached. Default 2 GiB. */
  readonly maxBytes: number;
}

export const CODE_CACHE_DEFAULTS: CodeCacheConfig = { chunk: 1024, maxBytes: 2 ** 31 };

/** Index of factor classes in the full grid: mixed radix, last factor fastest. */
export function gridIndex(factorSizes: readonly number[], factors: Int32Array, offset: number): number {
  let idx = 0;
  for (let f = 0; f < factorSizes.length; f++) {
    const c = factors[offset + f];
    if (!(c >= 0 && c < factorSizes[f] && Number.isInteger(c))) {
      throw new Error(`code cache: factor ${f} class ${c} is out of range [0, ${factorSizes[f]})`);
    }
    idx = idx * factorSizes[f] + c;
  }
  return idx;
}

/**
 * Wraps `encode` with a code cache for `ds`. Called with images it behaves as `encode` (no
 * caching: the images' factors are unknown); `byFactors` renders and encodes only the images not
 * seen before (in chunks of `chunk`), then gathers every requested code from the cache.
 */
export function cachedEncoder(ds: GroundTruthDataset, encode: Encoder, config: Partial<CodeCacheConfig> = {}): FactorEncoder {
  const cfg = { ...CODE_CACHE_DEFAULTS, ...config };
  const sizes = ds.factorSizes;
  const nf = ds.numFactors;
  const keys = sizes.reduce((a, b) => a * b, 1);
  if (!(keys <= MAX_CACHE_KEYS)) throw new Error(`code cache: dataset "${ds.name}" has ${keys} factor combinations, more than ${MAX_CACHE_KEYS}`);
  // state[key]: 0 = not encoded, 1 = encoded (its code is in `codes`), 2 = listed to be encoded by the current call.
  const state = new Uint8Array(keys);
  let codes: Float32Array | undefined; // [keys * numLatents], allocated on first use
  let numLatents = -1;
  let encoded = 0;
  let served = 0;
  let bypassed = false;

  const fill = (missing: Int32Array, missingKeys: Int32Array, count: number) => {
    for (let start = 0; start < count; start += cfg.chunk) {
      const m = Math.min(cfg.chunk, count - start);
      const z = encode(ds.observe(missing.subarray(start * nf, (start + m) * nf)));
      if (z.length % m !== 0) throw new Error(`encoder returned ${z.length} values for ${m} images (not a multiple)`);
      if (numLatents < 0) {
        numLatents = z.length / m;
        codes = new Float32Array(keys * numLatents);
      } else if (z.length !== m * numLatents) throw new Error(`encoder returned ${z.length / m} latents per image, earlier ${numLatents}`);
      const c = codes as Float32Array;
      for (let i = 0; i < m; i++) {
        const key = missingKeys[start + i];
        c.set(z.subarray(i * numLatents, (i + 1) * numLatents), key * numLatents);
        state[key] = 1;
      }
      encoded += m;
    }
  };

  /** Without the cache: every draw rendered and encoded, in chunks. */
  const direct = (factors: Int32Array, n: number): Float32Array => {
    const parts: Float32Array[] = [];
    for (let start = 0; start < n; start += cfg.chunk) {
      const m = Math.min(cfg.chunk, n - start);
      parts.push(encode(ds.observe(factors.subarray(start * nf, (start + m) * nf))));
      encoded += m;
    }
    const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let off = 0;
    for (const p of parts) {
      out.set(p, off);
      off += p.length;
    }
    served += n;
    return out;
  };

  const byFactors = (factors: Int32Array): Float32Array => {
    if (factors.length % nf !== 0) throw new Error(`code cache: factors length ${factors.length} is not a multiple of ${nf}`);
    const n = factors.length / nf;
    if (bypassed) return direct(factors, n);
    if (numLatents < 0 && n > 0) {
      // Learn the code width from one image before allocating the cache.
      const z = encode(ds.observe(factors.subarray(0, nf)));
      if (keys * z.length * 4 > cfg.maxBytes) {
        bypassed = true;
        return direct(factors, n);
      }
    }
    const idx = new Int32Array(n);
    const missing = new Int32Array(n * nf);
    const missingKeys = new Int32Array(n);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const key = gridIndex(sizes, factors, i * nf);
      idx[i] = key;
      if (state[key] === 0) {
        state[key] = 2; // pending: listed once even if drawn twice in this call
        missing.set(factors.subarray(i * nf, (i + 1) * nf), count * nf);
        missingKeys[count++] = key;
      }
    }
    try {
      fill(missing, missingKeys, count);
    } finally {
      for (let i = 0; i < count; i++) if (state[missingKeys[i]] === 2) state[missingKeys[i]] = 0;
    }
    if (n === 0) return new Float32Array(0);
    const c = codes as Float32Array;
    const out = new Float32Array(n * numLatents);
    for (let i = 0; i < n; i++) out.set(c.subarray(idx[i] * numLatents, (idx[i] + 1) * numLatents), i * numLatents);
    served += n;
    return out;
  };

  const wrapped = ((images) => encode(images)) as Encoder & { byFactors?: unknown; stats?: unknown };
  wrapped.byFactors = byFactors;
  wrapped.stats = () => ({ encoded, served, bypassed });
  return wrapped as FactorEncoder;
}
