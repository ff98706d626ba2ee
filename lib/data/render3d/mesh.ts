/**
 * Triangle meshes for the small renderer: vertex positions, per-vertex normals and per-vertex
 * albedo (RGB in [0, 1]), and triangles as vertex-index triples.
 *
 * Mirror symmetry by construction. The chair and head models build only their RIGHT half
 * (x >= 0; a part centred on x = 0 contributes its x >= 0 half) and `withMirror` appends the exact
 * mirror image (x -> -x of every position and normal, same vertex order in every triangle). Every
 * triangle then has a partner whose vertices are its own with x negated, bit for bit, which is
 * what lets the renderer produce exactly mirrored images (raster.ts explains the rest).
 */

/** A 3-vector as a plain tuple: [x, y, z]. World units are metres; y is up, models face +z. */
export type Vec3 = readonly [number, number, number];
/** Albedo, RGB in [0, 1]. */
export type Rgb = readonly [number, number, number];

export interface Mesh {
  /** [numVertices * 3] x, y, z. */
  readonly positions: Float64Array;
  /** [numVertices * 3] outward normals (need not be unit length; the shader normalises). */
  readonly normals: Float64Array;
  /** [numVertices * 3] albedo r, g, b in [0, 1]. */
  readonly colors: Float64Array;
  /** [numTriangles * 3] vertex indices. */
  readonly triangles: Uint32Array;
}

/** A 3x3 matrix, row-major: [m00, m01, m02, m10, ...]. */
export type Mat3 = readonly [number, number, number, number, number, number, number, number, number];

export const IDENTITY: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** Rotation about the x axis (y towards z for a positive angle). Keeps x, so it keeps mirror pairs. */
export function rotationX(angle: number): Mat3 {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [1, 0, 0, 0, c, -s, 0, s, c];
}

/** Rotation about the y axis (z towards x for a positive angle). */
export function rotationY(angle: number): Mat3 {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [c, 0, s, 0, 1, 0, -s, 0, c];
}

/** Rotation about the z axis (x towards y for a positive angle). */
export function rotationZ(angle: number): Mat3 {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [c, -s, 0, s, c, 0, 0, 0, 1];
}

/** Accumulates vertices and triangles; `build()` freezes them into a Mesh. */
export class MeshBuilder {
  private readonly pos: number[] = [];
  private readonly nrm: number[] = [];
  private readonly col: number[] = [];
  private readonly tri: number[] = [];

  get vertexCount(): number {
    return this.pos.length / 3;
  }

  get triangleCount(): number {
    return this.tri.length / 3;
  }

  /** Adds one vertex; returns its index. */
  vertex(p: Vec3, n: Vec3, c: Rgb): number {
    this.pos.push(p[0], p[1], p[2]);
    this.nrm.push(n[0], n[1], n[2]);
    this.col.push(c[0], c[1], c[2]);
    return this.pos.length / 3 - 1;
  }

  triangle(a: number, b: number, c: number): void {
    this.tri.push(a, b, c);
  }

  /** Appends a mesh, transformed: p -> m p + t, n -> m^-T n (normals stay perpendicular under a scale). */
  add(mesh: Mesh, m: Mat3 = IDENTITY, t: Vec3 = [0, 0, 0]): this {
    const inv = inverseTranspose(m);
    const base = this.vertexCount;
    const { positions: p, normals: n, colors: c } = mesh;
    for (let i = 0; i < p.length; i += 3) {
      const [x, y, z] = [p[i], p[i + 1], p[i + 2]];
      this.pos.push(m[0] * x + m[1] * y + m[2] * z + t[0], m[3] * x + m[4] * y + m[5] * z + t[1], m[6] * x + m[7] * y + m[8] * z + t[2]);
      const [u, v, w] = [n[i], n[i + 1], n[i + 2]];
      this.nrm.push(inv[0] * u + inv[1] * v + inv[2] * w, inv[3] * u + inv[4] * v + inv[5] * w, inv[6] * u + inv[7] * v + inv[8] * w);
      this.col.push(c[i], c[i + 1], c[i + 2]);
    }
    for (let i = 0; i < mesh.triangles.length; i++) this.tri.push(mesh.triangles[i] + base);
    return this;
  }

  build(): Mesh {
    return {
      positions: Float64Array.from(this.pos),
      normals: Float64Array.from(this.nrm),
      colors: Float64Array.from(this.col),
      triangles: Uint32Array.from(this.tri),
    };
  }
}

function inverseTranspose(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (det === 0) throw new Error("mesh transform: singular matrix");
  // cofactor matrix / det = (m^-1)^T
  return [
    A / det, B / det, C / det,
    -(b * i - c * h) / det, (a * i - c * g) / det, -(a * h - b * g) / det,
    (b * f - c * e) / det, -(a * f - c * d) / det, (a * e - b * d) / det,
  ];
}

/** Several meshes as one. */
export function concat(meshes: readonly Mesh[]): Mesh {
  const b = new MeshBuilder();
  for (const m of meshes) b.add(m);
  return b.build();
}

/**
 * The right half plus its exact mirror image: every value of the copy is the original with the x
 * of positions and normals negated (a float negation is exact), triangles in the same vertex order.
 */
export function withMirror(half: Mesh): Mesh {
  const nv = half.positions.length / 3;
  const positions = new Float64Array(nv * 6);
  const normals = new Float64Array(nv * 6);
  const colors = new Float64Array(nv * 6);
  positions.set(half.positions);
  normals.set(half.normals);
  colors.set(half.colors);
  colors.set(half.colors, nv * 3);
  for (let i = 0; i < nv * 3; i += 3) {
    positions[nv * 3 + i] = -half.positions[i];
    positions[nv * 3 + i + 1] = half.positions[i + 1];
    positions[nv * 3 + i + 2] = half.positions[i + 2];
    normals[nv * 3 + i] = -half.normals[i];
    normals[nv * 3 + i + 1] = half.normals[i + 1];
    normals[nv * 3 + i + 2] = half.normals[i + 2];
  }
  const nt = half.triangles.length;
  const triangles = new Uint32Array(nt * 2);
  triangles.set(half.triangles);
  for (let i = 0; i < nt; i++) triangles[nt + i] = half.triangles[i] + nv;
  return { positions, normals, colors, triangles };
}
