/**
 * The three dSprites outlines as vector paths on a canvas normalised to size 1 (1 = 64 px),
 * at scale 1, orientation 0, centred on the rotation centre. y points down (image rows).
 *
 * All sizes were calibrated against the 320 frames of the official repository's dsprites.gif
 * (see docs/dsprites.md for the measurement): the square and ellipse by a grid search over their
 * size, the heart by fitting its boundary radius in 2-degree bins to all 174 heart frames.
 */
import type { DspritesShape } from "./dsprites-spec";

/** Square half side: 0.15 (side 0.3 = 19.2 px at scale 1; fits all 46 square frames but 8 px). */
export const SQUARE_HALF_SIDE = 0.15;
/** Ellipse semi-axes (major along x at orientation 0): 12.77 px and 7.21 px at scale 1. */
export const ELLIPSE_SEMI_AXES: readonly [number, number] = [12.77 / 64, 7.21 / 64];
/** Vertices of the polygon that approximates the ellipse (max deviation 0.002 px at scale 1). */
const ELLIPSE_VERTICES = 192;

/**
 * Right half of the heart, from the notch (top, y < 0) clockwise to the tip (bottom), in canvas
 * units. Measured in two steps (docs/dsprites.md): (1) the boundary radius around the rotation
 * centre, in 2-degree bins, that best separates the lit and dark pixels of all heart frames mapped
 * back to shape coordinates, made left-right symmetric; (2) each vertex radius then nudged
 * (coordinate descent, steps 0.2 -> 0.025 px) while the rendered frames' wrong pixels decreased.
 * The left half is the mirror image. Lobes at the top, tip at the bottom.
 */
const HEART_RIGHT_HALF: readonly (readonly [number, number])[] = [
  [0.0, -0.0798], [0.0051, -0.0968], [0.009, -0.1027], [0.0138, -0.1123], [0.0189, -0.119],
  [0.0241, -0.1241], [0.03, -0.1298], [0.0358, -0.1337], [0.0422, -0.1382], [0.0483, -0.1403],
  [0.0549, -0.1431], [0.0618, -0.1456], [0.0676, -0.145], [0.0748, -0.1468], [0.0815, -0.147],
  [0.0867, -0.1442], [0.0929, -0.1431], [0.0979, -0.1398], [0.1053, -0.1398], [0.1102, -0.1361],
  [0.1148, -0.1321], [0.12, -0.1287], [0.1249, -0.1249], [0.1287, -0.12], [0.1326, -0.1153],
  [0.1361, -0.1102], [0.1385, -0.1044], [0.1424, -0.0997], [0.1458, -0.0947], [0.1468, -0.0882],
  [0.1473, -0.0817], [0.15, -0.0764], [0.1499, -0.0699], [0.1503, -0.0638], [0.1492, -0.0573],
  [0.1494, -0.0514], [0.1478, -0.0452], [0.1461, -0.0392], [0.1448, -0.0334], [0.1403, -0.0273],
  [0.1408, -0.0223], [0.1374, -0.0169], [0.1352, -0.0118], [0.1313, -0.0069], [0.1279, -0.0022],
  [0.128, 0.0022], [0.1195, 0.0063], [0.1232, 0.0108], [0.1139, 0.014], [0.1118, 0.0177],
  [0.11, 0.0214], [0.1068, 0.0247], [0.1028, 0.0275], [0.1013, 0.031], [0.0974, 0.0335],
  [0.0955, 0.0366], [0.0926, 0.0393], [0.0912, 0.0425], [0.089, 0.0454], [0.0839, 0.0465],
  [0.083, 0.0499], [0.0807, 0.0524], [0.0771, 0.054], [0.0747, 0.0563], [0.0723, 0.0585],
  [0.07, 0.0608], [0.0671, 0.0626], [0.0659, 0.0659], [0.0626, 0.0671], [0.0606, 0.0698],
  [0.0585, 0.0723], [0.0572, 0.076], [0.0522, 0.0746], [0.05, 0.0769], [0.0499, 0.083],
  [0.0465, 0.0839], [0.0438, 0.086], [0.0419, 0.0899], [0.0387, 0.0912], [0.0361, 0.094],
  [0.0335, 0.0974], [0.0303, 0.0991], [0.0282, 0.1051], [0.0249, 0.108], [0.0214, 0.11],
  [0.0183, 0.1154], [0.0148, 0.1206], [0.011, 0.1263], [0.007, 0.1328], [0.0, 0.1508],
];

/** A closed polygon as flat [x0, y0, x1, y1, ...] in canvas units. */
export type Outline = Float64Array;

function squareOutline(): Outline {
  const h = SQUARE_HALF_SIDE;
  return Float64Array.of(-h, -h, h, -h, h, h, -h, h);
}

function ellipseOutline(): Outline {
  const [a, b] = ELLIPSE_SEMI_AXES;
  const out = new Float64Array(2 * ELLIPSE_VERTICES);
  for (let i = 0; i < ELLIPSE_VERTICES; i++) {
    const t = (2 * Math.PI * i) / ELLIPSE_VERTICES;
    out[2 * i] = a * Math.cos(t);
    out[2 * i + 1] = b * Math.sin(t);
  }
  return out;
}

function heartOutline(): Outline {
  const pts: number[] = [];
  for (const [x, y] of HEART_RIGHT_HALF) pts.push(x, y);
  // Left half: mirror, walking back from the tip to the notch (skip the shared end points).
  for (let i = HEART_RIGHT_HALF.length - 2; i >= 1; i--) pts.push(-HEART_RIGHT_HALF[i][0], HEART_RIGHT_HALF[i][1]);
  return Float64Array.from(pts);
}

export function shapeOutline(shape: DspritesShape): Outline {
  switch (shape) {
    case "square":
      return squareOutline();
    case "ellipse":
      return ellipseOutline();
    case "heart":
      return heartOutline();
  }
}
