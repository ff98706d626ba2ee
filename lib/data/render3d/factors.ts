/**
 * A full-factorial grid of named factors, indexed like dSprites: index = dot(classes, bases), the
 * last factor fastest. Errors name the dataset, the factor and its size.
 */

export interface FactorSpec {
  /** e.g. "azimuth". */
  readonly name: string;
  /** latents_values: one number per class (degrees, metres, or the class itself for a category). */
  readonly values: readonly number[];
  /** Short labels for figures, one per class (e.g. "35°", "pedestal"). */
  readonly labels: readonly string[];
  /** What a value is: "degrees", "m", "category". */
  readonly unit: string;
}

export class FactorGrid {
  readonly names: readonly string[];
  readonly sizes: readonly number[];
  /** bases[f] = product of sizes[f+1..]. */
  readonly bases: readonly number[];
  readonly size: number;

  constructor(
    /** Dataset name for messages. */
    readonly dataset: string,
    readonly factors: readonly FactorSpec[],
  ) {
    for (const f of factors) {
      if (f.values.length < 1 || f.values.length !== f.labels.length) {
        throw new Error(`${dataset}: factor ${f.name} has ${f.values.length} values and ${f.labels.length} labels (need the same number, >= 1)`);
      }
    }
    this.names = factors.map((f) => f.name);
    this.sizes = factors.map((f) => f.values.length);
    const bases: number[] = new Array(factors.length);
    let b = 1;
    for (let f = factors.length - 1; f >= 0; f--) {
      bases[f] = b;
      b *= this.sizes[f];
    }
    this.bases = bases;
    this.size = b;
  }

  get numFactors(): number {
    return this.factors.length;
  }

  /** Position of a factor by name (throws naming the known ones). */
  factorIndex(name: string): number {
    const f = this.names.indexOf(name);
    if (f < 0) throw new Error(`${this.dataset}: no factor "${name}" (factors: ${this.names.join(", ")})`);
    return f;
  }

  /** Throws unless classes[offset + f] is an integer in [0, sizes[f]) for every factor. */
  check(classes: ArrayLike<number>, offset = 0): void {
    for (let f = 0; f < this.sizes.length; f++) {
      const c = classes[offset + f];
      if (!(Number.isInteger(c) && c >= 0 && c < this.sizes[f])) {
        throw new Error(`${this.dataset}: factor ${this.names[f]} class ${c} is out of range [0, ${this.sizes[f]})`);
      }
    }
  }

  /** Flat index of classes[offset .. offset + numFactors). */
  index(classes: ArrayLike<number>, offset = 0): number {
    this.check(classes, offset);
    let idx = 0;
    for (let f = 0; f < this.sizes.length; f++) idx += classes[offset + f] * this.bases[f];
    return idx;
  }

  /** Writes the classes of a flat index into out[offset ..]. */
  classes(index: number, out: Int32Array = new Int32Array(this.sizes.length), offset = 0): Int32Array {
    if (!(Number.isInteger(index) && index >= 0 && index < this.size)) {
      throw new Error(`${this.dataset}: index ${index} is out of range [0, ${this.size})`);
    }
    let rest = index;
    for (let f = 0; f < this.sizes.length; f++) {
      const c = Math.floor(rest / this.bases[f]);
      out[offset + f] = c;
      rest -= c * this.bases[f];
    }
    return out;
  }

  /** Factor values of classes[offset ..] (a latents_values row). */
  values(classes: ArrayLike<number>, offset = 0, out: Float64Array = new Float64Array(this.sizes.length)): Float64Array {
    this.check(classes, offset);
    for (let f = 0; f < this.sizes.length; f++) out[f] = this.factors[f].values[classes[offset + f]];
    return out;
  }

  /** "legStyle 4, armrests 2, ..." */
  describe(): string {
    return this.factors.map((f) => `${f.name} ${f.values.length}`).join(", ");
  }
}

/** n values from lo to hi inclusive. */
export function linspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1)));
}

/**
 * Azimuths over the full circle: k * 360 / n degrees, k = 0..n-1 (the 3D Chairs views for n = 31).
 * The camera angle of class k is its signed representative in (-180, 180], so that the class of
 * -a, (n - k) mod n, gets the exactly negated sine (camera.ts).
 */
export function circleAzimuths(n: number): { values: number[]; signed: number[]; mirror: (k: number) => number } {
  const values = Array.from({ length: n }, (_, k) => (360 * k) / n);
  const signed = values.map((_, k) => (2 * k <= n ? (360 * k) / n : -(360 * (n - k)) / n));
  return { values, signed, mirror: (k) => (n - k) % n };
}
