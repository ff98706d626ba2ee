/**
 * faces3d: rendered parametric heads with known factors, the offline stand-in for CelebA (the
 * report's Figure 5 (b) and Table 2) in the way of the 3D Faces data Higgins et al. used (pose
 * and lighting as factors). 64x64 RGB.
 *
 * Factors (index order, the last fastest):
 *   skinTone    3   light, medium, dark
 *   hairColor   4   black, brown, blond, grey          (CelebA's Black/Brown/Blond/Gray_Hair; Table 2 "hair colour")
 *   smile       3   neutral, smile, broad (open)        (CelebA's Smiling)
 *   background  4   light grey, blue, green, dark slate (Table 2 "background")
 *   lighting    5   light azimuth -60..60 degrees in the camera frame, 25 degrees up
 *   elevation   3   -15, 0, 15 degrees                  (camera above / below the eyes)
 *   azimuth     9   -60..60 degrees, step 15            (Table 2 "rotation")
 * 3 * 4 * 3 * 4 * 5 * 3 * 9 = 19,440 images, 12 KiB each: 239 MB as uint8 (under the 300 MB budget),
 * so the whole set is rendered once and kept. Azimuth and lighting grids are symmetric about 0:
 * (azimuth a, light l) and (-a, -l) are mirror images.
 */
import { faceMesh, type FaceShape } from "./render3d/face-model";
import { cameraFrame, signedAngle, type OrbitCamera } from "./render3d/camera";
import { FactorGrid, linspace, type FactorSpec } from "./render3d/factors";
import type { Mesh, Rgb } from "./render3d/mesh";
import { renderMesh, type Light } from "./render3d/raster";
import { RenderedDataset, type RenderedOptions, type RenderedSpec } from "./render3d/rendered-dataset";

const SKIN: readonly [string, Rgb][] = [
  ["light", [0.96, 0.8, 0.69]],
  ["medium", [0.8, 0.58, 0.43]],
  ["dark", [0.5, 0.33, 0.23]],
];
const HAIR: readonly [string, Rgb][] = [
  ["black", [0.1, 0.09, 0.08]],
  ["brown", [0.42, 0.26, 0.14]],
  ["blond", [0.92, 0.78, 0.46]],
  ["grey", [0.74, 0.74, 0.74]],
];
const SMILES = ["neutral", "smile", "broad"] as const;
const BACKGROUNDS: readonly [string, Rgb][] = [
  ["light grey", [0.88, 0.88, 0.88]],
  ["blue", [0.6, 0.74, 0.9]],
  ["green", [0.66, 0.8, 0.6]],
  ["slate", [0.27, 0.29, 0.35]],
];
const LIGHTS = linspace(-60, 60, 5);
const ELEVATIONS = [-15, 0, 15];
const AZIMUTHS = linspace(-60, 60, 9);

const category = (name: string, entries: readonly (readonly [string, unknown])[] | readonly string[]): FactorSpec => {
  const labels = entries.map((e) => (typeof e === "string" ? e : e[0]));
  return { name, values: labels.map((_, i) => i), labels, unit: "category" };
};

export const FACES3D_FACTORS: readonly FactorSpec[] = [
  category("skinTone", SKIN),
  category("hairColor", HAIR),
  category("smile", SMILES),
  category("background", BACKGROUNDS),
  { name: "lighting", values: LIGHTS, labels: LIGHTS.map((v) => `light ${v}°`), unit: "degrees" },
  { name: "elevation", values: ELEVATIONS, labels: ELEVATIONS.map((v) => `el ${v}°`), unit: "degrees" },
  { name: "azimuth", values: AZIMUTHS, labels: AZIMUTHS.map((v) => `az ${v}°`), unit: "degrees" },
];

export const FACES3D_GRID = new FactorGrid("faces3d", FACES3D_FACTORS);

export const FACES3D_VIEW = {
  size: 64,
  supersample: 4,
  target: [0, -0.05, 0] as const,
  distance: 4,
  focal: 138,
  ambient: 0.32,
  /** The key light: its elevation (degrees) and strength; its azimuth is the lighting factor. */
  light: { elevationDegrees: 25, intensity: 0.75 },
} as const;

/** Class of the mirrored value for azimuth and lighting (both grids are symmetric about 0). */
export const faces3dMirrorClass = (size: number, k: number): number => size - 1 - k;

export function faceShape(classes: ArrayLike<number>, offset = 0): FaceShape {
  return { skin: SKIN[classes[offset]][1], hair: HAIR[classes[offset + 1]][1], smile: classes[offset + 2] as 0 | 1 | 2 };
}

export function faceCamera(classes: ArrayLike<number>, offset = 0): OrbitCamera {
  const v = FACES3D_VIEW;
  return { target: v.target, distance: v.distance, focal: v.focal, elevation: signedAngle(ELEVATIONS[classes[offset + 5]]), azimuth: signedAngle(AZIMUTHS[classes[offset + 6]]) };
}

/** The key light, fixed to the camera: `degrees` to the camera's right (negative: left), 25 degrees up. */
export function faceLight(cam: OrbitCamera, degrees: number): Light {
  const f = cameraFrame(cam);
  const a = signedAngle(degrees);
  const e = signedAngle(FACES3D_VIEW.light.elevationDegrees);
  const lx = a.sin * e.cos; // towards the camera's right
  const ly = e.sin; // up
  const lz = a.cos * e.cos; // towards the camera
  const dir: [number, number, number] = [0, 1, 2].map((k) => lx * f.right[k] + ly * f.up[k] + lz * -f.forward[k]) as [number, number, number];
  return { direction: dir, intensity: FACES3D_VIEW.light.intensity };
}

const meshes = new Map<string, Mesh>();

export function faceMeshOf(shape: FaceShape): Mesh {
  const key = `${shape.skin.join()}/${shape.hair.join()}/${shape.smile}`;
  let m = meshes.get(key);
  if (!m) {
    m = faceMesh(shape);
    meshes.set(key, m);
  }
  return m;
}

/** Renders the head of classes[offset ..] into out[outOffset ..], uint8 RGB [64, 64, 3]. */
export function renderFace3d(classes: ArrayLike<number>, offset: number, out: Uint8Array, outOffset: number): void {
  FACES3D_GRID.check(classes, offset);
  const cam = faceCamera(classes, offset);
  const v = FACES3D_VIEW;
  renderMesh(faceMeshOf(faceShape(classes, offset)), cam, {
    size: v.size,
    supersample: v.supersample,
    background: BACKGROUNDS[classes[offset + 3]][1],
    ambient: v.ambient,
    lights: [faceLight(cam, LIGHTS[classes[offset + 4]])],
  }, out, outOffset);
}

export const FACES3D_SPEC: RenderedSpec = {
  name: "faces3d",
  grid: FACES3D_GRID,
  imageSize: FACES3D_VIEW.size,
  description: "parametric heads (stand-in for CelebA, after 3D Faces): skin tone, hair colour, smile, background, lighting, elevation, azimuth",
  definition: { view: FACES3D_VIEW, skin: SKIN, hair: HAIR, backgrounds: BACKGROUNDS },
  render: (classes, offset, out, outOffset) => renderFace3d(classes, offset, out, outOffset),
  // medium skin, brown hair, a smile, blue background, light from the front, eye level, frontal
  preview: [1, 1, 1, 1, 2, 1, 4],
};

/** Opens faces3d (reads the disk cache when it is valid; otherwise renders on demand). */
export function openFaces3d(opts: RenderedOptions = {}): RenderedDataset {
  return new RenderedDataset(FACES3D_SPEC, opts);
}
