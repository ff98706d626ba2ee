/**
 * Relating latents to labelled attributes where a dataset has no full set of generative factors
 * (the report's Tables 2 and 3): Pearson correlation of each latent's posterior mean with each
 * binary CelebA attribute, and normalised mutual information with discrete labels (the Chairs'
 * azimuth, elevation and chair identity). Pure functions on arrays.
 */
import { computeMig } from "../metrics/mig";

/** Pearson correlation of latent j with attribute a, [numLatents][numAttributes]. codes: [n * k]; attrs: [n * A] of +-1. */
export function latentAttributeCorrelations(codes: Float32Array, n: number, k: number, attrs: Int8Array, numAttributes: number): number[][] {
  if (codes.length !== n * k) throw new Error(`latentAttributeCorrelations: codes has ${codes.length} values, expected ${n} x ${k}`);
  if (attrs.length !== n * numAttributes) throw new Error(`latentAttributeCorrelations: attributes have ${attrs.length} values, expected ${n} x ${numAttributes}`);
  const mean = (get: (i: number) => number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += get(i);
    return s / n;
  };
  const out: number[][] = [];
  for (let j = 0; j < k; j++) {
    const mz = mean((i) => codes[i * k + j]);
    const row: number[] = [];
    for (let a = 0; a < numAttributes; a++) {
      const ma = mean((i) => attrs[i * numAttributes + a]);
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      for (let i = 0; i < n; i++) {
        const x = codes[i * k + j] - mz;
        const y = attrs[i * numAttributes + a] - ma;
        sxy += x * y;
        sxx += x * x;
        syy += y * y;
      }
      row.push(sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0);
    }
    out.push(row);
  }
  return out;
}

export interface LatentAttributeRow {
  readonly latent: string;
  readonly attribute: string;
  readonly correlation: number;
  readonly runnerUp: string;
  readonly runnerUpCorrelation: number;
}

/** For each listed latent, the two attributes with the largest |correlation| (Table 2). */
export function topAttributePerLatent(corr: number[][], names: readonly string[], latents: readonly number[]): LatentAttributeRow[] {
  return latents.map((j) => {
    const order = corr[j].map((c, a) => ({ c, a })).sort((x, y) => Math.abs(y.c) - Math.abs(x.c));
    return {
      latent: `z${j}`,
      attribute: names[order[0].a],
      correlation: order[0].c,
      runnerUp: names[order[1]?.a ?? order[0].a],
      runnerUpCorrelation: order[1]?.c ?? 0,
    };
  });
}

/** Normalised mutual information I(z_j; label) / H(label) for discrete labels, [numLatents][labels] (20-bin histograms of z). */
export function latentLabelNmi(codes: Float32Array, n: number, k: number, labels: readonly { name: string; classes: Int32Array }[]): number[][] {
  const data = new Int32Array(n * labels.length);
  labels.forEach((l, f) => {
    if (l.classes.length !== n) throw new Error(`latentLabelNmi: label "${l.name}" has ${l.classes.length} values, expected ${n}`);
    for (let i = 0; i < n; i++) data[i * labels.length + f] = l.classes[i];
  });
  const mig = computeMig({ data: codes, n, numLatents: k }, { data, n, numFactors: labels.length });
  const h = mig.details.factorEntropy;
  return mig.details.mutualInfo.map((row) => row.map((m, f) => (h[f] > 0 ? m / h[f] : 0)));
}
