/**
 * The rasteriser: a z-buffer over a supersampled grid, Lambert + ambient shading per vertex
 * (Gouraud), and a box filter down to the output pixels. Output: uint8 RGB, [size, size, 3].
 *
 * Exactness (what the tests rely on):
 * - Vertices are snapped to a fixed-point grid of 1/SUBPIXEL of a sample, with rounding that is
 *   symmetric about 0, and edge functions are evaluated in integers (exact in float64 up to 2^53),
 *   so coverage, and stepping from sample to sample, are exact.
 * - Sample centres sit at (2j + 1 - W) / 2 samples from the image centre: column j and column
 *   W - 1 - j are exact negatives.
 * - A triangle and its mirror partner (mesh.ts) therefore cover mirrored samples with the same
 *   barycentric weights, depths and colours, bit for bit (camera.ts gives the projection's half).
 * - The depth test breaks exact ties by the larger packed colour, not by drawing order, so the
 *   image does not depend on the order of the triangles.
 * - Samples are quantised to integers before the box filter sums them: the sum of a pixel does
 *   not depend on the order of its samples.
 * Together: rendering a mirror-symmetric mesh from azimuth -a gives exactly the horizontally
 * flipped image of azimuth a, and the same input gives the same bytes on every run.
 */
import { cameraFrame, toCamera, type OrbitCamera } from "./camera";
import type { Mesh, Rgb, Vec3 } from "./mesh";

/** A directional light: `direction` points from the surface towards the light (any length). */
export interface Light {
  readonly direction: Vec3;
  readonly intensity: number;
}

export interface RenderOptions {
  /** Output width = height, pixels. */
  readonly size: number;
  /** Samples per pixel along each axis (4: 16 samples per pixel). */
  readonly supersample: number;
  readonly background: Rgb;
  /** Light reaching every surface, as a fraction of its albedo. */
  readonly ambient: number;
  readonly lights: readonly Light[];
}

/** Fixed-point steps per sample (a power of two, so the bounding-box arithmetic is exact). */
const SUBPIXEL = 16;
/** Triangles with a vertex closer than this (camera units) are dropped; no model comes near. */
const NEAR = 1e-3;

function symmetricRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

interface Scratch {
  readonly samples: number;
  readonly depth: Float64Array;
  readonly color: Uint32Array;
}
let scratch: Scratch | undefined;

function buffers(samples: number): Scratch {
  if (!scratch || scratch.samples !== samples) {
    scratch = { samples, depth: new Float64Array(samples * samples), color: new Uint32Array(samples * samples) };
  }
  return scratch;
}

/** Shaded vertex colours in 0..255, [numVertices * 3]. */
export function shadeVertices(mesh: Mesh, ambient: number, lights: readonly Light[]): Float64Array {
  const dirs = lights.map((l) => {
    const len = Math.hypot(l.direction[0], l.direction[1], l.direction[2]);
    if (!(len > 0)) throw new Error("render3d: a light has a zero direction");
    return [l.direction[0] / len, l.direction[1] / len, l.direction[2] / len, l.intensity];
  });
  const { normals: n, colors: c } = mesh;
  const out = new Float64Array(n.length);
  for (let i = 0; i < n.length; i += 3) {
    const len = Math.sqrt(n[i] * n[i] + n[i + 1] * n[i + 1] + n[i + 2] * n[i + 2]);
    const nx = n[i] / len;
    const ny = n[i + 1] / len;
    const nz = n[i + 2] / len;
    let light = ambient;
    for (const [lx, ly, lz, k] of dirs) {
      const d = nx * lx + ny * ly + nz * lz;
      if (d > 0) light += k * d;
    }
    for (let ch = 0; ch < 3; ch++) out[i + ch] = 255 * Math.min(1, Math.max(0, c[i + ch] * light));
  }
  return out;
}

/**
 * Back-face culling: true when the triangle's plane faces away from the eye. The plane's normal is
 * the cross product of two edges, turned to agree with the vertex normals (so winding does not
 * matter). Every model is closed, or its openings are hidden inside other parts, so a back face
 * is never seen. Mirror-safe: for the mirrored triangle and eye each product below changes sign
 * in pairs, so the test gives the same answer.
 */
function facesAway(P: Float64Array, N: Float64Array, a: number, b: number, c: number, ex: number, ey: number, ez: number): boolean {
  const ax = P[3 * a], ay = P[3 * a + 1], az = P[3 * a + 2];
  const ux = P[3 * b] - ax, uy = P[3 * b + 1] - ay, uz = P[3 * b + 2] - az;
  const vx = P[3 * c] - ax, vy = P[3 * c + 1] - ay, vz = P[3 * c + 2] - az;
  const gx = uy * vz - uz * vy;
  const gy = uz * vx - ux * vz;
  const gz = ux * vy - uy * vx;
  const orient = gx * (N[3 * a] + N[3 * b] + N[3 * c]) + gy * (N[3 * a + 1] + N[3 * b + 1] + N[3 * c + 1]) + gz * (N[3 * a + 2] + N[3 * b + 2] + N[3 * c + 2]);
  const view = gx * (ex - ax) + gy * (ey - ay) + gz * (ez - az);
  return orient > 0 ? view < 0 : orient < 0 ? view > 0 : false;
}

/** Renders `mesh` seen by `cam` into out[offset .. offset + size*size*3) as uint8 RGB. */
export function renderMesh(mesh: Mesh, cam: OrbitCamera, opts: RenderOptions, out: Uint8Array, offset = 0): void {
  const { size, supersample: ss } = opts;
  const W = size * ss;
  if (out.length < offset + size * size * 3) throw new Error(`render3d: output holds ${out.length - offset} bytes, need ${size * size * 3}`);
  const { depth, color } = buffers(W);
  const bg = opts.background.map((v) => Math.round(255 * Math.min(1, Math.max(0, v))));
  depth.fill(0); // inverse depth: 0 = infinitely far
  color.fill((bg[0] << 16) | (bg[1] << 8) | bg[2]);

  const shade = shadeVertices(mesh, opts.ambient, opts.lights);
  const cs = toCamera(cameraFrame(cam), mesh.positions);
  const nv = mesh.positions.length / 3;
  // Fixed-point screen coordinates (x right, y down, 0 = image centre) and inverse depth per vertex.
  const fx = new Float64Array(nv);
  const fy = new Float64Array(nv);
  const iz = new Float64Array(nv);
  const scale = cam.focal * ss * SUBPIXEL;
  for (let v = 0; v < nv; v++) {
    const d = cs[3 * v + 2];
    iz[v] = d > NEAR ? 1 / d : -1;
    fx[v] = symmetricRound((scale * cs[3 * v]) / d);
    fy[v] = -symmetricRound((scale * cs[3 * v + 1]) / d);
  }
  const half = SUBPIXEL / 2;
  const tri = mesh.triangles;
  const P = mesh.positions;
  const N = mesh.normals;
  const [ex, ey, ez] = cameraFrame(cam).position;
  for (let t = 0; t < tri.length; t += 3) {
    const a = tri[t];
    const b = tri[t + 1];
    const c = tri[t + 2];
    if (iz[a] < 0 || iz[b] < 0 || iz[c] < 0) continue;
    if (facesAway(P, N, a, b, c, ex, ey, ez)) continue;
    const ax = fx[a], ay = fy[a], bx = fx[b], by = fy[b], cx = fx[c], cy = fy[c];
    let area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    if (area === 0) continue;
    const sgn = area > 0 ? 1 : -1;
    area *= sgn;
    // Edge functions E0 (edge b->c, weight of a), E1 (c->a), E2 (a->b), each times sgn.
    // Their change per sample to the right (exact integers).
    const e0dx = -(cy - by) * sgn * SUBPIXEL;
    const e1dx = -(ay - cy) * sgn * SUBPIXEL;
    const e2dx = -(by - ay) * sgn * SUBPIXEL;
    const minX = Math.min(ax, bx, cx), maxX = Math.max(ax, bx, cx);
    const minY = Math.min(ay, by, cy), maxY = Math.max(ay, by, cy);
    const j0 = Math.max(0, Math.ceil((minX / half + W - 1) / 2));
    const j1 = Math.min(W - 1, Math.floor((maxX / half + W - 1) / 2));
    const i0 = Math.max(0, Math.ceil((minY / half + W - 1) / 2));
    const i1 = Math.min(W - 1, Math.floor((maxY / half + W - 1) / 2));
    if (j0 > j1 || i0 > i1) continue;
    const inv = 1 / area;
    const za = iz[a], zb = iz[b], zc = iz[c];
    const flat = shade[3 * a] === shade[3 * b] && shade[3 * b] === shade[3 * c] && shade[3 * a + 1] === shade[3 * b + 1] && shade[3 * b + 1] === shade[3 * c + 1] && shade[3 * a + 2] === shade[3 * b + 2] && shade[3 * b + 2] === shade[3 * c + 2];
    const ra = shade[3 * a], ga = shade[3 * a + 1], ba = shade[3 * a + 2];
    const rb = shade[3 * b], gb = shade[3 * b + 1], bb = shade[3 * b + 2];
    const rc = shade[3 * c], gc = shade[3 * c + 1], bc = shade[3 * c + 2];
    const flatColor = (Math.round(ra) << 16) | (Math.round(ga) << 8) | Math.round(ba);
    const sx0 = (2 * j0 + 1 - W) * half;
    for (let i = i0; i <= i1; i++) {
      const sy = (2 * i + 1 - W) * half;
      let E0 = ((cx - bx) * (sy - by) - (cy - by) * (sx0 - bx)) * sgn;
      let E1 = ((ax - cx) * (sy - cy) - (ay - cy) * (sx0 - cx)) * sgn;
      let E2 = ((bx - ax) * (sy - ay) - (by - ay) * (sx0 - ax)) * sgn;
      let k = i * W + j0;
      for (let j = j0; j <= j1; j++, k++, E0 += e0dx, E1 += e1dx, E2 += e2dx) {
        if (E0 < 0 || E1 < 0 || E2 < 0) continue;
        const w0 = E0 * inv, w1 = E1 * inv, w2 = E2 * inv;
        const z = w0 * za + w1 * zb + w2 * zc;
        if (z < depth[k]) continue;
        let packed: number;
        if (flat) packed = flatColor;
        else {
          const r = Math.min(255, Math.round(w0 * ra + w1 * rb + w2 * rc));
          const g = Math.min(255, Math.round(w0 * ga + w1 * gb + w2 * gc));
          const bl = Math.min(255, Math.round(w0 * ba + w1 * bb + w2 * bc));
          packed = (r << 16) | (g << 8) | bl;
        }
        if (z === depth[k] && packed <= color[k]) continue;
        depth[k] = z;
        color[k] = packed;
      }
    }
  }
  // Box filter: integer sums, so the result does not depend on the order of the samples.
  const n = ss * ss;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0;
      for (let dy = 0; dy < ss; dy++) {
        let k = (py * ss + dy) * W + px * ss;
        for (let dx = 0; dx < ss; dx++, k++) {
          const p = color[k];
          r += p >>> 16;
          g += (p >>> 8) & 255;
          b += p & 255;
        }
      }
      const o = offset + (py * size + px) * 3;
      out[o] = Math.round(r / n);
      out[o + 1] = Math.round(g / n);
      out[o + 2] = Math.round(b / n);
    }
  }
}
