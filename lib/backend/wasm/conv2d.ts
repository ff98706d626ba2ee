/**
 * Conv2D for the wasm backend: a zero-padded copy of x and the SIMD kernel conv_fwd_padded
 * (4 pixels x 8 output channels in registers). In training XNNPACK's Conv2D rebuilds its operator
 * (weights packed, an indirection buffer of outH*outW*kH*kW pointers per image) on every call,
 * since the filter and the input are new tensors each step, and with few input channels (the
 * first encoder layer on 1- or 3-channel images, the input gradient of the last decoder layer:
 * K = kH*kW*inC = 16) it runs far below speed. Measured with fresh tensors per call (CPU ms,
 * median of 15, batch 64, 4x4 stride 2, load ~6.7): 64x64x1 -> 32: 5-16 vs 3-7 (in a training
 * step); 32x32x32 -> 32: 25.2 vs 21.7; 16x16x32: 6.0 vs 5.5; 8x8x32: 1.7 vs 1.45.
 *
 *   x: [N, H, W, inC], filter: [kH, kW, inC, outC]  ->  y: [N, outH, outW, outC]
 *
 * Other geometries (dilations, outC not a multiple of 8, outputs narrower than 4 pixels) go to
 * the backend's own kernel. BVAE_WASM_CONV=xnnpack sends everything there (for A/B measurements).
 */
import * as tf from "@tensorflow/tfjs";
import { convGeometry, type ConvGeometry } from "./conv-geometry";
import { alloc, asWasm, free, offsetOf } from "./heap";
import { convFwdPaddedInHeap, padImagesInHeap, paddedSize } from "./layout";

export type Conv2DPlan = "direct" | "backend";

export function conv2dPlan(g: ConvGeometry, dilations: number | [number, number] | undefined, env: NodeJS.ProcessEnv = process.env): Conv2DPlan {
  if (env.BVAE_WASM_CONV === "xnnpack") return "backend";
  const d = dilations === undefined ? [1, 1] : typeof dilations === "number" ? [dilations, dilations] : dilations;
  if (d[0] !== 1 || d[1] !== 1 || g.outC % 8 !== 0) return "backend";
  // Rows narrower than one 4-pixel tile (e.g. a valid conv down to 1x1) are a plain matrix
  // product, which XNNPACK does better.
  return g.inC <= 3 || g.outW >= 4 ? "direct" : "backend";
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
        // One image at a time through a padded scratch image (stays in L2; no padded copy of
        // the whole batch).
        const backend = asWasm(args.backend);
        const [hp, wp] = paddedSize(g);
        const gi = { ...g, batch: 1 };
        const xp = alloc(backend, [1, hp, wp, g.inC]);
        const y = alloc(backend, [g.batch, g.outH, g.outW, g.outC]);
        const [xo, xpo, fo, yo] = [offsetOf(backend, x), offsetOf(backend, xp), offsetOf(backend, filter), offsetOf(backend, y)];
        for (let n = 0; n < g.batch; n++) {
          padImagesInHeap(backend, xo + n * g.inH * g.inW * g.inC, xpo, gi, hp, wp);
          convFwdPaddedInHeap(backend, xpo, fo, yo + n * g.outH * g.outW * g.outC, gi, hp, wp);
        }
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
