/**
 * Conv2D for the wasm backend, for inputs with few channels (the first encoder layer on 1- or
 * 3-channel images, and the input gradient of the last decoder layer): XNNPACK's Conv2D runs
 * far below speed there (K = kH*kW*inC = 16 for one channel), and in training it also rebuilds
 * its operator (weights packed, indirection buffer of outH*outW*kH*kW pointers per image) on every
 * call because the filter and the input are new tensors each step. Here: a zero-padded copy of x
 * and the SIMD kernel conv_fwd_padded (4 pixels x 8 output channels in registers).
 *
 *   x: [N, H, W, inC], filter: [kH, kW, inC, outC]  ->  y: [N, outH, outW, outC]
 *
 * Other geometries (more channels, dilations, outC not a multiple of 8) go to the backend's own
 * kernel. BVAE_WASM_CONV=xnnpack sends everything there (for A/B measurements).
 */
import * as tf from "@tensorflow/tfjs";
import { convGeometry, type ConvGeometry } from "./conv-geometry";
import { alloc, asWasm, free, offsetOf } from "./heap";
import { convFwdPaddedInHeap, padImagesInHeap, paddedSize } from "./layout";

/** Up to this many input channels the direct kernel is used. */
const DIRECT_MAX_CHANNELS = 3;

export type Conv2DPlan = "direct" | "backend";

export function conv2dPlan(g: ConvGeometry, dilations: number | [number, number] | undefined, env: NodeJS.ProcessEnv = process.env): Conv2DPlan {
  if (env.BVAE_WASM_CONV === "xnnpack") return "backend";
  const d = dilations === undefined ? [1, 1] : typeof dilations === "number" ? [dilations, dilations] : dilations;
  if (d[0] !== 1 || d[1] !== 1) return "backend";
  return g.inC <= DIRECT_MAX_CHANNELS && g.outC % 8 === 0 ? "direct" : "backend";
}

export function makeConv2dWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as {
      strides: number | [number, number];
      pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
      dataFormat?: "NHWC" | "NCHW";
      dilations?: number | [number, number];
      dimRoundingMode?: "floor" | "round" | "ceil";
    };
    if (x.dtype !== "float32" || filter.dtype !== "float32" || (attrs.dataFormat !== undefined && attrs.dataFormat !== "NHWC")) {
      return original(args);
    }
    const g = convGeometry(x.shape, filter.shape, attrs, "Conv2D");
    const plan = conv2dPlan(g, attrs.dilations);
    switch (plan) {
      case "backend":
        return original(args);
      case "direct": {
        const backend = asWasm(args.backend);
        const [hp, wp] = paddedSize(g);
        const xp = alloc(backend, [g.batch, hp, wp, g.inC]);
        padImagesInHeap(backend, offsetOf(backend, x), offsetOf(backend, xp), g, hp, wp);
        const y = alloc(backend, [g.batch, g.outH, g.outW, g.outC]);
        convFwdPaddedInHeap(backend, offsetOf(backend, xp), offsetOf(backend, filter), offsetOf(backend, y), g, hp, wp);
        free(backend, xp);
        return y;
      }
      default: {
        const never: never = plan;
        throw new Error(`unknown plan ${String(never)}`);
      }
    }
  };
}
