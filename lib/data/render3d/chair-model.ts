/**
 * A parametric chair: seat, backrest, one of four leg styles, optional armrests. Grey on white,
 * like the 3D Chairs renders (Aubry et al. 2014), whose factors the report's Table 3 names: back
 * height, width, leg style (and the view: azimuth, elevation).
 *
 * Units are metres, y up, the chair faces +z, its seat is centred on x = z = 0. Only the right
 * half (x >= 0) is built here; `withMirror` adds the left half exactly (mesh.ts).
 *
 * Everything of a leg style lies below the seat's underside (y < SEAT_BOTTOM), so changing the
 * leg style can only change pixels under the seat in the image (tested).
 */
import { concat, MeshBuilder, rotationX, rotationY, withMirror, type Mesh, type Rgb } from "./mesh";
import { box, ellipsoid, frustum, tube } from "./primitives";

export const LEG_STYLES = ["straight", "tapered", "pedestal", "sled"] as const;
export type LegStyle = (typeof LEG_STYLES)[number];

export interface ChairShape {
  /** Height of the backrest above the seat, m. */
  readonly backHeight: number;
  /** Width of the seat (x), m. */
  readonly seatWidth: number;
  readonly legStyle: LegStyle;
  readonly armrests: boolean;
}

/** Fixed dimensions, m. */
export const CHAIR_DIMENSIONS = {
  seatTop: 0.47,
  seatBottom: 0.42,
  /** Seat depth (z): from -0.23 (back) to +0.23 (front). */
  seatDepth: 0.46,
  backThickness: 0.04,
  /** Backward tilt of the backrest, degrees. */
  backTilt: 8,
  armHeight: 0.21,
} as const;

const SEAT: Rgb = [0.74, 0.74, 0.74];
const FRAME: Rgb = [0.46, 0.46, 0.46];
const ARM: Rgb = [0.62, 0.62, 0.62];
const ROUND = 10; // segments of round legs and bars

const { seatTop, seatBottom, seatDepth, backThickness } = CHAIR_DIMENSIONS;
const zFront = seatDepth / 2;
const zBack = -seatDepth / 2;

function seatAndBack(shape: ChairShape): Mesh {
  const hw = shape.seatWidth / 2;
  const seat = box([0, seatBottom, zBack], [hw, seatTop, zFront], SEAT, ["-x"]);
  // The backrest: a slab standing on the rear of the seat, tilted back about its bottom edge.
  const slab = box([0, 0, 0], [hw - 0.01, shape.backHeight, backThickness], SEAT, ["-x"]);
  const b = new MeshBuilder().add(seat);
  b.add(slab, rotationX((-CHAIR_DIMENSIONS.backTilt * Math.PI) / 180), [0, seatTop - 0.02, zBack]);
  return b.build();
}

function straightLegs(hw: number): Mesh {
  const t = 0.045; // square section
  const x1 = hw - 0.025;
  const parts = [zFront - 0.025, zBack + 0.025 + t].map((z1) => box([x1 - t, 0, z1 - t], [x1, seatBottom, z1], FRAME));
  return concat(parts);
}

function taperedLegs(hw: number): Mesh {
  // Round legs, 3 cm thick at the seat, 1.2 cm at the foot, splayed outwards.
  const top = (z: number): [number, number, number] => [hw - 0.05, seatBottom, z];
  const foot = (z: number, dz: number): [number, number, number] => [hw - 0.05 + 0.06, 0, z + dz];
  return concat([tube(top(zFront - 0.06), foot(zFront - 0.06, 0.06), 0.03, 0.012, ROUND, FRAME), tube(top(zBack + 0.06), foot(zBack + 0.06, -0.06), 0.03, 0.012, ROUND, FRAME)]);
}

function pedestal(): Mesh {
  const b = new MeshBuilder();
  // A gas-lift column: a thin tube into a wider sleeve, then five arms with casters.
  b.add(frustum({ r0: 0.022, r1: 0.022, y0: 0.2, y1: seatBottom, segments: ROUND + 2, half: true }, FRAME));
  b.add(frustum({ r0: 0.04, r1: 0.034, y0: 0.075, y1: 0.22, segments: ROUND + 2, half: true }, FRAME));
  b.add(box([0, 0.36, -0.09], [0.09, seatBottom, 0.09], FRAME, ["-x"])); // the mechanism under the seat
  const armLength = 0.3;
  const arm = box([-0.022, 0.045, 0], [0.022, 0.085, armLength], FRAME);
  const caster = ellipsoid({ radii: [0.022, 0.024, 0.03], rings: 6, segments: 8 }, FRAME);
  // the front arm lies on x = 0: its right half only
  b.add(box([0, 0.045, 0], [0.022, 0.085, armLength], FRAME, ["-x"]));
  b.add(ellipsoid({ radii: [0.022, 0.024, 0.03], rings: 6, segments: 8, half: true }, FRAME), undefined, [0, 0.024, armLength - 0.02]);
  // two arms at 72 and 144 degrees on the right (their mirrors make the other two)
  for (const deg of [72, 144]) {
    const rot = rotationY((deg * Math.PI) / 180);
    b.add(arm, rot);
    const r = armLength - 0.02;
    b.add(caster, rot, [r * Math.sin((deg * Math.PI) / 180), 0.024, r * Math.cos((deg * Math.PI) / 180)]);
  }
  return b.build();
}

function sled(hw: number): Mesh {
  // On each side a runner on the floor and two uprights; a crossbar joins the rear uprights.
  const x = hw - 0.035;
  const r = 0.014;
  const zf = zFront - 0.03;
  const zb = zBack + 0.03;
  return concat([
    tube([x, r, zb - 0.05], [x, r, zf + 0.05], r, r, ROUND, FRAME),
    tube([x, r, zf + 0.05], [x, seatBottom, zf], r, r, ROUND, FRAME),
    tube([x, r, zb - 0.05], [x, seatBottom, zb], r, r, ROUND, FRAME),
    // crossbar from the centre plane to the right upright (its mirror completes it)
    tube([0, 0.2, zb - 0.025], [x, 0.2, zb - 0.025], r * 0.8, r * 0.8, ROUND, FRAME),
  ]);
}

function legs(shape: ChairShape): Mesh {
  const hw = shape.seatWidth / 2;
  switch (shape.legStyle) {
    case "straight":
      return straightLegs(hw);
    case "tapered":
      return taperedLegs(hw);
    case "pedestal":
      return pedestal();
    case "sled":
      return sled(hw);
    default: {
      const never: never = shape.legStyle;
      throw new Error(`chair: unknown leg style ${String(never)}`);
    }
  }
}

function armrest(hw: number): Mesh {
  const yTop = seatTop + CHAIR_DIMENSIONS.armHeight;
  const x = hw + 0.005;
  return concat([
    box([x - 0.01, seatTop - 0.02, zFront - 0.07], [x + 0.025, yTop, zFront - 0.035], ARM), // front post
    box([x - 0.015, yTop, zBack + 0.01], [x + 0.03, yTop + 0.035, zFront - 0.02], ARM), // arm pad
  ]);
}

/** The whole chair (both halves). */
export function chairMesh(shape: ChairShape): Mesh {
  const parts = [seatAndBack(shape), legs(shape)];
  if (shape.armrests) parts.push(armrest(shape.seatWidth / 2));
  return withMirror(concat(parts));
}
