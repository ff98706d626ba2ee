/**
 * A parametric head: skull and jaw, ears, eyes, brows, nose, a mouth whose corners rise with a
 * smile factor (and opens to show teeth at the broadest), hair with a colour factor, a skin tone,
 * on a neck and shoulders. Ellipsoids and frustums with smooth normals.
 *
 * Units: the skull is about 1 wide; y up, the face looks along +z, the head is centred on
 * x = 0. Only the right half (x >= 0) is built; `withMirror` adds the left (mesh.ts), so the head
 * is exactly symmetric.
 */
import { concat, MeshBuilder, rotationZ, withMirror, type Mesh, type Rgb, type Vec3 } from "./mesh";
import { ellipsoid, frustum } from "./primitives";

export interface FaceShape {
  /** 0 neutral, 1 smile, 2 broad open smile. */
  readonly smile: 0 | 1 | 2;
  readonly skin: Rgb;
  readonly hair: Rgb;
}

export const FACE_COLORS = {
  shirt: [0.3, 0.34, 0.45] as Rgb,
  eyeWhite: [0.95, 0.95, 0.93] as Rgb,
  iris: [0.16, 0.12, 0.1] as Rgb,
  lips: [0.66, 0.3, 0.3] as Rgb,
  mouth: [0.25, 0.08, 0.08] as Rgb,
  teeth: [0.97, 0.96, 0.92] as Rgb,
};

/** Skull and jaw ellipsoids: [centre, radii]. */
const SKULL: [Vec3, Vec3] = [[0, 0.05, 0], [0.5, 0.62, 0.55]];
const JAW: [Vec3, Vec3] = [[0, -0.3, 0.08], [0.36, 0.3, 0.42]];

/** z of the front surface of the skull or jaw (whichever is in front) at (x, y); 0 if neither covers it. */
export function faceSurfaceZ(x: number, y: number): number {
  let z = 0;
  for (const [c, r] of [SKULL, JAW]) {
    const q = 1 - ((x - c[0]) / r[0]) ** 2 - ((y - c[1]) / r[1]) ** 2;
    if (q > 0) z = Math.max(z, c[2] + r[2] * Math.sqrt(q));
  }
  return z;
}

function at(b: MeshBuilder, mesh: Mesh, t: Vec3): void {
  b.add(mesh, undefined, t);
}

function bead(radii: Vec3, color: Rgb, half = false): Mesh {
  return ellipsoid({ radii, rings: 6, segments: 8, half }, color);
}

/** Lips (and, for the broad smile, the open mouth and teeth) along y = y0 + curve * x^2. */
function mouth(b: MeshBuilder, smile: 0 | 1 | 2): void {
  const y0 = -0.33;
  const halfWidth = [0.11, 0.13, 0.145][smile];
  const curve = [0, 2.2, 3.0][smile];
  const lip: Vec3 = [0.026, 0.016, 0.02];
  const line = (dy: number, k: number) => {
    const n = 5;
    for (let i = 0; i <= n; i++) {
      const x = (halfWidth * i) / n;
      const y = y0 + dy + k * x * x;
      at(b, bead(lip, FACE_COLORS.lips, i === 0), [x, y, faceSurfaceZ(x, y) - 0.006]);
    }
  };
  if (smile < 2) {
    line(0, curve);
    return;
  }
  // Open: upper lip, teeth, the dark inside, and a lower lip that hangs lower in the middle.
  line(0.012, curve);
  line(-0.05, curve * 1.25);
  const zc = faceSurfaceZ(0, y0 - 0.02);
  at(b, ellipsoid({ radii: [halfWidth * 0.8, 0.022, 0.02], rings: 6, segments: 10, half: true }, FACE_COLORS.teeth), [0, y0 - 0.002, zc - 0.012]);
  at(b, ellipsoid({ radii: [halfWidth * 0.85, 0.035, 0.02], rings: 6, segments: 10, half: true }, FACE_COLORS.mouth), [0, y0 - 0.025, zc - 0.016]);
}

function eye(b: MeshBuilder, hair: Rgb): void {
  const x = 0.18;
  const y = 0.1;
  const z = faceSurfaceZ(x, y);
  at(b, ellipsoid({ radii: [0.085, 0.052, 0.05], rings: 8, segments: 12 }, FACE_COLORS.eyeWhite), [x, y, z - 0.022]);
  at(b, ellipsoid({ radii: [0.038, 0.038, 0.02], rings: 6, segments: 10 }, FACE_COLORS.iris), [x, y, z + 0.02]);
  const brow = ellipsoid({ radii: [0.1, 0.02, 0.028], rings: 6, segments: 10 }, [hair[0] * 0.75, hair[1] * 0.75, hair[2] * 0.75]);
  b.add(brow, rotationZ(-0.12), [0.19, 0.22, faceSurfaceZ(0.19, 0.22) - 0.008]);
}

/**
 * Hair: a cap just outside the skull whose edge (the hairline) runs at 60 degrees from the crown
 * over the forehead, at ear level on the sides and down to the nape behind.
 */
function hair(color: Rgb): Mesh {
  const polarLimit = (_sinTheta: number, cosTheta: number): number => {
    const t = (1 - cosTheta) / 2; // 0 at the front, 1 at the back
    return Math.PI * (0.33 + 0.35 * t * t * (3 - 2 * t));
  };
  const cap = ellipsoid({ radii: [0.535, 0.66, 0.585], rings: 12, segments: 32, half: true, polarLimit }, color);
  return new MeshBuilder().add(cap, undefined, [0, 0.075, -0.02]).build();
}

/** The whole head (both halves). */
export function faceMesh(shape: FaceShape): Mesh {
  const b = new MeshBuilder();
  const skin = shape.skin;
  at(b, ellipsoid({ radii: SKULL[1], rings: 18, segments: 28, half: true }, skin), SKULL[0]);
  at(b, ellipsoid({ radii: JAW[1], rings: 12, segments: 20, half: true }, skin), JAW[0]);
  at(b, ellipsoid({ radii: [0.06, 0.14, 0.09], rings: 8, segments: 10 }, skin), [0.49, 0.0, -0.02]); // ear
  at(b, ellipsoid({ radii: [0.065, 0.14, 0.09], rings: 10, segments: 12, half: true }, skin), [0, -0.05, faceSurfaceZ(0, -0.05) - 0.02]); // nose
  b.add(frustum({ r0: 0.21, r1: 0.19, y0: -0.95, y1: -0.3, segments: 16, half: true, caps: false }, skin), undefined, [0, 0, -0.05]); // neck
  at(b, ellipsoid({ radii: [0.95, 0.4, 0.45], rings: 12, segments: 24, half: true }, FACE_COLORS.shirt), [0, -1.15, -0.05]); // shoulders
  eye(b, shape.hair);
  mouth(b, shape.smile);
  return withMirror(concat([b.build(), hair(shape.hair)]));
}
