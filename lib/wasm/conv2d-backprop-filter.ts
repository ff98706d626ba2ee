/**
 * Conv2DBackpropFilter for the wasm backend (which has none): the gradient of a convolution with
 * respect to its filter, as im2col + one XNNPACK matrix product.
 *
 *   x: [N, H, W, inC], dy: [N, outH, outW, outC]  ->  dW: [kH, kW, inC, outC]
 *   dW[i, j, c, o] = sum_{n, oh, ow} x[n, oh*sH + i - padTop, ow*sW + j - padLeft, c] * dy[n, oh, ow, o]
 *
 * With patches P = im2col(x): [M = N*outH*outW, K = kH*kW*inC], dW = P^T dy, one XNNPACK product
 * with the transposes done by the SIMD layout kernels (the wasm BatchMatMul is fast only without
 * transposes: with one it falls back to a scalar loop ~15x slower).
 */
import * as tf from "@tensorflow/tfjs";
import { convGeometry } from "./conv-geometry";
import { alloc, asWasm, free, matMul, offsetOf, reshaped } from "./heap";
import { channelsFirst, im2colInHeap, im2colTransposedInHeap, transposeInHeap } from "./layout";

export interface Conv2DBackpropFilterAttrs {
  readonly strides: number | [number, number];
  readonly pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  readonly dataFormat?: "NHWC" | "NCHW";
  readonly dimRoundingMode?: "floor" | "round" | "ceil";
  readonly filterShape: [number, number, number, number];
}

export function conv2dBackpropFilterWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = asWasm(args.backend);
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  if (x.dtype !== "float32" || dy.dtype !== "float32") {
    throw new Error(`Conv2DBackpropFilter (lib/wasm): expected float32 x and dy, got ${x.dtype} and ${dy.dtype}`);
  }
  const g = convGeometry(x.shape, attrs.filterShape, attrs, "Conv2DBackpropFilter");
  if (dy.shape[0] !== g.batch || dy.shape[1] !== g.outH || dy.shape[2] !== g.outW || dy.shape[3] !== g.outC) {
    throw new Error(
      `Conv2DBackpropFilter (lib/wasm): dy has shape [${dy.shape}], expected [${[g.batch, g.outH, g.outW, g.outC]}]`,
    );
  }
  const m = g.batch * g.outH * g.outW;
  const k = g.kH * g.kW * g.inC;

  // XNNPACK packs the right operand of a product afresh for every new tensor (~5 ns per float,
  // as much as the product itself when the operand is large), so the smaller of the two
  // M-row operands goes right:
  //   K <= outC: dW^T [outC, K] = dy^T [outC, M] x patches [M, K]   (packs patches)
  //   otherwise: dW   [K, outC] = patchesT [K, M] x dy [M, outC]    (packs dy)
  if (k < g.outC) {
    const patches = alloc(backend, [m, k]);
    im2colInHeap(backend, offsetOf(backend, x), offsetOf(backend, patches), g);
    const dyT = alloc(backend, [g.outC, m]);
    transposeInHeap(backend, offsetOf(backend, dy), offsetOf(backend, dyT), m, g.outC);
    const dwT = matMul(backend, dyT, patches); // [outC, K]
    free(backend, patches, dyT);
    const dw = alloc(backend, [g.kH, g.kW, g.inC, g.outC]);
    transposeInHeap(backend, offsetOf(backend, dwT), offsetOf(backend, dw), g.outC, k);
    free(backend, dwT);
    return dw;
  }
  const patchesT = alloc(backend, [k, m]);
  const xT = channelsFirst(backend, offsetOf(backend, x), g); // [inC, N*H*W]
  im2colTransposedInHeap(backend, offsetOf(backend, xT), offsetOf(backend, patchesT), g, 0, g.batch);
  free(backend, xT);
  const dw = matMul(backend, patchesT, reshaped(dy, [m, g.outC])); // [K, outC]
  free(backend, patchesT);
  return reshaped(dw, [g.kH, g.kW, g.inC, g.outC]);
}
