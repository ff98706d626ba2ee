/**
 * Conv2DBackpropInput for the wasm backend: the transposed convolution (gradient of a convolution
 * with respect to its input, and the forward pass of every conv2dTranspose layer), from SIMD
 * kernels of layout.c or the backend's XNNPACK Conv2D and MatMul. The backend's own kernel is a
 * scalar loop (~15x slower).
 *
 *   dy: [N, outH, outW, outC], filter: [kH, kW, inC, outC]  ->  dx: [N, inH, inW, inC]
 *   dx[n, t, u, c] = sum over (oh, i) with oh*sH + i - padTop = t, (ow, j) likewise,
 *                    of dy[n, oh, ow, o] * filter[i, j, c, o]
 *
 * Plans (backpropInputPlan):
 * - "direct" (multiples of 8 dx channels): the SIMD kernel layout.c conv_dx gathers, for tiles
 *   of 4 pixels of one row phase x 8 channels, the taps of that phase over a zero-padded copy of
 *   each image's dy; no intermediate tensors. Measured against "phase-convs" below (CPU ms,
 *   median of 15 calls with fresh tensors, batch 64, load ~8): 16x16x32 -> 32x32x32: 42 vs 58;
 *   8x8x32 -> 16x16x32: 11.3 vs 15.6; 4x4x32 -> 8x8x32: 3.3 vs 4.5.
 * - "direct-narrow" (1-7 dx channels, outC % 4 == 0: a decoder's last layer): conv_dx_narrow,
 *   vectorised over outC; 32x32x32 -> 64x64x1: 7.1-7.5 vs 8.0-8.8 for "phase-conv"
 *   (BVAE_WASM_DX=no-narrow skips it).
 * - "phase-convs" / "phase-conv": the sub-pixel (phase) decomposition below, for other channel
 *   counts. BVAE_WASM_DX=phase forces these (for A/B measurements).
 *
 * Sub-pixel (phase) decomposition. Write t + padTop = sH*q + r with 0 <= r < sH. Then
 *   dx[t] = sum_{m >= 0} dy[q - m] * filter[sH*m + r]   (m < JH = ceil(kH / sH))
 * so every output phase r is a stride-1 correlation of dy with a JH-tap slice of the filter,
 * flipped: XNNPACK Conv2D does the work, at ~1x the ideal FLOPs instead of sH*sW x for the
 * zero-inserted input. Stride 1 is the usual flipped-filter conv. Two variants:
 * - "phase-convs" (./phase-convs.ts): one exact conv per phase, then a scatter.
 * - "phase-conv" (below): all sH*sW phases as the output channels of ONE conv with a
 *   [JH, JW, outC, sH*sW*inC] filter, then an interleave; computes (H/2+1)^2/(H/2)^2 of the
 *   ideal FLOPs at stride 2 (+13% at H = 32) and is ~2x slower at 32 channels, but much faster
 *   when dx has 1-3 channels, and it covers paddings where a phase would need negative padding.
 *
 * dy of spatial size 1x1 (the 1x1 -> 4x4 layer, and the gradient of the valid 4x4 -> 1x1 conv)
 * is a plain matrix product dy [N, outC] x W' [outC, inH*inW*inC].
 */
import * as tf from "@tensorflow/tfjs";
import { convGeometry, type ConvGeometry } from "./conv-geometry";
import { alloc, asWasm, callKernel, free, heap, matMul, offsetOf, reshaped, type WasmBackend } from "./heap";
import { convDxApplies, convDxInHeap, convDxNarrowApplies, convDxNarrowInHeap, dxPadding, padImagesInHeap, phaseInterleaveInHeap, transposeInHeap } from "./layout";
import { phaseConvsApply, viaPhaseConvs } from "./phase-convs";

export interface Conv2DBackpropInputAttrs {
  readonly strides: number | [number, number];
  readonly pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  readonly dataFormat?: "NHWC" | "NCHW";
  readonly dimRoundingMode?: "floor" | "round" | "ceil";
  readonly inputShape: [number, number, number, number];
}

/** Which algorithm a given geometry uses (also reported by the benchmark). */
export type BackpropInputPlan = "matmul" | "direct" | "direct-narrow" | "phase-convs" | "phase-conv" | "fallback";

/** Below this many dx channels the phases run as one conv (see backpropInputPlan). */
const PHASE_CONVS_MIN_CHANNELS = 8;

export function backpropInputPlan(g: ConvGeometry, env: NodeJS.ProcessEnv = process.env): BackpropInputPlan {
  if (g.outH === 1 && g.outW === 1) return "matmul";
  if (env.BVAE_WASM_DX !== "phase") {
    if (convDxApplies(g)) return "direct";
    if (g.inC < PHASE_CONVS_MIN_CHANNELS && convDxNarrowApplies(g) && env.BVAE_WASM_DX !== "no-narrow") return "direct-narrow";
  }
  // Per-phase convs have inC output channels each: with few (a decoder's last layer, inC = 1 or
  // 3) XNNPACK runs far below speed (28 vs 12 ms for 32x32x32 -> 64x64x1), so those go to the
  // all-phases-in-one-conv path with sH*sW*inC outputs.
  if (g.inC >= PHASE_CONVS_MIN_CHANNELS && phaseConvsApply(g)) return "phase-convs";
  // Padding larger than the filter (never used by the models) would need negative conv padding.
  if (g.padTop > g.kH - 1 || g.padLeft > g.kW - 1) return "fallback";
  return "phase-conv";
}

export function makeConv2dBackpropInputWasm(fallback: tf.KernelFunc | undefined): tf.KernelFunc {
  return (args) => {
    const backend = asWasm(args.backend);
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
    if (dy.dtype !== "float32" || filter.dtype !== "float32") {
      throw new Error(`Conv2DBackpropInput (lib/backend/wasm): expected float32 dy and filter, got ${dy.dtype} and ${filter.dtype}`);
    }
    const g = convGeometry(attrs.inputShape, filter.shape, attrs, "Conv2DBackpropInput");
    const plan = backpropInputPlan(g);
    switch (plan) {
      case "matmul":
        return viaMatMul(backend, dy, filter, g);
      case "direct":
      case "direct-narrow":
        return viaDirect(backend, dy, filter, g, plan);
      case "phase-convs":
        return viaPhaseConvs(backend, dy, filter, g);
      case "phase-conv":
        return viaPhaseConv(backend, dy, filter, g);
      case "fallback":
        if (!fallback) throw new Error("Conv2DBackpropInput (lib/backend/wasm): padding larger than the filter is not supported");
        return fallback(args);
      default: {
        const never: never = plan;
        throw new Error(`unknown plan ${String(never)}`);
      }
    }
  };
}

/** dy [N, 1, 1, outC] -> dx [N, inH, inW, inC] = dy x W', W'[o, (t, u, c)] = filter[t + padTop, u + padLeft, c, o]. */
function viaMatMul(backend: WasmBackend, dy: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const { inH, inW, inC, outC, kH, kW, padTop, padLeft } = g;
  const cols = inH * inW * inC;
  const wT = alloc(backend, [outC, cols]);
  const mem = heap(backend);
  const f = offsetOf(backend, filter);
  const w = offsetOf(backend, wT);
  for (let t = 0; t < inH; t++) {
    const i = t + padTop;
    for (let u = 0; u < inW; u++) {
      const j = u + padLeft;
      const inside = i < kH && j < kW;
      for (let c = 0; c < inC; c++) {
        const col = (t * inW + u) * inC + c;
        const src = f + ((i * kW + j) * inC + c) * outC;
        for (let o = 0; o < outC; o++) mem[w + o * cols + col] = inside ? mem[src + o] : 0;
      }
    }
  }
  const dx = matMul(backend, reshaped(dy, [g.batch, outC]), wT); // [N, inH*inW*inC]
  free(backend, wT);
  return reshaped(dx, [g.batch, inH, inW, inC]);
}

/** The SIMD kernel conv_dx on dy zero-padded at its borders and the filter as [kH, kW, outC, inC]. */
function viaDirect(backend: WasmBackend, dy: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry, plan: "direct" | "direct-narrow"): tf.TensorInfo {
  const { batch, inH, inW, inC, outC, kH, kW } = g;
  const p = dxPadding(g);
  // "direct": the filter as [kH, kW, outC, inC]; "direct-narrow" reads it as it is.
  const wT = plan === "direct" ? alloc(backend, [kH, kW, outC, inC]) : undefined;
  const f = offsetOf(backend, filter);
  const w = wT ? offsetOf(backend, wT) : f;
  if (wT) for (let tap = 0; tap < kH * kW; tap++) transposeInHeap(backend, f + tap * inC * outC, w + tap * inC * outC, inC, outC);
  // One image at a time through a padded scratch copy of its dy (stays in L2).
  const gi = { ...g, batch: 1 };
  const dyP = alloc(backend, [1, p.hp, p.wp, outC]);
  const dx = alloc(backend, [batch, inH, inW, inC]);
  const [dyo, dypo, dxo] = [offsetOf(backend, dy), offsetOf(backend, dyP), offsetOf(backend, dx)];
  const dyGeometry = { ...gi, inH: g.outH, inW: g.outW, inC: outC, padTop: p.ph, padLeft: p.pw };
  for (let n = 0; n < batch; n++) {
    padImagesInHeap(backend, dyo + n * g.outH * g.outW * outC, dypo, dyGeometry, p.hp, p.wp);
    if (plan === "direct") convDxInHeap(backend, dypo, w, dxo + n * inH * inW * inC, gi, p);
    else convDxNarrowInHeap(backend, dypo, w, dxo + n * inH * inW * inC, gi, p);
  }
  free(backend, dyP);
  if (wT) free(backend, wT);
  return dx;
}

function viaPhaseConv(backend: WasmBackend, dy: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const { batch, inH, inW, inC, outH, outW, outC, kH, kW, sH, sW, padTop, padLeft } = g;
  const jH = Math.ceil(kH / sH);
  const jW = Math.ceil(kW / sW);
  const phases = sH * sW;
  // Output rows t use q in [q0, q1]; the conv's first row is q0.
  const q0H = Math.floor(padTop / sH);
  const q0W = Math.floor(padLeft / sW);
  const rowsH = Math.floor((inH - 1 + padTop) / sH) - q0H + 1;
  const rowsW = Math.floor((inW - 1 + padLeft) / sW) - q0W + 1;
  const zPadTop = jH - 1 - q0H;
  const zPadLeft = jW - 1 - q0W;
  const zPadBottom = Math.max(0, rowsH - outH - zPadTop + jH - 1);
  const zPadRight = Math.max(0, rowsW - outW - zPadLeft + jW - 1);

  // Phase filter F[m', n', o, (rH*sW + rW)*inC + c] = filter[sH*(jH-1-m') + rH, sW*(jW-1-n') + rW, c, o].
  const zC = phases * inC;
  const phaseFilter = alloc(backend, [jH, jW, outC, zC]);
  const mem = heap(backend);
  const f = offsetOf(backend, filter);
  const pf = offsetOf(backend, phaseFilter);
  for (let a = 0; a < jH; a++) {
    for (let b = 0; b < jW; b++) {
      for (let o = 0; o < outC; o++) {
        const row = pf + ((a * jW + b) * outC + o) * zC;
        for (let rH = 0; rH < sH; rH++) {
          const i = sH * (jH - 1 - a) + rH;
          for (let rW = 0; rW < sW; rW++) {
            const j = sW * (jW - 1 - b) + rW;
            const dst = row + (rH * sW + rW) * inC;
            if (i >= kH || j >= kW) {
              for (let c = 0; c < inC; c++) mem[dst + c] = 0;
            } else {
              const src = f + (i * kW + j) * inC * outC + o;
              for (let c = 0; c < inC; c++) mem[dst + c] = mem[src + c * outC];
            }
          }
        }
      }
    }
  }

  const z = callKernel(
    "Conv2D",
    backend,
    { x: dy, filter: phaseFilter },
    {
      strides: [1, 1],
      pad: [[0, 0], [zPadTop, zPadBottom], [zPadLeft, zPadRight], [0, 0]],
      dataFormat: "NHWC",
      dilations: [1, 1],
      dimRoundingMode: undefined,
    },
  ); // [N, zH, zW, phases*inC]
  free(backend, phaseFilter);
  const zH = z.shape[1];
  const zW = z.shape[2];

  const dx = alloc(backend, [batch, inH, inW, inC]);
  phaseInterleaveInHeap(backend, offsetOf(backend, z), offsetOf(backend, dx), {
    batch, inH, inW, inC, sH, sW, padTop, padLeft, q0H, q0W, zH, zW,
  });
  free(backend, z);
  return dx;
}
