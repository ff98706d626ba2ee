/**
 * A perspective camera orbiting a target: azimuth around the vertical axis (0 = in front of the
 * model, on +z; positive towards +x), elevation above the horizontal, a distance and a focal
 * length in output pixels.
 *
 * Angles are passed as exact (sin, cos) pairs (`signedAngle`): for the azimuths a and -a the sines
 * are exact negatives, and every coordinate below is a sum of products in which x and sin(azimuth)
 * enter with odd degree. Float rounding is symmetric under negation, so the camera at -a sees the
 * mirrored model (x -> -x) at exactly the negated horizontal image coordinate, and at the same
 * vertical coordinate and depth: bit for bit, not just to within rounding.
 */
import type { Vec3 } from "./mesh";

/** An angle as (sin, cos), with sin(-a) = -sin(a) exactly. */
export interface SignedAngle {
  readonly degrees: number;
  readonly sin: number;
  readonly cos: number;
}

/** sin/cos of an angle in degrees, computed on |a| so that a and -a give exactly negated sines. */
export function signedAngle(degrees: number): SignedAngle {
  const r = (Math.abs(degrees) * Math.PI) / 180;
  const s = degrees === 0 ? 0 : Math.sin(r);
  return { degrees, sin: degrees < 0 ? -s : s, cos: Math.cos(r) };
}

export interface OrbitCamera {
  /** The point looked at (x must be 0 for mirror symmetry). */
  readonly target: Vec3;
  readonly distance: number;
  readonly azimuth: SignedAngle;
  readonly elevation: SignedAngle;
  /** Focal length in output pixels: a point at depth d and lateral offset s lands s * focal / d pixels from the centre. */
  readonly focal: number;
}

/** The camera's position and orthonormal frame (right, up, forward), in world coordinates. */
export interface CameraFrame {
  readonly position: Vec3;
  readonly right: Vec3;
  readonly up: Vec3;
  /** From the camera towards the target. */
  readonly forward: Vec3;
}

export function cameraFrame(cam: OrbitCamera): CameraFrame {
  const sa = cam.azimuth.sin;
  const ca = cam.azimuth.cos;
  const se = cam.elevation.sin;
  const ce = cam.elevation.cos;
  const d = cam.distance;
  const [tx, ty, tz] = cam.target;
  return {
    position: [tx + d * (sa * ce), ty + d * se, tz + d * (ca * ce)],
    right: [ca, 0, -sa],
    up: [-(sa * se), ce, -(ca * se)],
    forward: [-(sa * ce), -se, -(ca * ce)],
  };
}

/**
 * Camera coordinates of the points [n * 3]: out[3i] = x to the right, out[3i+1] = y up,
 * out[3i+2] = depth along the view direction.
 */
export function toCamera(frame: CameraFrame, points: Float64Array, out: Float64Array = new Float64Array(points.length)): Float64Array {
  const [cx, cy, cz] = frame.position;
  const [rx, , rz] = frame.right; // right has no y component
  const [ux, uy, uz] = frame.up;
  const [fx, fy, fz] = frame.forward;
  for (let i = 0; i < points.length; i += 3) {
    const qx = points[i] - cx;
    const qy = points[i + 1] - cy;
    const qz = points[i + 2] - cz;
    out[i] = qx * rx + qz * rz;
    out[i + 1] = qx * ux + qy * uy + qz * uz;
    out[i + 2] = qx * fx + qy * fy + qz * fz;
  }
  return out;
}

/** Where a world point lands in an image of `size` x `size` pixels: column and row (pixel centres at .5), and depth. */
export function projectPoint(cam: OrbitCamera, p: Vec3, size: number): { col: number; row: number; depth: number } {
  const c = toCamera(cameraFrame(cam), Float64Array.from(p));
  return { col: size / 2 + (cam.focal * c[0]) / c[2], row: size / 2 - (cam.focal * c[1]) / c[2], depth: c[2] };
}
