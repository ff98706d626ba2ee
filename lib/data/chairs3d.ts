/**
 * chairs3d: rendered parametric chairs with known factors, the offline stand-in for 3D Chairs
 * (Aubry et al. 2014; the report's Figure 5 (a) and Table 3). Grey chairs on white, 64x64 RGB.
 *
 * Factors (index order, the last fastest, as dSprites; one chair's 62 views are consecutive, as
 * in the archive's folders):
 *   legStyle   4   straight, tapered, pedestal (star base), sled (runners + crossbar)
 *   armrests   2   without, with
 *   backHeight 4   0.30, 0.40, 0.50, 0.60 m above the seat (Table 3: "back height")
 *   seatWidth  4   0.42, 0.49, 0.56, 0.63 m                (Table 3: "width")
 *   elevation  2   20, 30 degrees                         (the archive's p020 / p030)
 *   azimuth   31   k * 360/31 degrees, k = 0..30          (the archive's t000..t348; Table 3: "rotation")
 * 4 * 2 * 4 * 4 * 2 * 31 = 7,936 images (128 chairs x 62 views), 12 KiB each: 98 MB as uint8,
 * rendered once (~15 s). Four values of the two size factors rather than three: a traversal and a
 * latent's response can then show an ordered change, not just three classes, and the set stays
 * small (the real archive: 1,393 chairs x 62 views, 86,366 images).
 * Azimuth 0 looks at the chair's front; class k and class (31 - k) mod 31 are mirror views.
 */
import { chairMesh, LEG_STYLES, type ChairShape } from "./render3d/chair-model";
import { cameraFrame, signedAngle, type OrbitCamera } from "./render3d/camera";
import { circleAzimuths, FactorGrid, type FactorSpec } from "./render3d/factors";
import type { Mesh } from "./render3d/mesh";
import { renderMesh, type Light, type RenderOptions } from "./render3d/raster";
import { RenderedDataset, type RenderedOptions, type RenderedSpec } from "./render3d/rendered-dataset";

const AZIMUTHS = circleAzimuths(31);
const BACK_HEIGHTS = [0.3, 0.4, 0.5, 0.6];
const SEAT_WIDTHS = [0.42, 0.49, 0.56, 0.63];
const ELEVATIONS = [20, 30];

export const CHAIRS3D_FACTORS: readonly FactorSpec[] = [
  { name: "legStyle", values: [0, 1, 2, 3], labels: [...LEG_STYLES], unit: "category" },
  { name: "armrests", values: [0, 1], labels: ["no arms", "arms"], unit: "category" },
  { name: "backHeight", values: BACK_HEIGHTS, labels: BACK_HEIGHTS.map((v) => `back ${v.toFixed(2)}`), unit: "m" },
  { name: "seatWidth", values: SEAT_WIDTHS, labels: SEAT_WIDTHS.map((v) => `width ${v.toFixed(2)}`), unit: "m" },
  { name: "elevation", values: ELEVATIONS, labels: ELEVATIONS.map((v) => `el ${v}°`), unit: "degrees" },
  { name: "azimuth", values: AZIMUTHS.values, labels: AZIMUTHS.values.map((v) => `az ${v.toFixed(0)}°`), unit: "degrees" },
];

export const CHAIRS3D_GRID = new FactorGrid("chairs3d", CHAIRS3D_FACTORS);

/** Camera and light. The camera orbits a point above the seat; the focal length keeps the largest chair inside every view. */
export const CHAIRS3D_VIEW = {
  size: 64,
  supersample: 4,
  target: [0, 0.5, 0] as const,
  distance: 3,
  focal: 135,
  background: [1, 1, 1] as const,
  ambient: 0.35,
  /** A light at the camera, tilted this far up (degrees), and one from straight above. */
  headlight: { intensity: 0.5, tiltDegrees: 35 },
  toplight: 0.3,
} as const;

/** The azimuth class of the mirror view: a and -a. */
export const chairs3dMirrorAzimuth = AZIMUTHS.mirror;

/** The chair of factor classes[offset ..]. */
export function chairShape(classes: ArrayLike<number>, offset = 0): ChairShape {
  return {
    legStyle: LEG_STYLES[classes[offset]],
    armrests: classes[offset + 1] === 1,
    backHeight: BACK_HEIGHTS[classes[offset + 2]],
    seatWidth: SEAT_WIDTHS[classes[offset + 3]],
  };
}

/** The camera of factor classes[offset ..]. */
export function chairCamera(classes: ArrayLike<number>, offset = 0): OrbitCamera {
  const v = CHAIRS3D_VIEW;
  return {
    target: v.target,
    distance: v.distance,
    focal: v.focal,
    elevation: signedAngle(ELEVATIONS[classes[offset + 4]]),
    azimuth: signedAngle(AZIMUTHS.signed[classes[offset + 5]]),
  };
}

/** Lights for a camera: both are symmetric under the mirror (x -> -x with azimuth -> -azimuth). */
export function chairLights(cam: OrbitCamera): Light[] {
  const f = cameraFrame(cam);
  const t = (CHAIRS3D_VIEW.headlight.tiltDegrees * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const dir: [number, number, number] = [-f.forward[0] * c + f.up[0] * s, -f.forward[1] * c + f.up[1] * s, -f.forward[2] * c + f.up[2] * s];
  return [
    { direction: dir, intensity: CHAIRS3D_VIEW.headlight.intensity },
    { direction: [0, 1, 0], intensity: CHAIRS3D_VIEW.toplight },
  ];
}

const meshes = new Map<string, Mesh>();

/** The chair's mesh (built once per shape: 128 shapes). */
export function chairMeshOf(shape: ChairShape): Mesh {
  const key = `${shape.legStyle}/${shape.armrests}/${shape.backHeight}/${shape.seatWidth}`;
  let m = meshes.get(key);
  if (!m) {
    m = chairMesh(shape);
    meshes.set(key, m);
  }
  return m;
}

function renderOptions(cam: OrbitCamera): RenderOptions {
  const v = CHAIRS3D_VIEW;
  return { size: v.size, supersample: v.supersample, background: v.background, ambient: v.ambient, lights: chairLights(cam) };
}

/** Renders the chair of classes[offset ..] into out[outOffset ..], uint8 RGB [64, 64, 3]. */
export function renderChair3d(classes: ArrayLike<number>, offset: number, out: Uint8Array, outOffset: number): void {
  CHAIRS3D_GRID.check(classes, offset);
  const cam = chairCamera(classes, offset);
  renderMesh(chairMeshOf(chairShape(classes, offset)), cam, renderOptions(cam), out, outOffset);
}

export const CHAIRS3D_SPEC: RenderedSpec = {
  name: "chairs3d",
  grid: CHAIRS3D_GRID,
  imageSize: CHAIRS3D_VIEW.size,
  description: "parametric grey chairs on white (stand-in for 3D Chairs): leg style, armrests, back height, seat width, elevation, azimuth",
  definition: { view: CHAIRS3D_VIEW },
  render: (classes, offset, out, outOffset) => renderChair3d(classes, offset, out, outOffset),
  // a tapered chair with arms, middle sizes, seen from 35 degrees: legs, arms and back all visible
  preview: [1, 1, 2, 2, 0, 3],
};

/** Opens chairs3d (reads the disk cache when it is valid; otherwise renders on demand). */
export function openChairs3d(opts: RenderedOptions = {}): RenderedDataset {
  return new RenderedDataset(CHAIRS3D_SPEC, opts);
}
