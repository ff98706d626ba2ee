/**
 * Histogram discretisation and discrete information measures (natural log, nats), as the
 * reference library computes them for MIG: numpy.histogram edges, numpy.digitize, and
 * sklearn.metrics.mutual_info_score.
 */

/**
 * Bins one latent into numBins equal-width bins between its min and max (numpy.histogram edges;
 * the maximum falls into the last bin, as numpy.digitize against the left edges does).
 * A constant column goes to a single bin. Returns bin indices 0..numBins-1.
 */
export function histogramBins(values: ArrayLike<number>, numBins: number): Int32Array {
  if (!Number.isInteger(numBins) || numBins < 1) throw new Error(`numBins must be a positive integer, got ${numBins}`);
  const n = values.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    if (values[i] < lo) lo = values[i];
    if (values[i] > hi) hi = values[i];
  }
  const out = new Int32Array(n);
  if (!(hi > lo)) return out; // constant: one bin
  // Left edges as numpy.linspace(lo, hi, numBins + 1)[:-1] computes them.
  const step = (hi - lo) / numBins;
  const edges = new Float64Array(numBins);
  for (let k = 0; k < numBins; k++) edges[k] = lo + k * step;
  for (let i = 0; i < n; i++) {
    // The number of left edges <= x, minus one (binary search).
    const x = values[i];
    let a = 0;
    let b = numBins; // invariant: edges[a] <= x (edges[0] = lo), answer in [a, b)
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if (edges[m] <= x) a = m;
      else b = m;
    }
    out[i] = a;
  }
  return out;
}

/** Relabels arbitrary integer labels to 0..k-1 (sorted order); returns labels and k. */
export function denseLabels(labels: ArrayLike<number>): { labels: Int32Array; numClasses: number; classes: number[] } {
  const classes = Array.from(new Set(Array.from(labels))).sort((a, b) => a - b);
  const index = new Map<number, number>();
  classes.forEach((c, i) => index.set(c, i));
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = index.get(labels[i]) as number;
  return { labels: out, numClasses: classes.length, classes };
}

/** Mutual information I(a; b) in nats of two label vectors (sklearn's mutual_info_score, clipped at 0). */
export function mutualInformation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`mutualInformation: lengths differ (${a.length} vs ${b.length})`);
  const n = a.length;
  if (n === 0) return 0;
  const da = denseLabels(a);
  const db = denseLabels(b);
  const ka = da.numClasses;
  const kb = db.numClasses;
  const joint = new Float64Array(ka * kb);
  const pa = new Float64Array(ka);
  const pb = new Float64Array(kb);
  for (let i = 0; i < n; i++) {
    joint[da.labels[i] * kb + db.labels[i]]++;
    pa[da.labels[i]]++;
    pb[db.labels[i]]++;
  }
  let mi = 0;
  for (let i = 0; i < ka; i++) {
    for (let j = 0; j < kb; j++) {
      const c = joint[i * kb + j];
      if (c > 0) mi += (c / n) * Math.log((c * n) / (pa[i] * pb[j]));
    }
  }
  return Math.max(0, mi);
}

/** Entropy H(a) in nats of a label vector. */
export function entropy(a: ArrayLike<number>): number {
  const d = denseLabels(a);
  const counts = new Float64Array(d.numClasses);
  for (let i = 0; i < a.length; i++) counts[d.labels[i]]++;
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / a.length) * Math.log(c / a.length);
  return h;
}
