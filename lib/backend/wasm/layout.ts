/**
 * Data-layout kernels of the wasm training kernels: transposes, transposed im2col, the phase
 * interleave of the sub-pixel transposed convolution, column sums, and the fused Adam and Adagrad
 * updates.
 *
 * Each runs as WebAssembly SIMD (layout.c, embedded in layout-wasm.ts) instantiated on the
 * backend's own memory, so it reads and writes tensors in place, ~5-10x faster than the same loops
 * over typed arrays. The plain TypeScript versions below are the reference (tests compare the two)
 * and the fallback where the module cannot be instantiated.
 *
 * All offsets are in float32 elements from the start of the backend's heap.
 *
 * BVAE_WASM_FIXED_STRIDES=0 runs the conv kernels' loops with run-time tile strides instead of
 * the compiled-in ones (fixedStrides below; for A/B measurements, same results).
 */
import type * as tf from "@tensorflow/tfjs";
import type { ConvGeometry } from "./conv-geometry";
import { alloc, free, heap, offsetOf, type WasmBackend } from "./heap";
import { LAYOUT_WASM_BASE64, LAYOUT_WASM_RELAXED_BASE64 } from "./layout-wasm";

/** "simd": layout.c; "js": the TypeScript loops. */
export type LayoutImplementation = "simd" | "js";

interface LayoutExports {
  transpose2d(src: number, dst: number, rows: number, cols: number): void;
  im2col_t(xT: number, out: number, batch: number, n0: number, nCount: number, inH: number, inW: number, inC: number, outH: number, outW: number,
    kH: number, kW: number, sH: number, sW: number, padTop: number, padLeft: number): void;
  im2col(x: number, out: number, batch: number, inH: number, inW: number, inC: number, outH: number, outW: number,
    kH: number, kW: number, sH: number, sW: number, padTop: number, padLeft: number): void;
  phase_interleave(z: number, dx: number, batch: number, inH: number, inW: number, inC: number, sH: number, sW: number,
    padTop: number, padLeft: number, q0H: number, q0W: number, zH: number, zW: number): void;
  phase_scatter(z: number, dx: number, batch: number, inH: number, inW: number, inC: number, tStart: number, uStart: number,
    sH: number, sW: number, countH: number, countW: number, zH: number, zW: number): void;
  conv_dw(x: number, dy: number, dw: number, batch: number, inH: number, inW: number, inC: number, outH: number, outW: number,
    outC: number, kH: number, kW: number, sH: number, sW: number, padTop: number, padLeft: number, rows: number, fixedStrides: number): void;
  pad_images(x: number, xp: number, batch: number, inH: number, inW: number, inC: number, hp: number, wp: number, padTop: number, padLeft: number): void;
  conv_dw_padded(xp: number, dy: number, dw: number, batch: number, hp: number, wp: number, inC: number, outH: number, outW: number,
    outC: number, kH: number, kW: number, sH: number, sW: number, rows: number, fixedStrides: number): void;
  conv_dx(dyP: number, wT: number, dx: number, batch: number, inH: number, inW: number, inC: number, hp: number, wp: number, outC: number,
    kH: number, kW: number, sH: number, sW: number, padTop: number, padLeft: number, ph: number, pw: number, fixedStrides: number): void;
  conv_fwd_padded(xp: number, w: number, y: number, batch: number, hp: number, wp: number, inC: number, outH: number, outW: number,
    outC: number, kH: number, kW: number, sH: number, sW: number, fixedStrides: number): void;
  conv_dx_narrow(dyP: number, w: number, dx: number, batch: number, inH: number, inW: number, inC: number, hp: number, wp: number, outC: number,
    kH: number, kW: number, sH: number, sW: number, padTop: number, padLeft: number, ph: number, pw: number): void;
  gemm(a: number, b: number, c: number, m: number, k: number, n: number, kc: number): void;
  exp_floats(x: number, out: number, n: number): void;
  log1p_floats(x: number, out: number, n: number): void;
  column_sums(x: number, out: number, acc: number, rows: number, cols: number): void;
  bias_add(x: number, bias: number, out: number, rows: number, cols: number): void;
  adam_update(w: number, m: number, v: number, g: number, wOut: number, mOut: number, vOut: number, n: number,
    b1: number, omb1: number, b2: number, omb2: number, invSqrtBc2: number, eps: number, stepSize: number): void;
  adagrad_update(w: number, s: number, g: number, wOut: number, sOut: number, n: number, eps: number, lr: number): void;
}

/** The WebAssembly JS API (tsconfig's libs do not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: abstract new (...args: never[]) => object;
  validate(bytes: Uint8Array): boolean;
}
const WA = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** "plain": mul + add; "relaxed": f32x4.relaxed_madd (fused on CPUs with FMA) in the conv / matrix kernels. */
type Variant = "plain" | "relaxed";

let preferred: LayoutImplementation = "simd";
const compiled: Partial<Record<Variant, object>> = {};
const instances = new WeakMap<object, Partial<Record<Variant, LayoutExports>>>();
let relaxedAccepted: boolean | undefined;

/** Chooses the implementation (tests run both); "simd" falls back to "js" if it cannot load. */
export function setLayoutImplementation(impl: LayoutImplementation): void {
  preferred = impl;
}

/** What the kernels use on this backend right now. */
export function layoutImplementation(backend: WasmBackend): LayoutImplementation {
  return simd(backend) ? "simd" : "js";
}

/**
 * Whether the kernels use the Relaxed SIMD module (one fused multiply-add instead of a multiply
 * and an add: ~1.25x faster training steps measured here). Used by default where the engine accepts
 * Relaxed SIMD: Node 22 and later as is; Node 20 after --experimental-wasm-relaxed-simd, which this
 * sets at run time (v8.setFlagsFromString) before the module is compiled. If the module still does
 * not validate, the plain one is used. BVAE_WASM_RELAXED=0 never uses it. Results differ from the
 * plain module by rounding (both are tested against the cpu backend).
 */
export function relaxedSimdInUse(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.BVAE_WASM_RELAXED === "0" || !WA) return false;
  if (relaxedAccepted === undefined) {
    const bytes = Buffer.from(LAYOUT_WASM_RELAXED_BASE64, "base64");
    relaxedAccepted = WA.validate(bytes);
    if (!relaxedAccepted) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require("node:v8") as { setFlagsFromString(flags: string): void }).setFlagsFromString("--experimental-wasm-relaxed-simd");
      relaxedAccepted = WA.validate(bytes);
    }
  }
  return relaxedAccepted;
}

function simd(backend: WasmBackend): LayoutExports | undefined {
  if (preferred === "js") return undefined;
  const memory = (backend.wasm as { asm?: { memory?: unknown } }).asm?.memory;
  if (!WA || !(memory instanceof WA.Memory)) return undefined;
  const variant: Variant = relaxedSimdInUse() ? "relaxed" : "plain";
  let byVariant = instances.get(memory);
  if (!byVariant) {
    byVariant = {};
    instances.set(memory, byVariant);
  }
  let inst = byVariant[variant];
  if (!inst) {
    try {
      const module = (compiled[variant] ??= new WA.Module(Buffer.from(variant === "relaxed" ? LAYOUT_WASM_RELAXED_BASE64 : LAYOUT_WASM_BASE64, "base64")));
      inst = new WA.Instance(module, { env: { memory } }).exports as unknown as LayoutExports;
    } catch {
      preferred = "js"; // e.g. a runtime without WebAssembly SIMD
      return undefined;
    }
    byVariant[variant] = inst;
  }
  return inst;
}

/** dst [cols, rows] = src [rows, cols]^T. */
export function transposeInHeap(backend: WasmBackend, src: number, dst: number, rows: number, cols: number): void {
  const k = simd(backend);
  if (k) return k.transpose2d(src * 4, dst * 4, rows, cols);
  const mem = heap(backend);
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      for (let r = r0; r < r1; r++) {
        const s = src + r * cols;
        for (let c = c0; c < c1; c++) mem[dst + c * rows + r] = mem[s + c];
      }
    }
  }
}

/**
 * im2col: out[(n, oh, ow), (i, j, c)] = x[n, oh*sH + i - padTop, ow*sW + j - padLeft, c] (0 outside
 * the image); out: [N*outH*outW, kH*kW*inC].
 */
export function im2colInHeap(backend: WasmBackend, x: number, out: number, g: ConvGeometry): void {
  const { batch, inH, inW, inC, outH, outW, kH, kW, sH, sW, padTop, padLeft } = g;
  const k = simd(backend);
  if (k) return k.im2col(x * 4, out * 4, batch, inH, inW, inC, outH, outW, kH, kW, sH, sW, padTop, padLeft);
  const mem = heap(backend);
  const seg = kW * inC;
  let dst = out;
  for (let n = 0; n < batch; n++) {
    const img = x + n * inH * inW * inC;
    for (let oh = 0; oh < outH; oh++) {
      const ih0 = oh * sH - padTop;
      for (let ow = 0; ow < outW; ow++) {
        const iw0 = ow * sW - padLeft;
        const jLo = iw0 < 0 ? -iw0 : 0;
        const jHi = Math.min(kW, inW - iw0);
        for (let i = 0; i < kH; i++) {
          const ih = ih0 + i;
          if (ih < 0 || ih >= inH || jHi <= jLo) {
            mem.fill(0, dst, dst + seg);
          } else {
            mem.fill(0, dst, dst + jLo * inC);
            mem.copyWithin(dst + jLo * inC, img + (ih * inW + iw0 + jLo) * inC, img + (ih * inW + iw0 + jHi) * inC);
            mem.fill(0, dst + jHi * inC, dst + seg);
          }
          dst += seg;
        }
      }
    }
  }
}

/** x [N, H, W, C] as [C, N, H, W] in a new scratch tensor (the caller frees it). */
export function channelsFirst(backend: WasmBackend, x: number, g: ConvGeometry): tf.TensorInfo {
  const pixels = g.batch * g.inH * g.inW;
  const scratch = alloc(backend, [g.inC, pixels]);
  transposeInHeap(backend, x, offsetOf(backend, scratch), pixels, g.inC);
  return scratch;
}

/**
 * Transposed im2col of images n0 .. n0+nCount-1, from xT = channelsFirst(x):
 *   out[(i, j, c), (n, oh, ow)] = x[n0 + n, oh*sH + i - padTop, ow*sW + j - padLeft, c]  (0 outside)
 * out: [kH*kW*inC, nCount*outH*outW].
 */
export function im2colTransposedInHeap(backend: WasmBackend, xT: number, out: number, g: ConvGeometry, n0: number, nCount: number): void {
  const { batch, inH, inW, inC, outH, outW, kH, kW, sH, sW, padTop, padLeft } = g;
  const k = simd(backend);
  if (k) return k.im2col_t(xT * 4, out * 4, batch, n0, nCount, inH, inW, inC, outH, outW, kH, kW, sH, sW, padTop, padLeft);
  const mem = heap(backend);
  const plane = inH * inW;
  const cols = nCount * outH * outW;
  for (let c = 0; c < inC; c++) {
    for (let n = 0; n < nCount; n++) {
      const img = xT + (c * batch + n0 + n) * plane;
      for (let i = 0; i < kH; i++) {
        for (let j = 0; j < kW; j++) {
          let dst = out + ((i * kW + j) * inC + c) * cols + n * outH * outW;
          for (let oh = 0; oh < outH; oh++) {
            const ih = oh * sH + i - padTop;
            for (let ow = 0; ow < outW; ow++) {
              const iw = ow * sW + j - padLeft;
              mem[dst + ow] = ih < 0 || ih >= inH || iw < 0 || iw >= inW ? 0 : mem[img + ih * inW + iw];
            }
            dst += outW;
          }
        }
      }
    }
  }
}

/**
 * 1 (default): conv_dw, conv_dw_padded, conv_dx and conv_fwd_padded run their loops compiled for
 * the tile strides the models use (layout.c tile_madd_k: load offsets instead of one add per
 * load; measured 2-18% faster per kernel). BVAE_WASM_FIXED_STRIDES=0: the run-time-stride loops
 * (the previous kernels, for A/B measurements). Both give the same floats.
 */
export function fixedStrides(env: NodeJS.ProcessEnv = process.env): number {
  return env.BVAE_WASM_FIXED_STRIDES === "0" ? 0 : 1;
}

/** True if convDwInHeap's SIMD tiles fit the channel counts (4 input x 8 output channels). */
export function convDwApplies(g: ConvGeometry): boolean {
  return g.inC % 4 === 0 && g.outC % 8 === 0;
}

/** Output pixels per block of conv_dw: their dy and x rows stay in L1 across all taps. */
const DW_BLOCK_PIXELS = 64;

/** conv_dw's and conv_dw_padded's `rows`: whole output rows per block of DW_BLOCK_PIXELS. */
function dwBlockRows(g: ConvGeometry): number {
  return Math.max(1, Math.floor(DW_BLOCK_PIXELS / g.outW));
}

/**
 * The pixel loops of the TypeScript reference kernels: f(n, r, c, pixel) for every pixel of
 * [batch, height, width] in row-major order, pixel = (n * height + r) * width + c.
 */
function forEachPixel(batch: number, height: number, width: number, f: (n: number, r: number, c: number, pixel: number) => void): void {
  for (let n = 0; n < batch; n++) {
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) f(n, r, c, (n * height + r) * width + c);
    }
  }
}

/**
 * The filter gradient straight from x and dy (no im2col), added to dw:
 *   dw[i, j, c, o] += sum_{n, oh, ow} x[n, oh*sH + i - padTop, ow*sW + j - padLeft, c] * dy[n, oh, ow, o]
 * x: [N, H, W, inC], dy: [N, outH, outW, outC], dw: [kH, kW, inC, outC]; needs convDwApplies(g).
 */
export function convDwInHeap(backend: WasmBackend, x: number, dy: number, dw: number, g: ConvGeometry): void {
  const { batch, inH, inW, inC, outH, outW, outC, kH, kW, sH, sW, padTop, padLeft } = g;
  if (!convDwApplies(g)) throw new Error(`lib/backend/wasm: conv_dw needs inC % 4 == 0 and outC % 8 == 0, got ${inC} and ${outC}`);
  const k = simd(backend);
  if (k) return k.conv_dw(x * 4, dy * 4, dw * 4, batch, inH, inW, inC, outH, outW, outC, kH, kW, sH, sW, padTop, padLeft, dwBlockRows(g), fixedStrides());
  const mem = heap(backend);
  forEachPixel(batch, outH, outW, (n, oh, ow, pixel) => {
    const d = dy + pixel * outC;
    for (let i = 0; i < kH; i++) {
      const ih = oh * sH + i - padTop;
      if (ih < 0 || ih >= inH) continue;
      for (let j = 0; j < kW; j++) {
        const iw = ow * sW + j - padLeft;
        if (iw < 0 || iw >= inW) continue;
        const xp = x + ((n * inH + ih) * inW + iw) * inC;
        const wp = dw + (i * kW + j) * inC * outC;
        for (let c = 0; c < inC; c++) {
          const v = mem[xp + c];
          const row = wp + c * outC;
          for (let o = 0; o < outC; o++) mem[row + o] += v * mem[d + o];
        }
      }
    }
  });
}

/** Size [Hp, Wp] of x zero-padded so that every filter tap of every output pixel is inside it. */
export function paddedSize(g: ConvGeometry): [number, number] {
  return [Math.max(g.inH + g.padTop, g.sH * (g.outH - 1) + g.kH), Math.max(g.inW + g.padLeft, g.sW * (g.outW - 1) + g.kW)];
}

/** xp [N, Hp, Wp, C] = x [N, H, W, C] moved down by padTop and right by padLeft, 0 elsewhere. */
export function padImagesInHeap(backend: WasmBackend, x: number, xp: number, g: ConvGeometry, hp: number, wp: number): void {
  const { batch, inH, inW, inC, padTop, padLeft } = g;
  const k = simd(backend);
  if (k) return k.pad_images(x * 4, xp * 4, batch, inH, inW, inC, hp, wp, padTop, padLeft);
  const mem = heap(backend);
  mem.fill(0, xp, xp + batch * hp * wp * inC);
  for (let n = 0; n < batch; n++) {
    for (let ih = 0; ih < inH && ih + padTop < hp; ih++) {
      const src = x + (n * inH + ih) * inW * inC;
      const dst = xp + ((n * hp + ih + padTop) * wp + padLeft) * inC;
      mem.copyWithin(dst, src, src + Math.min(inW, wp - padLeft) * inC);
    }
  }
}

/** True if convDwPaddedInHeap's tiles fit (4 consecutive (j, c) of a filter row x 8 output channels). */
export function convDwPaddedApplies(g: ConvGeometry): boolean {
  return (g.kW * g.inC) % 4 === 0 && g.outC % 8 === 0;
}

/**
 * As convDwInHeap, from xp = padImagesInHeap(x) [N, Hp, Wp, inC] (for 1-3 input channels):
 *   dw[i, j, c, o] += sum_{n, oh, ow} xp[n, oh*sH + i, ow*sW + j, c] * dy[n, oh, ow, o]
 */
export function convDwPaddedInHeap(backend: WasmBackend, xp: number, dy: number, dw: number, g: ConvGeometry, hp: number, wp: number): void {
  const { batch, inC, outH, outW, outC, kH, kW, sH, sW } = g;
  if (!convDwPaddedApplies(g)) throw new Error(`lib/backend/wasm: conv_dw_padded needs kW*inC % 4 == 0 and outC % 8 == 0, got ${kW * inC} and ${outC}`);
  const k = simd(backend);
  if (k) return k.conv_dw_padded(xp * 4, dy * 4, dw * 4, batch, hp, wp, inC, outH, outW, outC, kH, kW, sH, sW, dwBlockRows(g), fixedStrides());
  const mem = heap(backend);
  forEachPixel(batch, outH, outW, (n, oh, ow, pixel) => {
    const d = dy + pixel * outC;
    for (let i = 0; i < kH; i++) {
      const xr = xp + ((n * hp + oh * sH + i) * wp + ow * sW) * inC;
      const wr = dw + i * kW * inC * outC;
      for (let t = 0; t < kW * inC; t++) {
        const v = mem[xr + t];
        for (let o = 0; o < outC; o++) mem[wr + t * outC + o] += v * mem[d + o];
      }
    }
  });
}

/** How dy is zero-padded for convDxInHeap: [PH, PW] rows / columns before, [HP, WP] in all. */
export interface DxPadding {
  readonly ph: number;
  readonly pw: number;
  readonly hp: number;
  readonly wp: number;
}

/** Padding of dy so that every tap of every dx pixel reads inside it (zeros where dy has none). */
export function dxPadding(g: ConvGeometry): DxPadding {
  const axis = (inSize: number, outSize: number, k: number, s: number, pad: number): [number, number] => {
    const lo = Math.floor((pad - (k - 1)) / s);
    const hi = Math.floor((inSize - 1 + pad) / s);
    const before = Math.max(0, -lo);
    return [before, before + Math.max(outSize, hi + 1)];
  };
  const [ph, hp] = axis(g.inH, g.outH, g.kH, g.sH, g.padTop);
  const [pw, wp] = axis(g.inW, g.outW, g.kW, g.sW, g.padLeft);
  return { ph, pw, hp, wp };
}

/**
 * The filter taps (i, j) that reach dx pixel (n, t, u) of the transposed convolution, in order:
 * f(d, tap) with tap = i * kW + j and d the offset of dyP[n, oh, ow, 0], where
 * t + padTop - i = sH * (oh - ph) and u + padLeft - j = sW * (ow - pw).
 */
function forEachDxTap(g: ConvGeometry, p: DxPadding, dyP: number, n: number, t: number, u: number, f: (d: number, tap: number) => void): void {
  const { kH, kW, sH, sW, padTop, padLeft, outC } = g;
  for (let i = (t + padTop) % sH; i < kH; i += sH) {
    const oh = (t + padTop - i) / sH + p.ph;
    for (let j = (u + padLeft) % sW; j < kW; j += sW) {
      const ow = (u + padLeft - j) / sW + p.pw;
      f(dyP + ((n * p.hp + oh) * p.wp + ow) * outC, i * kW + j);
    }
  }
}

/** True if convDxInHeap's tiles fit (8 dx channels). */
export function convDxApplies(g: ConvGeometry): boolean {
  return g.inC % 8 === 0;
}

/** True if convDxNarrowInHeap's vectors fit (4 dy channels). */
export function convDxNarrowApplies(g: ConvGeometry): boolean {
  return g.outC % 4 === 0;
}

/**
 * Checks that layout.c's conv_dx / conv_dx_narrow (same arguments) fits g, then runs it if the
 * SIMD module is in use; false if the caller runs its TypeScript loops instead.
 */
function dxSimd(backend: WasmBackend, kernel: "conv_dx" | "conv_dx_narrow", dyP: number, w: number, dx: number, g: ConvGeometry, p: DxPadding): boolean {
  switch (kernel) {
    case "conv_dx":
      if (!convDxApplies(g)) throw new Error(`lib/backend/wasm: conv_dx needs inC % 8 == 0, got ${g.inC}`);
      break;
    case "conv_dx_narrow":
      if (!convDxNarrowApplies(g)) throw new Error(`lib/backend/wasm: conv_dx_narrow needs outC % 4 == 0, got ${g.outC}`);
      break;
  }
  const k = simd(backend);
  if (!k) return false;
  const { batch, inH, inW, inC, outC, kH, kW, sH, sW, padTop, padLeft } = g;
  if (kernel === "conv_dx") k.conv_dx(dyP * 4, w * 4, dx * 4, batch, inH, inW, inC, p.hp, p.wp, outC, kH, kW, sH, sW, padTop, padLeft, p.ph, p.pw, fixedStrides());
  else k.conv_dx_narrow(dyP * 4, w * 4, dx * 4, batch, inH, inW, inC, p.hp, p.wp, outC, kH, kW, sH, sW, padTop, padLeft, p.ph, p.pw);
  return true;
}

/**
 * The transposed convolution directly (layout.c conv_dx):
 *   dx[n, t, u, c] = sum_{i, j, o} dy[n, oh, ow, o] * w[i, j, c, o] over t + padTop = oh*sH + i, u + padLeft = ow*sW + j
 * dyP: dy [N, outH, outW, outC] zero-padded by p (padImagesInHeap), wT: [kH, kW, outC, inC],
 * dx: [N, inH, inW, inC] (overwritten). Needs convDxApplies(g).
 */
export function convDxInHeap(backend: WasmBackend, dyP: number, wT: number, dx: number, g: ConvGeometry, p: DxPadding): void {
  if (dxSimd(backend, "conv_dx", dyP, wT, dx, g, p)) return;
  const { inC, outC } = g;
  const mem = heap(backend);
  forEachPixel(g.batch, g.inH, g.inW, (n, t, u, pixel) => {
    const out = dx + pixel * inC;
    mem.fill(0, out, out + inC);
    forEachDxTap(g, p, dyP, n, t, u, (d, tap) => {
      const w = wT + tap * outC * inC;
      for (let o = 0; o < outC; o++) {
        const v = mem[d + o];
        for (let c = 0; c < inC; c++) mem[out + c] += v * mem[w + o * inC + c];
      }
    });
  });
}

/**
 * A convolution from xp = padImagesInHeap(x) [N, Hp, Wp, inC] (layout.c conv_fwd_padded):
 *   y[n, oh, ow, o] = sum_{i, j, c} xp[n, oh*sH + i, ow*sW + j, c] * w[i, j, c, o]
 * w: [kH, kW, inC, outC], y: [N, outH, outW, outC] (overwritten). Needs outC % 8 == 0.
 */
export function convFwdPaddedInHeap(backend: WasmBackend, xp: number, w: number, y: number, g: ConvGeometry, hp: number, wp: number): void {
  const { batch, inC, outH, outW, outC, kH, kW, sH, sW } = g;
  if (outC % 8 !== 0) throw new Error(`lib/backend/wasm: conv_fwd_padded needs outC % 8 == 0, got ${outC}`);
  const k = simd(backend);
  if (k) return k.conv_fwd_padded(xp * 4, w * 4, y * 4, batch, hp, wp, inC, outH, outW, outC, kH, kW, sH, sW, fixedStrides());
  const mem = heap(backend);
  const T = kW * inC;
  forEachPixel(batch, outH, outW, (n, oh, ow, pixel) => {
    const out = y + pixel * outC;
    mem.fill(0, out, out + outC);
    for (let i = 0; i < kH; i++) {
      const xr = xp + ((n * hp + oh * sH + i) * wp + ow * sW) * inC;
      for (let t = 0; t < T; t++) {
        const v = mem[xr + t];
        const wr = w + (i * T + t) * outC;
        for (let o = 0; o < outC; o++) mem[out + o] += v * mem[wr + o];
      }
    }
  });
}

/**
 * As convDxInHeap for few dx channels (1-3), vectorised over outC (layout.c conv_dx_narrow); w is
 * the filter as it is, [kH, kW, inC, outC]. Needs convDxNarrowApplies(g).
 */
export function convDxNarrowInHeap(backend: WasmBackend, dyP: number, w: number, dx: number, g: ConvGeometry, p: DxPadding): void {
  if (dxSimd(backend, "conv_dx_narrow", dyP, w, dx, g, p)) return;
  const { inC, outC } = g;
  const mem = heap(backend);
  forEachPixel(g.batch, g.inH, g.inW, (n, t, u, pixel) => {
    for (let c = 0; c < inC; c++) {
      let sum = 0;
      forEachDxTap(g, p, dyP, n, t, u, (d, tap) => {
        const wr = w + (tap * inC + c) * outC;
        for (let o = 0; o < outC; o++) sum += mem[d + o] * mem[wr + o];
      });
      mem[dx + pixel * inC + c] = sum;
    }
  });
}

/** Rows of b per K block of gemm: kc * N floats (1 MB) stay in L2 while a streams past. */
const GEMM_BLOCK_FLOATS = 1 << 18;

/**
 * c [M, N] = a [M, K] x b [K, N] (row-major, b not packed: layout.c gemm); needs N % 8 == 0.
 * kc: rows of b per K block (default: a 1 MB block; tests pass small values to cover blocking).
 */
export function gemmInHeap(backend: WasmBackend, a: number, b: number, c: number, m: number, k: number, n: number, kc?: number): void {
  if (n % 8 !== 0) throw new Error(`lib/backend/wasm: gemm needs N % 8 == 0, got ${n}`);
  const kernel = simd(backend);
  if (kernel) return kernel.gemm(a * 4, b * 4, c * 4, m, k, n, kc ?? Math.max(8, Math.floor(GEMM_BLOCK_FLOATS / n)));
  const mem = heap(backend);
  mem.fill(0, c, c + m * n);
  for (let r = 0; r < m; r++) {
    for (let i = 0; i < k; i++) {
      const v = mem[a + r * k + i];
      const br = b + i * n;
      const cr = c + r * n;
      for (let j = 0; j < n; j++) mem[cr + j] += v * mem[br + j];
    }
  }
}

/**
 * out[i] = exp(x[i]) or log1p(x[i]) for i < n with the SIMD module (layout.c exp4 / log1p4, ~1 ulp);
 * returns false (nothing written) when the module is not in use: the caller uses the backend's kernel.
 */
export function unaryInHeap(backend: WasmBackend, op: "exp" | "log1p", x: number, out: number, n: number): boolean {
  const k = simd(backend);
  if (!k) return false;
  switch (op) {
    case "exp":
      k.exp_floats(x * 4, out * 4, n);
      return true;
    case "log1p":
      k.log1p_floats(x * 4, out * 4, n);
      return true;
    default: {
      const never: never = op;
      throw new Error(`unknown unary op ${String(never)}`);
    }
  }
}

/** Geometry of the phase interleave (see conv2d-backprop-input.ts). */
export interface PhaseGeometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly sH: number;
  readonly sW: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly q0H: number;
  readonly q0W: number;
  /** Spatial size of the phase conv's output z: [batch, zH, zW, sH*sW*inC]. */
  readonly zH: number;
  readonly zW: number;
}

/** dx[n, t, u, c] = z[n, qH - q0H, qW - q0W, (rH*sW + rW)*inC + c], t + padTop = sH*qH + rH (same for u). */
export function phaseInterleaveInHeap(backend: WasmBackend, z: number, dx: number, p: PhaseGeometry): void {
  const k = simd(backend);
  if (k) {
    return k.phase_interleave(z * 4, dx * 4, p.batch, p.inH, p.inW, p.inC, p.sH, p.sW, p.padTop, p.padLeft, p.q0H, p.q0W, p.zH, p.zW);
  }
  const mem = heap(backend);
  const { batch, inH, inW, inC, sH, sW, padTop, padLeft, q0H, q0W, zH, zW } = p;
  const zC = sH * sW * inC;
  let dst = dx;
  for (let n = 0; n < batch; n++) {
    for (let t = 0; t < inH; t++) {
      const qH = Math.floor((t + padTop) / sH);
      const rH = t + padTop - qH * sH;
      const zRow = z + (n * zH + (qH - q0H)) * zW * zC + rH * sW * inC;
      for (let u = 0; u < inW; u++) {
        const qW = Math.floor((u + padLeft) / sW);
        const rW = u + padLeft - qW * sW;
        const s = zRow + (qW - q0W) * zC + rW * inC;
        for (let c = 0; c < inC; c++) mem[dst + c] = mem[s + c];
        dst += inC;
      }
    }
  }
}

/** One phase of a strided transposed conv: where it goes in dx, and its conv output's size. */
export interface PhaseScatter {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly tStart: number;
  readonly uStart: number;
  readonly sH: number;
  readonly sW: number;
  readonly countH: number;
  readonly countW: number;
  /** z: [batch, zH, zW, inC] with zH >= countH, zW >= countW. */
  readonly zH: number;
  readonly zW: number;
}

/** dx[n, tStart + sH*q, uStart + sW*p, :] = z[n, q, p, :] for q < countH, p < countW. */
export function phaseScatterInHeap(backend: WasmBackend, z: number, dx: number, p: PhaseScatter): void {
  const k = simd(backend);
  if (k) {
    return k.phase_scatter(z * 4, dx * 4, p.batch, p.inH, p.inW, p.inC, p.tStart, p.uStart, p.sH, p.sW, p.countH, p.countW, p.zH, p.zW);
  }
  const mem = heap(backend);
  const { batch, inH, inW, inC, tStart, uStart, sH, sW, countH, countW, zH, zW } = p;
  for (let n = 0; n < batch; n++) {
    for (let q = 0; q < countH; q++) {
      const src = z + (n * zH + q) * zW * inC;
      const dst = dx + ((n * inH + tStart + sH * q) * inW + uStart) * inC;
      for (let i = 0; i < countW; i++) {
        for (let c = 0; c < inC; c++) mem[dst + i * sW * inC + c] = mem[src + i * inC + c];
      }
    }
  }
}

/** out[c] = sum_r x[r, c] for x: [rows, cols] (accumulated in double). */
export function columnSumsInHeap(backend: WasmBackend, x: number, out: number, rows: number, cols: number): void {
  const k = simd(backend);
  if (k) {
    const scratch = alloc(backend, [2 * cols]); // cols doubles; malloc is 8-aligned
    const acc = offsetOf(backend, scratch) * 4;
    if (acc % 8 !== 0) throw new Error("lib/backend/wasm: column_sums scratch is not 8-byte aligned");
    k.column_sums(x * 4, out * 4, acc, rows, cols);
    free(backend, scratch);
    return;
  }
  const mem = heap(backend);
  const acc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const row = x + r * cols;
    for (let c = 0; c < cols; c++) acc[c] += mem[row + c];
  }
  for (let c = 0; c < cols; c++) mem[out + c] = acc[c];
}

/** out[r, c] = x[r, c] + bias[c] for x: [rows, cols]. */
export function biasAddInHeap(backend: WasmBackend, x: number, bias: number, out: number, rows: number, cols: number): void {
  const k = simd(backend);
  if (k) return k.bias_add(x * 4, bias * 4, out * 4, rows, cols);
  const mem = heap(backend);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) mem[out + r * cols + c] = mem[x + r * cols + c] + mem[bias + c];
  }
}

/** The float32 scalars of one Adam step (lib/backend/wasm/adam.ts), each as tfjs rounds a scalar tensor. */
export interface AdamStepScalars {
  readonly beta1: number;
  /** 1 - beta1 (computed in float64, then rounded). */
  readonly oneMinusBeta1: number;
  readonly beta2: number;
  readonly oneMinusBeta2: number;
  /** 1 / sqrt(1 - beta2^t). */
  readonly invSqrtBc2: number;
  readonly epsilon: number;
  /** learningRate / (1 - beta1^t). */
  readonly stepSize: number;
}

/** Float offsets of one variable's Adam operands in the heap: outputs may equal inputs. */
export interface AdamOperands {
  readonly w: number;
  readonly m: number;
  readonly v: number;
  readonly g: number;
  readonly wOut: number;
  readonly mOut: number;
  readonly vOut: number;
}

/**
 * One Adam step over n floats (layout.c adam_update), the operations of lib/train/adam.ts's tf-op
 * path in its order, each rounded to float32 (never fused):
 *   m' = m*b1 + g*(1-b1);  v' = v*b2 + (g*g)*(1-b2);  w' = w - (m' / (sqrt(v')*invSqrtBc2 + eps)) * stepSize
 * The TypeScript loop rounds each float64 result with Math.fround, which gives the float32 result
 * of +, -, *, / and sqrt exactly (float64 has more than twice float32's precision).
 */
export function adamUpdateInHeap(backend: WasmBackend, o: AdamOperands, n: number, s: AdamStepScalars): void {
  const f = Math.fround;
  const [b1, omb1, b2, omb2, bc, eps, lr] = [s.beta1, s.oneMinusBeta1, s.beta2, s.oneMinusBeta2, s.invSqrtBc2, s.epsilon, s.stepSize].map(f);
  const k = simd(backend);
  if (k) return k.adam_update(o.w * 4, o.m * 4, o.v * 4, o.g * 4, o.wOut * 4, o.mOut * 4, o.vOut * 4, n, b1, omb1, b2, omb2, bc, eps, lr);
  const mem = heap(backend);
  for (let i = 0; i < n; i++) {
    const g = mem[o.g + i];
    const m = f(f(mem[o.m + i] * b1) + f(g * omb1));
    const v = f(f(mem[o.v + i] * b2) + f(f(g * g) * omb2));
    const denom = f(f(f(Math.sqrt(v)) * bc) + eps);
    mem[o.wOut + i] = f(mem[o.w + i] - f(f(m / denom) * lr));
    mem[o.mOut + i] = m;
    mem[o.vOut + i] = v;
  }
}

/** Float offsets of one variable's Adagrad operands in the heap: outputs may equal inputs. */
export interface AdagradOperands {
  readonly w: number;
  readonly s: number;
  readonly g: number;
  readonly wOut: number;
  readonly sOut: number;
}

/**
 * One Adagrad step over n floats (layout.c adagrad_update), the operations of lib/train/adagrad.ts's
 * tf-op path in its order, each rounded to float32 (never fused):
 *   s' = s + g*g;  w' = w - (g / (sqrt(s') + eps)) * lr
 * (Math.fround of the float64 result is the float32 result, as in adamUpdateInHeap.)
 */
export function adagradUpdateInHeap(backend: WasmBackend, o: AdagradOperands, n: number, epsilon: number, learningRate: number): void {
  const f = Math.fround;
  const [eps, lr] = [f(epsilon), f(learningRate)];
  const k = simd(backend);
  if (k) return k.adagrad_update(o.w * 4, o.s * 4, o.g * 4, o.wOut * 4, o.sOut * 4, n, eps, lr);
  const mem = heap(backend);
  for (let i = 0; i < n; i++) {
    const g = mem[o.g + i];
    const s = f(mem[o.s + i] + f(g * g));
    mem[o.wOut + i] = f(mem[o.w + i] - f(f(g / f(f(Math.sqrt(s)) + eps)) * lr));
    mem[o.sOut + i] = s;
  }
}
