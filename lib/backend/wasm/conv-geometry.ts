/**
 * The geometry of one 2-D convolution (NHWC, dilation 1), as the training kernels need it.
 *
 * Built from tfjs' own `computeConv2DInfo`, so 'same' / 'valid' / number / explicit padding and
 * dimRoundingMode mean exactly what they mean for the forward Conv2D kernel.
 */
import * as tf from "@tensorflow/tfjs";

export interface ConvGeometry {
  /** x: [batch, inH, inW, inC] (the forward conv's input). */
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  /** y: [batch, outH, outW, outC] (the forward conv's output). */
  readonly outH: number;
  readonly outW: number;
  readonly outC: number;
  /** filter: [kH, kW, inC, outC]. */
  readonly kH: number;
  readonly kW: number;
  readonly sH: number;
  readonly sW: number;
  /** Zero rows / columns added above / left of x (bottom/right padding follows from the sizes). */
  readonly padTop: number;
  readonly padLeft: number;
}

type PadAttr = "valid" | "same" | number | tf.backend_util.ExplicitPadding;

/** Geometry of the forward conv x [N,H,W,C] * filter [kH,kW,C,outC] with the given attributes. */
export function convGeometry(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: { strides: number | [number, number]; pad: PadAttr; dataFormat?: string; dimRoundingMode?: string },
  kernelName: string,
): ConvGeometry {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== "NHWC" && attrs.dataFormat !== "channelsLast") {
    throw new Error(`${kernelName} (lib/backend/wasm): dataFormat '${attrs.dataFormat}' is not supported, use NHWC`);
  }
  if (xShape.length !== 4 || filterShape.length !== 4) {
    throw new Error(`${kernelName} (lib/backend/wasm): expected 4-D x and filter, got [${xShape}] and [${filterShape}]`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
    false,
    "channelsLast",
  );
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    sH: info.strideHeight,
    sW: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}
