/**
 * The baselines of the Higgins et al. (2017) metric table on a ground-truth dataset, with the same
 * protocol as every model (adapter.ts: 10,000 / 5,000 points of 64 pairs, logistic regression):
 * ground truth, raw pixels, PCA, ICA (FastICA) and an untrained VAE, printed beside the published
 * numbers.
 *
 * All image-based baselines are scored on the very same pairs: one pass renders the images once
 * and a combined encoder returns every baseline's codes side by side; the feature columns are then
 * split per baseline. The ground-truth row uses the factor classes themselves as codes (the same
 * sampling sequence, on a stand-in dataset whose "images" are the factors).
 */
import type { GroundTruthDataset, ImageBatch } from "../data/dataset";
import { makeRng } from "../rng";
import { ADAPTER_DEFAULTS, sampleHigginsPoints, varyingFactors } from "../metrics/adapter";
import { cachedEncoder } from "../metrics/code-cache";
import { isFactorEncoder, type Encoder } from "../metrics/encoder";
import { computeHiggins, type HigginsDetails, type HigginsPoints } from "../metrics/higgins";
import { syntheticDataset, syntheticEncoder } from "../metrics/synthetic";
import type { MetricScore } from "../metrics/types";
import { fitPca, pcaEncoder } from "./pca";
import { fitFastIca, fastIcaEncoder } from "./fastica";
import { pixelEncoder } from "./pixels";

export type BaselineName = "ground-truth" | "raw-pixels" | "pca" | "ica" | "untrained-vae";

export const BASELINE_NAMES: readonly BaselineName[] = ["ground-truth", "raw-pixels", "pca", "ica", "untrained-vae"];

/** Higgins et al. 2017, Table: disentanglement metric accuracy (%) on dSprites, mean +- std. */
export const PUBLISHED_HIGGINS: Readonly<Record<BaselineName, { readonly mean: number; readonly std: number | null }>> = {
  "ground-truth": { mean: 100, std: null },
  "raw-pixels": { mean: 45.75, std: 0.8 },
  pca: { mean: 84.9, std: 0.4 },
  ica: { mean: 42.03, std: 10.6 },
  "untrained-vae": { mean: 44.14, std: 2.5 },
};

export interface HigginsTableConfig {
  readonly numTrain: number;
  readonly numEval: number;
  readonly batchSize: number;
  readonly seed: number;
  /** Images PCA and ICA are fitted on. Default 10000. */
  readonly numFitImages: number;
  /** PCA / ICA components (the models' latent size). Default 10. */
  readonly numComponents: number;
  readonly baselines: readonly BaselineName[];
  /** Encoder of an untrained VAE (built by the caller: it needs a TensorFlow.js backend). */
  readonly untrainedVae: Encoder | null;
  /** Encode each distinct image once per baseline (code-cache.ts; same scores). Default true. */
  readonly cacheCodes: boolean;
}

export const HIGGINS_TABLE_DEFAULTS: HigginsTableConfig = {
  numTrain: ADAPTER_DEFAULTS.numTrain,
  numEval: ADAPTER_DEFAULTS.numEval,
  batchSize: ADAPTER_DEFAULTS.batchSize,
  seed: 0,
  numFitImages: 10000,
  numComponents: 10,
  baselines: BASELINE_NAMES,
  untrainedVae: null,
  cacheCodes: true,
};

export interface HigginsTableRow {
  readonly baseline: BaselineName;
  /** Measured accuracy, percent. */
  readonly accuracy: number;
  readonly published: { readonly mean: number; readonly std: number | null };
  readonly score: MetricScore<HigginsDetails>;
}

function slicePoints(p: HigginsPoints, from: number, to: number): HigginsPoints {
  const dim = to - from;
  const features = new Float32Array(p.numPoints * dim);
  for (let i = 0; i < p.numPoints; i++) for (let j = 0; j < dim; j++) features[i * dim + j] = p.features[i * p.dim + from + j];
  return { features, labels: p.labels, numPoints: p.numPoints, dim };
}

/** Computes the requested rows; `log` receives progress lines. */
export function higginsBaselineTable(
  ds: GroundTruthDataset, config: Partial<HigginsTableConfig> = {}, log: (line: string) => void = () => {},
): HigginsTableRow[] {
  const cfg = { ...HIGGINS_TABLE_DEFAULTS, ...config };
  const numFactors = varyingFactors(ds).indices.length;
  const rows: HigginsTableRow[] = [];
  const record = (baseline: BaselineName, train: HigginsPoints, evalPoints: HigginsPoints) => {
    const score = computeHiggins(train, evalPoints, { numFactors, batchSize: cfg.batchSize, seed: cfg.seed });
    rows.push({ baseline, accuracy: 100 * score.value, published: PUBLISHED_HIGGINS[baseline], score });
    log(`${baseline}: ${(100 * score.value).toFixed(2)}% (published ${PUBLISHED_HIGGINS[baseline].mean})`);
  };
  if (cfg.baselines.includes("ground-truth")) {
    const gt = syntheticDataset(ds.factorSizes, ds.factorNames);
    const enc = syntheticEncoder(gt, "identity");
    const rng = makeRng(cfg.seed);
    const tr = sampleHigginsPoints(gt, enc, cfg.numTrain, cfg.batchSize, rng);
    const ev = sampleHigginsPoints(gt, enc, cfg.numEval, cfg.batchSize, rng);
    record("ground-truth", tr, ev);
  }
  // Image-based baselines: fit, then one combined encoder.
  const parts: { name: BaselineName; encode: Encoder }[] = [];
  const needFit = cfg.baselines.includes("pca") || cfg.baselines.includes("ica");
  if (needFit) {
    const fitRng = makeRng(cfg.seed + 1);
    const fitImages = ds.observe(ds.sampleFactors(cfg.numFitImages, fitRng));
    const dim = fitImages.height * fitImages.width * fitImages.channels;
    if (cfg.baselines.includes("pca")) {
      const t0 = Date.now();
      const pca = fitPca(fitImages.data, fitImages.n, dim, { numComponents: cfg.numComponents, seed: cfg.seed });
      log(`PCA fitted on ${fitImages.n} images in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      parts.push({ name: "pca", encode: pcaEncoder(pca) });
    }
    if (cfg.baselines.includes("ica")) {
      const t0 = Date.now();
      const ica = fitFastIca(fitImages.data, fitImages.n, dim, { numComponents: cfg.numComponents, seed: cfg.seed });
      log(`FastICA fitted in ${((Date.now() - t0) / 1000).toFixed(1)} s (${ica.iterations} iterations, converged ${ica.converged})`);
      parts.push({ name: "ica", encode: fastIcaEncoder(ica) });
    }
  }
  if (cfg.baselines.includes("untrained-vae")) {
    if (!cfg.untrainedVae) throw new Error("higginsBaselineTable: the untrained-vae row needs config.untrainedVae (an encoder)");
    parts.push({ name: "untrained-vae", encode: cfg.untrainedVae });
  }
  if (cfg.baselines.includes("raw-pixels")) parts.push({ name: "raw-pixels", encode: pixelEncoder });
  if (parts.length === 0) return rows;
  // Each part with small codes gets a code cache (each distinct image encoded once; raw pixels
  // are too wide and bypass it). The combined encoder renders a chunk's images at most once.
  const cached = parts.map((p) => (cfg.cacheCodes ? cachedEncoder(ds, p.encode, { chunk: ADAPTER_DEFAULTS.encodeChunk }) : p.encode));
  const widths: number[] = [];
  const join = (codes: Float32Array[], n: number): Float32Array => {
    codes.forEach((c, i) => (widths[i] = c.length / n));
    const total = widths.reduce((a, b) => a + b, 0);
    const out = new Float32Array(n * total);
    for (let r = 0; r < n; r++) {
      let off = r * total;
      codes.forEach((c, i) => {
        out.set(c.subarray(r * widths[i], (r + 1) * widths[i]), off);
        off += widths[i];
      });
    }
    return out;
  };
  const combinedImages: Encoder = (images: ImageBatch) => join(cached.map((e) => e(images)), images.n);
  const combined: Encoder = Object.assign(combinedImages, {
    byFactors: (factors: Int32Array): Float32Array => {
      let images: ImageBatch | undefined;
      const codes = cached.map((e) => {
        if (isFactorEncoder(e) && !e.stats().bypassed) return e.byFactors(factors);
        images ??= ds.observe(factors);
        return e(images);
      });
      return join(codes, factors.length / ds.numFactors);
    },
    // Summed over the baselines' caches (a bypassed cache counts only its first chunk: later ones go by images).
    stats: () =>
      cached.reduce(
        (acc, e) => (isFactorEncoder(e) ? { encoded: acc.encoded + e.stats().encoded, served: acc.served + e.stats().served, bypassed: false } : acc),
        { encoded: 0, served: 0, bypassed: false },
      ),
  });
  const rng = makeRng(cfg.seed);
  let t0 = Date.now();
  // A line at each quarter: encoding the points is most of the table's time (minutes at the paper's protocol).
  const quarters = (what: string) => {
    let said = 0;
    return (done: number, total: number) => {
      const q = Math.floor((4 * done) / total);
      if (q > said && done < total) log(`${what}: ${done} of ${total} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      said = Math.max(said, q);
    };
  };
  const tr = sampleHigginsPoints(ds, combined, cfg.numTrain, cfg.batchSize, rng, undefined, quarters("training points"));
  log(`training points: ${cfg.numTrain} x ${2 * cfg.batchSize} images in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  t0 = Date.now();
  const ev = sampleHigginsPoints(ds, combined, cfg.numEval, cfg.batchSize, rng, undefined, quarters("evaluation points"));
  log(`evaluation points: ${cfg.numEval} x ${2 * cfg.batchSize} images in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  let from = 0;
  parts.forEach((p, i) => {
    const to = from + widths[i];
    record(p.name, slicePoints(tr, from, to), slicePoints(ev, from, to));
    from = to;
  });
  const order = new Map(BASELINE_NAMES.map((b, i) => [b, i]));
  return rows.sort((a, b) => (order.get(a.baseline) as number) - (order.get(b.baseline) as number));
}

/** The table as aligned text, measured beside published. */
export function formatHigginsTable(rows: readonly HigginsTableRow[]): string {
  const lines = ["| baseline | measured (%) | published (%) | train acc (%) | points (train/eval) | seed |", "|---|---|---|---|---|---|"];
  for (const r of rows) {
    const pub = r.published.std === null ? `${r.published.mean}` : `${r.published.mean} +- ${r.published.std}`;
    lines.push(
      `| ${r.baseline} | ${r.accuracy.toFixed(2)} | ${pub} | ${(100 * r.score.details.trainAccuracy).toFixed(2)} | ${r.score.numTrain}/${r.score.numEval} | ${r.score.seed} |`,
    );
  }
  return lines.join("\n");
}
