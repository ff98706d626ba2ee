/**
 * Conv2DBackpropFilter for the wasm backend (which has none): the gradient of a convolution with
 * respect to its filter.
 *
 *   x: [N, H, W, inC], dy: [N, outH, outW, outC]  ->  dW: [kH, kW, inC, outC]
 *   dW[i, j, c, o] = sum_{n, oh, ow} x[n, oh*sH + i - padTop, ow*sW + j - padLeft, c] * dy[n, oh, ow, o]
 *
 * Three plans (backpropFilterPlan):
 * - "direct": a SIMD kernel (layout.c conv_dw) reads x and dy in place, 4 input x 8 output
 *   channels of one tap in registers; no im2col, no packing. Needs inC % 4 == 0, outC % 8 == 0.
 * - "padded": the same on a zero-padded copy of x, tiles over 4 consecutive (j, c) of a filter
 *   row (conv_dw_padded), for 1-3 input channels (the first encoder / last decoder layer).
 * - "im2col": im2col + one XNNPACK product, for other channel counts. The wasm BatchMatMul is
 *   fast only without transposes (with one it falls back to a scalar loop ~15x slower), and it
 *   packs its right operand afresh for every new tensor (~5 ns per float), so the smaller of the
 *   two M-row operands goes right:
 *     K <= outC: dW^T [outC, K] = dy^T [outC, M] x patches [M, K]   (packs patches)
 *     otherwise: dW   [K, outC] = patchesT [K, M] x dy [M, outC]    (packs dy)
 *
 * Measured at batch 64 inside a Burgess training step (ms per call, same minutes, load ~9):
 * 32x32x32 -> 16x16x32: im2col 43-57, direct 29-37; 16x16x32 -> 8x8x32: 11-19 vs 5-13;
 * 8x8x32 -> 4x4x32: 2.6-8 vs 1.2.
 * BVAE_WASM_DW=im2col forces the im2col plan (for A/B measurements).
 */
import * as tf from "@tensorflow/tfjs";
import { convGeometry, type ConvGeometry } from "./conv-geometry";
import { alloc, asWasm, free, heap, matMul, offsetOf, reshaped, type WasmBackend } from "./heap";
import {
  channelsFirst, convDwApplies, convDwInHeap, convDwPaddedApplies, convDwPaddedInHeap, im2colInHeap,
  im2colTransposedInHeap, padImagesInHeap, paddedSize, transposeInHeap,
} from "./layout";

export interface Conv2DBackpropFilterAttrs {
  readonly strides: number | [number, number];
  readonly pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  readonly dataFormat?: "NHWC" | "NCHW";
  readonly dimRoundingMode?: "floor" | "round" | "ceil";
  readonly filterShape: [number, number, number, number];
}

/** Which algorithm a given geometry uses. */
export type BackpropFilterPlan = "direct" | "padded" | "im2col";

export function backpropFilterPlan(g: ConvGeometry, env: NodeJS.ProcessEnv = process.env): BackpropFilterPlan {
  if (env.BVAE_WASM_DW === "im2col") return "im2col";
  // Outputs narrower than 4 pixels (a valid conv down to 1x1: dW = patches^T dy, one small
  // product) leave the direct kernels' register tiles mostly idle: 7-14 vs 3-7 ms for
  // 4x4x64 -> 1x1x256 at batch 64.
  if (g.outW < 4) return "im2col";
  if (convDwApplies(g)) return "direct";
  if (convDwPaddedApplies(g)) return "padded";
  return "im2col";
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
    throw new Error(`Conv2DBackpropFilter (lib/backend/wasm): expected float32 x and dy, got ${x.dtype} and ${dy.dtype}`);
  }
  const g = convGeometry(x.shape, attrs.filterShape, attrs, "Conv2DBackpropFilter");
  if (dy.shape[0] !== g.batch || dy.shape[1] !== g.outH || dy.shape[2] !== g.outW || dy.shape[3] !== g.outC) {
    throw new Error(
      `Conv2DBackpropFilter (lib/backend/wasm): dy has shape [${dy.shape}], expected [${[g.batch, g.outH, g.outW, g.outC]}]`,
    );
  }
  const plan = backpropFilterPlan(g);
  switch (plan) {
    case "direct":
    case "padded":
      return viaDirect(backend, x, dy, g, plan);
    case "im2col":
      return viaIm2col(backend, x, dy, g);
    default: {
      const never: never = plan;
      throw new Error(`unknown plan ${String(never)}`);
    }
  }
}

function viaDirect(backend: WasmBackend, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry, plan: "direct" | "padded"): tf.TensorInfo {
  const dw = alloc(backend, [g.kH, g.kW, g.inC, g.outC]);
  const at = offsetOf(backend, dw);
  heap(backend).fill(0, at, at + g.kH * g.kW * g.inC * g.outC);
  if (plan === "direct") {
    convDwInHeap(backend, offsetOf(backend, x), offsetOf(backend, dy), at, g);
    return dw;
  }
  // One image at a time through a padded scratch copy of its x (stays in L2).
  const [hp, wp] = paddedSize(g);
  const gi = { ...g, batch: 1 };
  const xp = alloc(backend, [1, hp, wp, g.inC]);
  const [xo, xpo, dyo] = [offsetOf(backend, x), offsetOf(backend, xp), offsetOf(backend, dy)];
  for (let n = 0; n < g.batch; n++) {
    padImagesInHeap(backend, xo + n * g.inH * g.inW * g.inC, xpo, gi, hp, wp);
    convDwPaddedInHeap(backend, xpo, dyo + n * g.outH * g.outW * g.outC, at, gi, hp, wp);
  }
  free(backend, xp);
  return dw;
}

function viaIm2col(backend: WasmBackend, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const m = g.batch * g.outH * g.outW;
  const k = g.kH * g.kW * g.inC;
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
