/**
 * Data-layout kernels of the wasm training kernels: transposes, transposed im2col, the phase
 * interleave of the sub-pixel transposed convolution, column sums.
 *
 * Each runs as WebAssembly SIMD (layout.c, embedded in layout-wasm.ts) instantiated on the
 * backend's own memory, so it reads and writes tensors in place, ~5-10x faster than the same loops
 * over typed arrays. The plain TypeScript versions below are the reference (tests compare the two)
 * and the fallback where the module cannot be instantiated.
 *
 * All offsets are in float32 elements from the start of the backend's heap.
 */
import type * as tf from "@tensorflow/tfjs";
import type { ConvGeometry } from "./conv-geometry";
import { alloc, free, heap, offsetOf, type WasmBackend } from "./heap";
import { LAYOUT_WASM_BASE64 } from "./layout-wasm";

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
  column_sums(x: number, out: number, acc: number, rows: number, cols: number): void;
  bias_add(x: number, bias: number, out: number, rows: number, cols: number): void;
}

/** The WebAssembly JS API (tsconfig's libs do not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: abstract new (...args: never[]) => object;
}
const WA = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

let preferred: LayoutImplementation = "simd";
let compiled: object | undefined;
const instances = new WeakMap<object, LayoutExports>();

/** Chooses the implementation (tests run both); "simd" falls back to "js" if it cannot load. */
export function setLayoutImplementation(impl: LayoutImplementation): void {
  preferred = impl;
}

/** What the kernels use on this backend right now. */
export function layoutImplementation(backend: WasmBackend): LayoutImplementation {
  return simd(backend) ? "simd" : "js";
}

function simd(backend: WasmBackend): LayoutExports | undefined {
  if (preferred === "js") return undefined;
  const memory = (backend.wasm as { asm?: { memory?: unknown } }).asm?.memory;
  if (!WA || !(memory instanceof WA.Memory)) return undefined;
  let inst = instances.get(memory);
  if (!inst) {
    try {
      compiled ??= new WA.Module(Buffer.from(LAYOUT_WASM_BASE64, "base64"));
      inst = new WA.Instance(compiled, { env: { memory } }).exports as unknown as LayoutExports;
    } catch {
      preferred = "js"; // e.g. a runtime without WebAssembly SIMD
      return undefined;
    }
    instances.set(memory, inst);
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
    if (acc % 8 !== 0) throw new Error("lib/wasm: column_sums scratch is not 8-byte aligned");
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
