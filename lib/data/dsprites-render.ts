/**
 * The dSprites rasteriser: fills the 64x64 pixels whose centres lie inside the transformed outline
 * (point sampling at pixel centres, even-odd rule, half-open edges). This rule reproduced the
 * official frames exactly for the square (all side lengths 10..20 px at orientation 0, area
 * 368 ~ 19.2^2 when rotated), so no anti-aliasing and no threshold are needed: output is binary.
 *
 * Geometry (canvas units, 1 = 64 px, y down):
 *   centre   = (0.25 + 0.5 * posX, 0.25 + 0.5 * posY)          (16..48 px, 32/31 px per class)
 *   point    = centre + scale * R(orientation) * outlinePoint
 *   R(t)     = [[cos t, sin t], [-sin t, cos t]]                 (counter-clockwise on screen)
 *
 * Speed: rows of the outline depend on (shape, scale, orientation, posY) only, and posX only shifts
 * them. For each (shape, scale, orientation) the row spans of all 32 posY values are computed once
 * (lazily) and cached, so an image costs ~20 rows x 1-2 span fills.
 */
import {
  DSPRITES_FACTOR_SIZES,
  DSPRITES_FACTOR_VALUES,
  DSPRITES_IMAGE_SIZE,
  DSPRITES_NUM_FACTORS,
  DSPRITES_SHAPES,
} from "./dsprites-spec";
import { shapeOutline, type Outline } from "./dsprites-shapes";

const S = DSPRITES_IMAGE_SIZE;
const NUM_POS = DSPRITES_FACTOR_SIZES[5];
/** Position of the sprite centre in pixels for a position class (x and y alike). */
export function centrePixels(posClass: number): number {
  return S * (0.25 + 0.5 * DSPRITES_FACTOR_VALUES[4][posClass]);
}

/** Row spans of one (shape, scale, orientation) for every posY class. */
interface SpanGroup {
  /** Triples (row, xStart, xEnd), xStart/xEnd relative to the centre, in pixels. */
  readonly spans: Float64Array;
  /** spans of posY class k are triples spanStart[k] .. spanStart[k + 1]. */
  readonly spanStart: Int32Array;
}

/** The outline in pixels, rotated and scaled, relative to the centre: flat [x, y, ...]. */
export function transformedOutline(shape: number, scale: number, orientation: number): Float64Array {
  const outline: Outline = shapeOutline(DSPRITES_SHAPES[shape]);
  const s = S * DSPRITES_FACTOR_VALUES[2][scale];
  const t = DSPRITES_FACTOR_VALUES[3][orientation];
  const c = Math.cos(t);
  const sn = Math.sin(t);
  const out = new Float64Array(outline.length);
  for (let i = 0; i < outline.length; i += 2) {
    const u = outline[i];
    const v = outline[i + 1];
    out[i] = s * (c * u + sn * v);
    out[i + 1] = s * (-sn * u + c * v);
  }
  return out;
}

function buildGroup(shape: number, scale: number, orientation: number): SpanGroup {
  const poly = transformedOutline(shape, scale, orientation);
  const nv = poly.length / 2;
  const spans: number[] = [];
  const spanStart = new Int32Array(NUM_POS + 1);
  // Crossings per image row, found edge by edge: each edge only visits the rows it spans
  // (O(crossings) instead of O(rows x edges)); the exact half-open test decides.
  const rowXs: number[][] = Array.from({ length: S }, () => []);
  for (let k = 0; k < NUM_POS; k++) {
    spanStart[k] = spans.length / 3;
    const cy = centrePixels(k);
    for (const xs of rowXs) xs.length = 0;
    for (let i = 0; i < nv; i++) {
      const j = i === nv - 1 ? 0 : i + 1;
      const x1 = poly[2 * i];
      const y1 = poly[2 * i + 1];
      const x2 = poly[2 * j];
      const y2 = poly[2 * j + 1];
      if (y1 === y2) continue; // horizontal edges never cross a row centre half-open
      const lo = Math.max(0, Math.floor(Math.min(y1, y2) + cy - 0.5) - 1);
      const hi = Math.min(S - 1, Math.ceil(Math.max(y1, y2) + cy - 0.5) + 1);
      for (let row = lo; row <= hi; row++) {
        const yc = row + 0.5 - cy; // pixel-centre row relative to the sprite centre
        if (y1 <= yc !== y2 <= yc) rowXs[row].push(x1 + ((yc - y1) * (x2 - x1)) / (y2 - y1));
      }
    }
    for (let row = 0; row < S; row++) {
      const xs = rowXs[row];
      if (xs.length === 0) continue;
      for (let i = 1; i < xs.length; i++) {
        // insertion sort: rows have 2-6 crossings
        const v = xs[i];
        let j = i - 1;
        for (; j >= 0 && xs[j] > v; j--) xs[j + 1] = xs[j];
        xs[j + 1] = v;
      }
      for (let i = 0; i + 1 < xs.length; i += 2) spans.push(row, xs[i], xs[i + 1]);
    }
  }
  spanStart[NUM_POS] = spans.length / 3;
  return { spans: Float64Array.from(spans), spanStart };
}

const groups: (SpanGroup | undefined)[] = new Array(
  DSPRITES_FACTOR_SIZES[1] * DSPRITES_FACTOR_SIZES[2] * DSPRITES_FACTOR_SIZES[3],
);

function group(shape: number, scale: number, orientation: number): SpanGroup {
  const key = (shape * DSPRITES_FACTOR_SIZES[2] + scale) * DSPRITES_FACTOR_SIZES[3] + orientation;
  let g = groups[key];
  if (g === undefined) {
    g = buildGroup(shape, scale, orientation);
    groups[key] = g;
  }
  return g;
}

/** Builds the whole span cache now (all 720 groups); returns the seconds it took. */
export function prepareDspritesCache(): number {
  const t0 = process.hrtime.bigint();
  for (let shape = 0; shape < DSPRITES_FACTOR_SIZES[1]; shape++) {
    for (let scale = 0; scale < DSPRITES_FACTOR_SIZES[2]; scale++) {
      for (let o = 0; o < DSPRITES_FACTOR_SIZES[3]; o++) group(shape, scale, o);
    }
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/**
 * Renders image i of `factors` ([n * 6] classes) as 0/1 into out[i * 4096 ...]. `out` must be
 * zero where the images go (a fresh typed array is). Classes are checked.
 */
export function renderDsprites(factors: Int32Array, out: Float32Array | Uint8Array, n = factors.length / 6): void {
  const F = DSPRITES_NUM_FACTORS;
  if (factors.length < n * F) throw new Error(`dsprites: factors has ${factors.length} entries, need ${n * F}`);
  if (out.length < n * S * S) throw new Error(`dsprites: output holds ${out.length} pixels, need ${n * S * S}`);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < F; f++) {
      const c = factors[i * F + f];
      if (!(c >= 0 && c < DSPRITES_FACTOR_SIZES[f] && Number.isInteger(c))) {
        throw new Error(`dsprites: image ${i}: factor ${f} class ${c} is out of range [0, ${DSPRITES_FACTOR_SIZES[f]})`);
      }
    }
    const g = group(factors[i * F + 1], factors[i * F + 2], factors[i * F + 3]);
    const cx = centrePixels(factors[i * F + 4]);
    const k = factors[i * F + 5];
    const base = i * S * S;
    const sp = g.spans;
    for (let t = g.spanStart[k]; t < g.spanStart[k + 1]; t++) {
      const row = sp[3 * t];
      const c0 = Math.max(0, Math.ceil(sp[3 * t + 1] + cx - 0.5));
      const c1 = Math.min(S, Math.ceil(sp[3 * t + 2] + cx - 0.5));
      const o = base + row * S;
      for (let c = c0; c < c1; c++) out[o + c] = 1;
    }
  }
}
