/**
 * The dSprites specification: factor names, sizes, values and index order, exactly as in the
 * official file `dsprites_ndarray_co1sh3sc6or40x32y32_64x64.npz` (its `metadata` dict).
 *
 * index = dot(classes, DSPRITES_BASES); posY varies fastest. Color has a single value.
 */

export const DSPRITES_FACTOR_NAMES = ["color", "shape", "scale", "orientation", "posX", "posY"] as const;
export type DspritesFactorName = (typeof DSPRITES_FACTOR_NAMES)[number];

/** latents_sizes of the official file: [1, 3, 6, 40, 32, 32]. */
export const DSPRITES_FACTOR_SIZES: readonly number[] = [1, 3, 6, 40, 32, 32];
/** Index bases: [737280, 245760, 40960, 1024, 32, 1]. */
export const DSPRITES_BASES: readonly number[] = [737280, 245760, 40960, 1024, 32, 1];
export const DSPRITES_SIZE = 737280;
export const DSPRITES_NUM_FACTORS = 6;
export const DSPRITES_IMAGE_SIZE = 64;

/** Shape class 0, 1, 2 (the official values are 1, 2, 3). */
export const DSPRITES_SHAPES = ["square", "ellipse", "heart"] as const;
export type DspritesShape = (typeof DSPRITES_SHAPES)[number];

function linspace(lo: number, hi: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + ((hi - lo) * i) / (n - 1);
  return out;
}

/** latents_possible_values, per factor, in the official order. */
export const DSPRITES_FACTOR_VALUES: readonly Float64Array[] = [
  Float64Array.of(1), // color: white
  Float64Array.of(1, 2, 3), // shape: square, ellipse, heart
  linspace(0.5, 1, 6), // scale
  linspace(0, 2 * Math.PI, 40), // orientation, both ends present (step 2pi/39)
  linspace(0, 1, 32), // posX (step 1/31)
  linspace(0, 1, 32), // posY
];

/** Flat index of one factor-class vector (classes[offset .. offset + 6)). */
export function dspritesIndex(classes: ArrayLike<number>, offset = 0): number {
  let idx = 0;
  for (let f = 0; f < DSPRITES_NUM_FACTORS; f++) {
    const c = classes[offset + f];
    if (!Number.isInteger(c) || c < 0 || c >= DSPRITES_FACTOR_SIZES[f]) {
      throw new Error(
        `dsprites: factor ${DSPRITES_FACTOR_NAMES[f]} class ${c} is out of range [0, ${DSPRITES_FACTOR_SIZES[f]})`,
      );
    }
    idx += c * DSPRITES_BASES[f];
  }
  return idx;
}

/** Writes the 6 factor classes of a flat index into out[offset .. offset + 6). */
export function dspritesClasses(index: number, out: Int32Array = new Int32Array(6), offset = 0): Int32Array {
  if (!Number.isInteger(index) || index < 0 || index >= DSPRITES_SIZE) {
    throw new Error(`dsprites: index ${index} is out of range [0, ${DSPRITES_SIZE})`);
  }
  let rest = index;
  for (let f = 0; f < DSPRITES_NUM_FACTORS; f++) {
    const c = Math.floor(rest / DSPRITES_BASES[f]);
    out[offset + f] = c;
    rest -= c * DSPRITES_BASES[f];
  }
  return out;
}

/** Factor classes -> factor values (the official latents_values row). */
export function dspritesValues(classes: ArrayLike<number>, offset = 0, out = new Float64Array(6)): Float64Array {
  for (let f = 0; f < DSPRITES_NUM_FACTORS; f++) out[f] = DSPRITES_FACTOR_VALUES[f][classes[offset + f]];
  return out;
}
