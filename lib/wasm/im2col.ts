/**
 * im2col on the wasm heap: the patches of x that a convolution multiplies with its filter, one row
 * per output pixel, so that the convolution becomes one matrix product.
 *
 *   x: [N, H, W, C] (NHWC)  ->  patches: [N * outH * outW, kH * kW * C]
 *   patches[(n, oh, ow), (i, j, c)] = x[n, oh*sH + i - padTop, ow*sW + j - padLeft, c]  (0 outside)
 *
 * In NHWC the kW * C values of one filter row are contiguous in x and in a patch row, so a patch row
 * is kH memory copies (minus the clipped border), done with `copyWithin` inside the heap.
 */
import type { ConvGeometry } from "./conv-geometry";

/** Copies below this many floats use a plain loop (cheaper than a copyWithin call). */
const COPY_LOOP_MAX = 24;

/** Fills `dst[dstOff + (row, col)]` with the patches of x at `src[srcOff]`; both in `mem`. */
export function im2col(mem: Float32Array, srcOff: number, dstOff: number, g: ConvGeometry): void {
  const { batch, inH, inW, inC, outH, outW, kH, kW, sH, sW, padTop, padLeft } = g;
  const rowLen = kH * kW * inC; // one patch row
  const segLen = kW * inC; // one filter row inside a patch row
  const imageSize = inH * inW * inC;
  let dst = dstOff;
  for (let n = 0; n < batch; n++) {
    const img = srcOff + n * imageSize;
    for (let oh = 0; oh < outH; oh++) {
      const ih0 = oh * sH - padTop;
      for (let ow = 0; ow < outW; ow++) {
        const iw0 = ow * sW - padLeft;
        // Columns j in [jLo, jHi) fall inside the image.
        const jLo = iw0 < 0 ? -iw0 : 0;
        const jHi = Math.min(kW, inW - iw0);
        for (let i = 0; i < kH; i++) {
          const ih = ih0 + i;
          const seg = dst + i * segLen;
          if (ih < 0 || ih >= inH || jHi <= jLo) {
            mem.fill(0, seg, seg + segLen);
            continue;
          }
          if (jLo > 0) mem.fill(0, seg, seg + jLo * inC);
          if (jHi < kW) mem.fill(0, seg + jHi * inC, seg + segLen);
          const from = img + (ih * inW + iw0 + jLo) * inC;
          const len = (jHi - jLo) * inC;
          const to = seg + jLo * inC;
          if (len <= COPY_LOOP_MAX) {
            for (let t = 0; t < len; t++) mem[to + t] = mem[from + t];
          } else {
            mem.copyWithin(to, from, from + len);
          }
        }
        dst += rowLen;
      }
    }
  }
}

/**
 * Transposed im2col: patchesT[(i, j, c), (n, oh, ow)] = x[n, oh*sH + i - padTop, ow*sW + j - padLeft, c].
 *
 * `xT` is scratch of x's size, receiving x as [C, N, H, W] first, so that each output row reads
 * along one image row (stride sW) instead of jumping C floats per element.
 *   x: [N, H, W, C] at srcOff; xT: [C, N, H, W] at tmpOff; patchesT: [kH*kW*C, N*outH*outW] at dstOff.
 */
export function im2colTransposed(mem: Float32Array, srcOff: number, tmpOff: number, dstOff: number, g: ConvGeometry): void {
  const { batch, inH, inW, inC, outH, outW, kH, kW, sH, sW, padTop, padLeft } = g;
  const pixels = batch * inH * inW;
  // x [pixels, C] -> xT [C, pixels], blocked.
  const B = 64;
  for (let p0 = 0; p0 < pixels; p0 += B) {
    const p1 = Math.min(pixels, p0 + B);
    for (let c = 0; c < inC; c++) {
      const d = tmpOff + c * pixels;
      for (let p = p0; p < p1; p++) mem[d + p] = mem[srcOff + p * inC + c];
    }
  }
  const cols = batch * outH * outW;
  const planeSize = inH * inW;
  let dst = dstOff;
  for (let i = 0; i < kH; i++) {
    for (let j = 0; j < kW; j++) {
      // Output columns ow in [owLo, owHi) read inside the image row.
      const iwBase = j - padLeft;
      let owLo = 0;
      while (owLo < outW && owLo * sW + iwBase < 0) owLo++;
      let owHi = outW;
      while (owHi > owLo && (owHi - 1) * sW + iwBase >= inW) owHi--;
      for (let c = 0; c < inC; c++) {
        const plane0 = tmpOff + c * pixels;
        for (let n = 0; n < batch; n++) {
          const plane = plane0 + n * planeSize;
          for (let oh = 0; oh < outH; oh++) {
            const ih = oh * sH + i - padTop;
            if (ih < 0 || ih >= inH) {
              mem.fill(0, dst, dst + outW);
              dst += outW;
              continue;
            }
            const row = plane + ih * inW + iwBase;
            for (let ow = 0; ow < owLo; ow++) mem[dst + ow] = 0;
            for (let ow = owLo; ow < owHi; ow++) mem[dst + ow] = mem[row + ow * sW];
            for (let ow = owHi; ow < outW; ow++) mem[dst + ow] = 0;
            dst += outW;
          }
        }
      }
    }
  }
  void cols;
}
