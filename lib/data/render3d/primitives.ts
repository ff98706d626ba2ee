/**
 * Mesh primitives: boxes, frustums (cylinders and cones), tubes between two points and
 * ellipsoids, each with outward normals (flat on boxes and cone caps, smooth on round surfaces).
 *
 * A part centred on the symmetry plane x = 0 is built as its x >= 0 half (`half: true`, or
 * `box` from x = 0 with its x = 0 face omitted); `withMirror` (mesh.ts) adds the other half. Round
 * parts use the angles theta_j = 2 pi j / K (K even) measured from +z towards +x, so x = r sin
 * theta_j, z = r cos theta_j, and the half takes j = 0..K/2 (x >= 0), with sin set to exactly 0
 * at theta = 0 and pi so that no vertex of a half strays to x < 0.
 */
import { MeshBuilder, type Mesh, type Rgb, type Vec3 } from "./mesh";

/** sin and cos of 2 pi j / K for j = 0..K; sin exactly 0 at j = 0, K/2, K. */
function ring(segments: number): { sin: Float64Array; cos: Float64Array } {
  if (!Number.isInteger(segments) || segments < 4 || segments % 2 !== 0) throw new Error(`render3d: segments ${segments} must be an even integer >= 4`);
  const sin = new Float64Array(segments + 1);
  const cos = new Float64Array(segments + 1);
  for (let j = 0; j <= segments; j++) {
    const t = (2 * Math.PI * j) / segments;
    sin[j] = j === 0 || 2 * j === segments || j === segments ? 0 : Math.sin(t);
    cos[j] = j === 0 || j === segments ? 1 : 2 * j === segments ? -1 : Math.cos(t);
  }
  return { sin, cos };
}

export type BoxFace = "-x" | "+x" | "-y" | "+y" | "-z" | "+z";

/** An axis-aligned box from `min` to `max` with flat faces; `omit` leaves faces out (e.g. "-x" for a half box on x = 0). */
export function box(min: Vec3, max: Vec3, color: Rgb, omit: readonly BoxFace[] = []): Mesh {
  const b = new MeshBuilder();
  const [x0, y0, z0] = min;
  const [x1, y1, z1] = max;
  if (!(x1 > x0 && y1 > y0 && z1 > z0)) throw new Error(`render3d box: max ${max.join(",")} must exceed min ${min.join(",")}`);
  const faces: [BoxFace, Vec3, Vec3[]][] = [
    ["-x", [-1, 0, 0], [[x0, y0, z0], [x0, y0, z1], [x0, y1, z1], [x0, y1, z0]]],
    ["+x", [1, 0, 0], [[x1, y0, z0], [x1, y1, z0], [x1, y1, z1], [x1, y0, z1]]],
    ["-y", [0, -1, 0], [[x0, y0, z0], [x1, y0, z0], [x1, y0, z1], [x0, y0, z1]]],
    ["+y", [0, 1, 0], [[x0, y1, z0], [x0, y1, z1], [x1, y1, z1], [x1, y1, z0]]],
    ["-z", [0, 0, -1], [[x0, y0, z0], [x0, y1, z0], [x1, y1, z0], [x1, y0, z0]]],
    ["+z", [0, 0, 1], [[x0, y0, z1], [x1, y0, z1], [x1, y1, z1], [x0, y1, z1]]],
  ];
  for (const [name, n, q] of faces) {
    if (omit.includes(name)) continue;
    const v = q.map((p) => b.vertex(p, n, color));
    b.triangle(v[0], v[1], v[2]);
    b.triangle(v[0], v[2], v[3]);
  }
  return b.build();
}

export interface FrustumSpec {
  /** Radius at y0 and at y1. */
  readonly r0: number;
  readonly r1: number;
  readonly y0: number;
  readonly y1: number;
  /** Even, >= 4. */
  readonly segments: number;
  /** Only the x >= 0 half (for a part centred on x = 0). Default false. */
  readonly half?: boolean;
  /** Smooth (per-vertex) normals on the side; flat facets otherwise. Default true. */
  readonly smooth?: boolean;
  /** Close the ends with flat discs. Default true. */
  readonly caps?: boolean;
}

/** A frustum (cylinder when r0 = r1, cone towards r = 0) around the y axis. */
export function frustum(spec: FrustumSpec, color: Rgb): Mesh {
  const { r0, r1, y0, y1, segments: K } = spec;
  if (!(y1 > y0) || r0 < 0 || r1 < 0) throw new Error(`render3d frustum: need y1 > y0 and radii >= 0, got ${JSON.stringify(spec)}`);
  const { sin, cos } = ring(K);
  const last = spec.half ? K / 2 : K;
  const h = y1 - y0;
  const b = new MeshBuilder();
  const sideNormal = (j: number): Vec3 => [sin[j] * h, r0 - r1, cos[j] * h];
  if (spec.smooth ?? true) {
    const bottom: number[] = [];
    const top: number[] = [];
    for (let j = 0; j <= last; j++) {
      bottom.push(b.vertex([r0 * sin[j], y0, r0 * cos[j]], sideNormal(j), color));
      top.push(b.vertex([r1 * sin[j], y1, r1 * cos[j]], sideNormal(j), color));
    }
    for (let j = 0; j < last; j++) {
      b.triangle(bottom[j], bottom[j + 1], top[j + 1]);
      b.triangle(bottom[j], top[j + 1], top[j]);
    }
  } else {
    for (let j = 0; j < last; j++) {
      const a = sideNormal(j);
      const c = sideNormal(j + 1);
      const n: Vec3 = [a[0] + c[0], a[1] + c[1], a[2] + c[2]];
      const v0 = b.vertex([r0 * sin[j], y0, r0 * cos[j]], n, color);
      const v1 = b.vertex([r0 * sin[j + 1], y0, r0 * cos[j + 1]], n, color);
      const v2 = b.vertex([r1 * sin[j + 1], y1, r1 * cos[j + 1]], n, color);
      const v3 = b.vertex([r1 * sin[j], y1, r1 * cos[j]], n, color);
      b.triangle(v0, v1, v2);
      b.triangle(v0, v2, v3);
    }
  }
  if (spec.caps ?? true) {
    for (const [y, r, ny] of [[y0, r0, -1], [y1, r1, 1]] as const) {
      if (r === 0) continue;
      const n: Vec3 = [0, ny, 0];
      const centre = b.vertex([0, y, 0], n, color);
      const rim: number[] = [];
      for (let j = 0; j <= last; j++) rim.push(b.vertex([r * sin[j], y, r * cos[j]], n, color));
      for (let j = 0; j < last; j++) b.triangle(centre, rim[j], rim[j + 1]);
    }
  }
  return b.build();
}

/** A full (not halved) round tube from p0 (radius r0) to p1 (radius r1), e.g. a leg or a bar. */
export function tube(p0: Vec3, p1: Vec3, r0: number, r1: number, segments: number, color: Rgb): Mesh {
  const d: Vec3 = [p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]];
  const len = Math.hypot(d[0], d[1], d[2]);
  if (!(len > 0)) throw new Error("render3d tube: p0 and p1 coincide");
  const axis: Vec3 = [d[0] / len, d[1] / len, d[2] / len];
  // A frame whose second column is the axis: u, axis, w orthonormal.
  const helper: Vec3 = Math.abs(axis[0]) < 0.9 ? [1, 0, 0] : [0, 0, 1];
  const w = normalize(cross(helper, axis));
  const u = cross(axis, w);
  const local = frustum({ r0, r1, y0: 0, y1: len, segments }, color);
  const b = new MeshBuilder();
  // columns: local x -> u, local y -> axis, local z -> w
  b.add(local, [u[0], axis[0], w[0], u[1], axis[1], w[1], u[2], axis[2], w[2]], p0);
  return b.build();
}

export interface EllipsoidSpec {
  readonly radii: Vec3;
  /** Latitude bands from the top pole (+y) down. */
  readonly rings: number;
  /** Even, >= 4. */
  readonly segments: number;
  /** Only the x >= 0 half. Default false. */
  readonly half?: boolean;
  /**
   * A cap instead of the whole surface: the polar angle (radians from +y) where the surface ends,
   * as a function of the longitude's (sin, cos); the rings are spread from the pole down to it, so
   * the edge is a smooth curve (a hairline), not a staircase of whole quads. Default: pi (closed).
   */
  readonly polarLimit?: (sinTheta: number, cosTheta: number) => number;
}

/** An ellipsoid (or a cap of one) centred on the origin, with smooth normals. */
export function ellipsoid(spec: EllipsoidSpec, color: Rgb): Mesh {
  const [rx, ry, rz] = spec.radii;
  const R = spec.rings;
  const K = spec.segments;
  if (!Number.isInteger(R) || R < 2) throw new Error(`render3d ellipsoid: rings ${R} must be an integer >= 2`);
  const { sin, cos } = ring(K);
  const last = spec.half ? K / 2 : K;
  const closed = spec.polarLimit === undefined;
  const b = new MeshBuilder();
  const idx: number[][] = [];
  for (let i = 0; i <= R; i++) {
    const row: number[] = [];
    for (let j = 0; j <= last; j++) {
      const limit = closed ? Math.PI : spec.polarLimit!(sin[j], cos[j]);
      const phi = (limit * i) / R;
      const sphi = i === 0 || (closed && i === R) ? 0 : Math.sin(phi);
      const cphi = i === 0 ? 1 : closed && i === R ? -1 : Math.cos(phi);
      const ux = sphi * sin[j];
      const uy = cphi;
      const uz = sphi * cos[j];
      row.push(b.vertex([rx * ux, ry * uy, rz * uz], [ux / rx, uy / ry, uz / rz], color));
    }
    idx.push(row);
  }
  for (let i = 0; i < R; i++) {
    for (let j = 0; j < last; j++) {
      const a = idx[i][j];
      const c = idx[i][j + 1];
      const d = idx[i + 1][j];
      const e = idx[i + 1][j + 1];
      if (i > 0) b.triangle(a, d, c); // the top band's upper edge is the pole
      if (i < R - 1 || !closed) b.triangle(c, d, e); // a closed surface's bottom band ends in the other pole
    }
  }
  return b.build();
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function normalize(v: Vec3): Vec3 {
  const l = Math.hypot(v[0], v[1], v[2]);
  if (!(l > 0)) throw new Error("render3d: cannot normalise a zero vector");
  return [v[0] / l, v[1] / l, v[2] / l];
}
