/*
 * Layout kernels for the wasm training kernels (lib/backend/wasm), in WebAssembly SIMD.
 *
 * They run on tfjs-backend-wasm's own memory (imported as env.memory), so they read and write
 * tensors in place. Pointers are byte addresses in that memory. No function uses the C stack or
 * static data (the module has neither: tfjs owns all of memory), which build-layout.sh checks.
 *
 * Rebuild: sh lib/backend/wasm/build-layout.sh (needs Debian clang-14 + lld-14); it regenerates
 * lib/backend/wasm/layout-wasm.ts, the base64 of the module that the library loads.
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

/*
 * acc + x * y. The default build: f32x4.mul then f32x4.add. With -DRELAXED_MADD (build-layout.sh's
 * second module): one f32x4.relaxed_madd, fused on CPUs with FMA. clang-14 only knows the
 * prototype instruction (__builtin_wasm_fma_f32x4, opcode 0xfd 0xaf, computing a + b * c);
 * build-layout.sh rewrites it to the standard relaxed_madd (0xfd 0x105, computing a * b + c),
 * hence the operand order here.
 */
#ifdef RELAXED_MADD
#define MADD(acc, x, y) __builtin_wasm_fma_f32x4((x), (y), (acc))
#else
#define MADD(acc, x, y) wasm_f32x4_add((acc), wasm_f32x4_mul((x), (y)))
#endif

/*
 * A 4 x 8 tile of accumulators (rows k < 4 of 8 floats: v[k][0] columns 0-3, v[k][1] columns 4-7),
 * the register block of conv_dw, conv_dw_padded, conv_dx, conv_fwd_padded and gemm. The helpers
 * are inlined, so a tile lives in 8 SIMD registers, never in memory (build-layout.sh checks that
 * no function touches a C stack).
 */
typedef struct {
  v128_t v[4][2];
} tile4x8;

static inline tile4x8 tile_zero(void) {
  const v128_t z = wasm_f32x4_splat(0.0f);
  return (tile4x8){{{z, z}, {z, z}, {z, z}, {z, z}}};
}

/* Rows p, p + stride, p + 2 stride, p + 3 stride (8 floats each). */
static inline tile4x8 tile_load(const float* p, int stride) {
  return (tile4x8){{{wasm_v128_load(p), wasm_v128_load(p + 4)},
                    {wasm_v128_load(p + stride), wasm_v128_load(p + stride + 4)},
                    {wasm_v128_load(p + 2 * stride), wasm_v128_load(p + 2 * stride + 4)},
                    {wasm_v128_load(p + 3 * stride), wasm_v128_load(p + 3 * stride + 4)}}};
}

/* The inverse of tile_load. */
static inline void tile_store(const tile4x8* t, float* p, int stride) {
  wasm_v128_store(p, t->v[0][0]); wasm_v128_store(p + 4, t->v[0][1]);
  wasm_v128_store(p + stride, t->v[1][0]); wasm_v128_store(p + stride + 4, t->v[1][1]);
  wasm_v128_store(p + 2 * stride, t->v[2][0]); wasm_v128_store(p + 2 * stride + 4, t->v[2][1]);
  wasm_v128_store(p + 3 * stride, t->v[3][0]); wasm_v128_store(p + 3 * stride + 4, t->v[3][1]);
}

/* Row k of t += s_k * (b0, b1) for k < 4: one outer product of 4 splatted scalars and 8 floats. */
static inline __attribute__((always_inline)) void tile_outer(tile4x8* t, v128_t s0, v128_t s1, v128_t s2, v128_t s3, v128_t b0, v128_t b1) {
  t->v[0][0] = MADD(t->v[0][0], s0, b0);
  t->v[0][1] = MADD(t->v[0][1], s0, b1);
  t->v[1][0] = MADD(t->v[1][0], s1, b0);
  t->v[1][1] = MADD(t->v[1][1], s1, b1);
  t->v[2][0] = MADD(t->v[2][0], s2, b0);
  t->v[2][1] = MADD(t->v[2][1], s2, b1);
  t->v[3][0] = MADD(t->v[3][0], s3, b0);
  t->v[3][1] = MADD(t->v[3][1], s3, b1);
}

/* Row k of t += s[k * sStride] * b[0 .. 7] for k < 4 (one outer product of 4 scalars and 8 floats). */
static inline void tile_madd(tile4x8* t, const float* s, int sStride, const float* b) {
  const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
  const v128_t s0 = wasm_v128_load32_splat(s), s1 = wasm_v128_load32_splat(s + sStride);
  const v128_t s2 = wasm_v128_load32_splat(s + 2 * sStride), s3 = wasm_v128_load32_splat(s + 3 * sStride);
  tile_outer(t, s0, s1, s2, s3, b0, b1);
}

/*
 * v128.load32_splat / v128.load of the floats at byte offset `off` (a compile-time constant) from
 * p, with off as the instruction's offset immediate. clang-14 gives each such address its own add
 * (often its own induction variable), one more integer instruction per load in V8's code; with
 * the immediate V8 folds it into the load's address. Inline assembly, since clang cannot be told
 * to fold. The kernels never write what these read during a call (they are not memory barriers).
 */
#define SPLAT_AT(p, off) \
  ({ v128_t r_; __asm__("local.get %1\n\tv128.load32_splat %c2\n\tlocal.set %0" : "=r"(r_) : "r"(p), "i"(off)); r_; })
#define LOAD_AT(p, off) \
  ({ v128_t r_; __asm__("local.get %1\n\tv128.load %c2\n\tlocal.set %0" : "=r"(r_) : "r"(p), "i"(off)); r_; })

/*
 * tile_madd(t, s, sStride, b) with sStride a compile-time constant K > 0 (inlined from a call
 * with a literal K): all six loads are offsets from s and b, so a step of a kernel loop costs
 * two pointer increments instead of one per operand (measured ~2-18% faster conv kernels).
 * K == 0: tile_madd with the run-time sStride (other geometries, and BVAE_WASM_FIXED_STRIDES=0).
 */
static inline __attribute__((always_inline)) void tile_madd_k(tile4x8* t, const float* s, int sStride, const float* b, const int K) {
  if (K == 0) {
    tile_madd(t, s, sStride, b);
    return;
  }
  const v128_t b0 = LOAD_AT(b, 0), b1 = LOAD_AT(b, 16);
  const v128_t s0 = SPLAT_AT(s, 0), s1 = SPLAT_AT(s, 4 * K), s2 = SPLAT_AT(s, 8 * K), s3 = SPLAT_AT(s, 12 * K);
  tile_outer(t, s0, s1, s2, s3, b0, b1);
}

#define INLINE static inline __attribute__((always_inline))

/* dst[c * rows + r] = src[r * cols + c]: [rows, cols] -> [cols, rows], 4x4 SIMD blocks. */
EXPORT(transpose2d)
void transpose2d(const float* src, float* dst, int rows, int cols) {
  const int R = rows & ~3, C = cols & ~3;
  for (int r0 = 0; r0 < R; r0 += 64) {
    const int r1 = r0 + 64 < R ? r0 + 64 : R;
    for (int c = 0; c < C; c += 4) {
      for (int r = r0; r < r1; r += 4) {
        v128_t a = wasm_v128_load(src + (r + 0) * cols + c);
        v128_t b = wasm_v128_load(src + (r + 1) * cols + c);
        v128_t e = wasm_v128_load(src + (r + 2) * cols + c);
        v128_t d = wasm_v128_load(src + (r + 3) * cols + c);
        v128_t ab_lo = wasm_i32x4_shuffle(a, b, 0, 4, 1, 5);
        v128_t ab_hi = wasm_i32x4_shuffle(a, b, 2, 6, 3, 7);
        v128_t ed_lo = wasm_i32x4_shuffle(e, d, 0, 4, 1, 5);
        v128_t ed_hi = wasm_i32x4_shuffle(e, d, 2, 6, 3, 7);
        wasm_v128_store(dst + (c + 0) * rows + r, wasm_i64x2_shuffle(ab_lo, ed_lo, 0, 2));
        wasm_v128_store(dst + (c + 1) * rows + r, wasm_i64x2_shuffle(ab_lo, ed_lo, 1, 3));
        wasm_v128_store(dst + (c + 2) * rows + r, wasm_i64x2_shuffle(ab_hi, ed_hi, 0, 2));
        wasm_v128_store(dst + (c + 3) * rows + r, wasm_i64x2_shuffle(ab_hi, ed_hi, 1, 3));
      }
    }
  }
  /* Remainders: the last rows (all columns) and the last columns (first R rows). */
  for (int r = R; r < rows; r++)
    for (int c = 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
  for (int r = 0; r < R; r++)
    for (int c = C; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
}

/* out[i] = in[i * stride] for i < n. */
static inline void strided_copy(float* out, const float* in, int n, int stride) {
  int i = 0;
  if (stride == 1) {
    for (; i + 4 <= n; i += 4) wasm_v128_store(out + i, wasm_v128_load(in + i));
  } else if (stride == 2) {
    for (; i + 4 <= n; i += 4) {
      v128_t a = wasm_v128_load(in + 2 * i);
      v128_t b = wasm_v128_load(in + 2 * i + 4);
      wasm_v128_store(out + i, wasm_i32x4_shuffle(a, b, 0, 2, 4, 6));
    }
  }
  for (; i < n; i++) out[i] = in[i * stride];
}

/*
 * Transposed im2col from xT = x as [C, N, H, W] (see transpose2d), for images n0 .. n0+nCount-1:
 *   out[(i, j, c), (n, oh, ow)] = x[n0 + n, oh*sH + i - padTop, ow*sW + j - padLeft, c]  (0 outside)
 * out: [kH * kW * C, nCount * outH * outW].
 */
EXPORT(im2col_t)
void im2col_t(const float* xT, float* out, int batch, int n0, int nCount, int inH, int inW, int inC, int outH, int outW,
              int kH, int kW, int sH, int sW, int padTop, int padLeft) {
  const int plane = inH * inW;
  const int cols = nCount * outH * outW; /* length of one output row (i, j, c) */
  const int outPlane = outH * outW;
  /* Images n0 .. n0+nCount-1 of the batch. One input plane (c, n) at a time, so it stays in L1
   * while its kH*kW output rows are written. */
  for (int c = 0; c < inC; c++) {
    for (int n = 0; n < nCount; n++) {
      const float* img = xT + (c * batch + n0 + n) * plane;
      for (int i = 0; i < kH; i++) {
        for (int j = 0; j < kW; j++) {
          float* dst = out + ((i * kW + j) * inC + c) * cols + n * outPlane;
          const int iwBase = j - padLeft;
          int owLo = 0;
          while (owLo < outW && owLo * sW + iwBase < 0) owLo++;
          int owHi = outW;
          while (owHi > owLo && (owHi - 1) * sW + iwBase >= inW) owHi--;
          for (int oh = 0; oh < outH; oh++) {
            const int ih = oh * sH + i - padTop;
            if (ih < 0 || ih >= inH || owHi <= owLo) {
              for (int ow = 0; ow < outW; ow++) dst[ow] = 0.0f;
            } else {
              for (int ow = 0; ow < owLo; ow++) dst[ow] = 0.0f;
              strided_copy(dst + owLo, img + ih * inW + owLo * sW + iwBase, owHi - owLo, sW);
              for (int ow = owHi; ow < outW; ow++) dst[ow] = 0.0f;
            }
            dst += outW;
          }
        }
      }
    }
  }
}

/* out[i] = in[i] for i < n. */
static inline void copy_floats(float* out, const float* in, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(out + i, wasm_v128_load(in + i));
  for (; i < n; i++) out[i] = in[i];
}

/*
 * im2col from x [N, H, W, C]:
 *   out[(n, oh, ow), (i, j, c)] = x[n, oh*sH + i - padTop, ow*sW + j - padLeft, c]  (0 outside)
 * out: [N * outH * outW, kH * kW * C]. In NHWC one filter row (kW * C floats) is contiguous.
 */
EXPORT(im2col)
void im2col(const float* x, float* out, int batch, int inH, int inW, int inC, int outH, int outW,
            int kH, int kW, int sH, int sW, int padTop, int padLeft) {
  const int seg = kW * inC;
  for (int n = 0; n < batch; n++) {
    const float* img = x + n * inH * inW * inC;
    for (int oh = 0; oh < outH; oh++) {
      const int ih0 = oh * sH - padTop;
      for (int ow = 0; ow < outW; ow++) {
        const int iw0 = ow * sW - padLeft;
        const int jLo = iw0 < 0 ? -iw0 : 0;
        const int jHi = inW - iw0 < kW ? inW - iw0 : kW;
        for (int i = 0; i < kH; i++) {
          const int ih = ih0 + i;
          if (ih < 0 || ih >= inH || jHi <= jLo) {
            for (int t = 0; t < seg; t++) out[t] = 0.0f;
          } else {
            for (int t = 0; t < jLo * inC; t++) out[t] = 0.0f;
            copy_floats(out + jLo * inC, img + (ih * inW + iw0 + jLo) * inC, (jHi - jLo) * inC);
            for (int t = jHi * inC; t < seg; t++) out[t] = 0.0f;
          }
          out += seg;
        }
      }
    }
  }
}

/*
 * Interleaves the phases of the sub-pixel transposed convolution (conv2d-backprop-input.ts):
 *   dx[n, t, u, c] = z[n, qH - q0H, qW - q0W, (rH * sW + rW) * C + c]
 * with t + padTop = sH * qH + rH and u + padLeft = sW * qW + rW.
 */
EXPORT(phase_interleave)
void phase_interleave(const float* z, float* dx, int batch, int inH, int inW, int inC, int sH, int sW,
                      int padTop, int padLeft, int q0H, int q0W, int zH, int zW) {
  const int zC = sH * sW * inC;
  for (int n = 0; n < batch; n++) {
    for (int t = 0; t < inH; t++) {
      const int qH = (t + padTop) / sH;
      const int rH = t + padTop - qH * sH;
      const float* zRow = z + ((n * zH + (qH - q0H)) * zW) * zC + rH * sW * inC;
      for (int u = 0; u < inW; u++) {
        const int qW = (u + padLeft) / sW;
        const int rW = u + padLeft - qW * sW;
        const float* s = zRow + (qW - q0W) * zC + rW * inC;
        int c = 0;
        for (; c + 4 <= inC; c += 4) wasm_v128_store(dx + c, wasm_v128_load(s + c));
        for (; c < inC; c++) dx[c] = s[c];
        dx += inC;
      }
    }
  }
}

/*
 * Scatters one phase of the sub-pixel transposed convolution into dx:
 *   dx[n, tStart + sH*q, uStart + sW*p, :] = z[n, q, p, :]  for q < countH, p < countW
 * z: [N, zH, zW, C] (zH >= countH, zW >= countW); dx: [N, inH, inW, C].
 */
EXPORT(phase_scatter)
void phase_scatter(const float* z, float* dx, int batch, int inH, int inW, int inC, int tStart, int uStart,
                   int sH, int sW, int countH, int countW, int zH, int zW) {
  for (int n = 0; n < batch; n++) {
    for (int q = 0; q < countH; q++) {
      const float* src = z + ((n * zH + q) * zW) * inC;
      float* dst = dx + ((n * inH + tStart + sH * q) * inW + uStart) * inC;
      if (inC == 1) {
        for (int p = 0; p < countW; p++) dst[p * sW] = src[p];
      } else {
        for (int p = 0; p < countW; p++) copy_floats(dst + p * sW * inC, src + p * inC, inC);
      }
    }
  }
}

/*
 * out[c] = sum_r x[r * cols + c] (bias gradients: rows = N*H*W). Blocks of 64 rows are summed in
 * float32 while in cache, the block sums in double in acc (scratch: cols doubles, 8-aligned).
 */
EXPORT(column_sums)
void column_sums(const float* x, float* out, double* acc, int rows, int cols) {
  for (int c = 0; c < cols; c++) acc[c] = 0.0;
  for (int r0 = 0; r0 < rows; r0 += 64) {
    const int r1 = r0 + 64 < rows ? r0 + 64 : rows;
    int c = 0;
    for (; c + 4 <= cols; c += 4) {
      v128_t s = wasm_f32x4_splat(0.0f);
      for (int r = r0; r < r1; r++) s = wasm_f32x4_add(s, wasm_v128_load(x + r * cols + c));
      acc[c + 0] += wasm_f32x4_extract_lane(s, 0);
      acc[c + 1] += wasm_f32x4_extract_lane(s, 1);
      acc[c + 2] += wasm_f32x4_extract_lane(s, 2);
      acc[c + 3] += wasm_f32x4_extract_lane(s, 3);
    }
    for (; c < cols; c++) {
      float s = 0.0f;
      for (int r = r0; r < r1; r++) s += x[r * cols + c];
      acc[c] += s;
    }
  }
  for (int c = 0; c < cols; c++) out[c] = (float)acc[c];
}

/* out[r, c] = x[r, c] + bias[c] for x: [rows, cols] (the bias of every conv / dense layer). */
EXPORT(bias_add)
void bias_add(const float* x, const float* bias, float* out, int rows, int cols) {
  if ((cols & 3) == 0) {
    for (int r = 0; r < rows; r++) {
      const float* xr = x + r * cols;
      float* o = out + r * cols;
      for (int c = 0; c < cols; c += 4)
        wasm_v128_store(o + c, wasm_f32x4_add(wasm_v128_load(xr + c), wasm_v128_load(bias + c)));
    }
  } else {
    for (int r = 0; r < rows; r++)
      for (int c = 0; c < cols; c++) out[r * cols + c] = x[r * cols + c] + bias[c];
  }
}


/*
 * The filter gradient of a convolution, directly from x and dy (no im2col), accumulated into dw:
 *   dw[i, j, c, o] += sum_{n, oh, ow} x[n, sH*oh + i - padTop, sW*ow + j - padLeft, c] * dy[n, oh, ow, o]
 * x: [batch, inH, inW, inC], dy: [batch, outH, outW, outC], dw: [kH, kW, inC, outC].
 * Requires inC % 4 == 0 and outC % 8 == 0. Tiles of 4 input x 8 output channels of one tap stay
 * in 8 registers while `rows` output rows of one image stream past (their dy and the x rows they
 * read stay in L1 for all taps and channel tiles).
 */
INLINE void dw_loops(const float* x, const float* dy, float* dw, int batch, int inH, int inW, int inC, int outH, int outW,
                     int outC, int kH, int kW, int sH, int sW, int padTop, int padLeft, int rows, const int K) {
  const int xStep = sW * inC;
  for (int n = 0; n < batch; n++) {
    const float* xi = x + n * inH * inW * inC;
    const float* dyi = dy + n * outH * outW * outC;
    for (int oh0 = 0; oh0 < outH; oh0 += rows) {
      const int oh1 = oh0 + rows < outH ? oh0 + rows : outH;
      for (int i = 0; i < kH; i++) {
        int lo = oh0, hi = oh1;
        while (lo < hi && sH * lo + i - padTop < 0) lo++;
        while (hi > lo && sH * (hi - 1) + i - padTop >= inH) hi--;
        if (lo >= hi) continue;
        for (int j = 0; j < kW; j++) {
          int wlo = 0, whi = outW;
          while (wlo < whi && sW * wlo + j - padLeft < 0) wlo++;
          while (whi > wlo && sW * (whi - 1) + j - padLeft >= inW) whi--;
          if (wlo >= whi) continue;
          float* dwTap = dw + (i * kW + j) * inC * outC;
          for (int c = 0; c < inC; c += 4) {
            for (int o = 0; o < outC; o += 8) {
              float* d = dwTap + c * outC + o;
              tile4x8 acc = tile_load(d, outC);
              for (int oh = lo; oh < hi; oh++) {
                const float* xr = xi + ((sH * oh + i - padTop) * inW + sW * wlo + j - padLeft) * inC + c;
                const float* dr = dyi + (oh * outW + wlo) * outC + o;
                for (int ow = wlo; ow < whi; ow++) {
                  tile_madd_k(&acc, xr, 1, dr, K);
                  xr += xStep;
                  dr += outC;
                }
              }
              tile_store(&acc, d, outC);
            }
          }
        }
      }
    }
  }
}

EXPORT(conv_dw)
void conv_dw(const float* x, const float* dy, float* dw, int batch, int inH, int inW, int inC, int outH, int outW,
             int outC, int kH, int kW, int sH, int sW, int padTop, int padLeft, int rows, int fixedStrides) {
  if (fixedStrides) dw_loops(x, dy, dw, batch, inH, inW, inC, outH, outW, outC, kH, kW, sH, sW, padTop, padLeft, rows, 1);
  else dw_loops(x, dy, dw, batch, inH, inW, inC, outH, outW, outC, kH, kW, sH, sW, padTop, padLeft, rows, 0);
}

/*
 * xp[n, r, s, c] = x[n, r - padTop, s - padLeft, c], 0 outside x: [N, inH, inW, C] -> [N, Hp, Wp, C].
 */
EXPORT(pad_images)
void pad_images(const float* x, float* xp, int batch, int inH, int inW, int inC, int Hp, int Wp, int padTop, int padLeft) {
  const int rowOut = Wp * inC;
  for (int n = 0; n < batch; n++) {
    for (int r = 0; r < Hp; r++) {
      float* dst = xp + (n * Hp + r) * rowOut;
      const int ih = r - padTop;
      if (ih < 0 || ih >= inH) {
        for (int t = 0; t < rowOut; t++) dst[t] = 0.0f;
        continue;
      }
      const int lead = padLeft * inC;
      int copy = inW * inC;
      if (lead + copy > rowOut) copy = rowOut - lead;
      for (int t = 0; t < lead; t++) dst[t] = 0.0f;
      copy_floats(dst + lead, x + (n * inH + ih) * inW * inC, copy);
      for (int t = lead + copy; t < rowOut; t++) dst[t] = 0.0f;
    }
  }
}

/*
 * The filter gradient from a zero-padded x (pad_images: every tap of every output pixel is inside
 * it), added to dw; for layers with few input channels (1 or 3) where conv_dw's 4-channel tiles
 * do not fit. With T = kW * inC, one row i of the filter is contiguous in x:
 *   dw[i, t, o] += sum_{n, oh, ow} xp[n, sH*oh + i, sW*ow*inC + t] * dy[n, oh, ow, o]   (t < T)
 * xp: [batch, Hp, Wp, inC], dy: [batch, outH, outW, outC], dw: [kH, T, outC] = [kH, kW, inC, outC].
 * Requires T % 4 == 0 and outC % 8 == 0. Tiles of 4 t x 8 o, as in conv_dw.
 */
INLINE void dw_padded_loops(const float* xp, const float* dy, float* dw, int batch, int Hp, int Wp, int inC, int outH, int outW,
                            int outC, int kH, int kW, int sH, int sW, int rows, const int K) {
  const int T = kW * inC;
  const int xStep = sW * inC;
  for (int n = 0; n < batch; n++) {
    const float* xi = xp + n * Hp * Wp * inC;
    const float* dyi = dy + n * outH * outW * outC;
    for (int oh0 = 0; oh0 < outH; oh0 += rows) {
      const int oh1 = oh0 + rows < outH ? oh0 + rows : outH;
      for (int i = 0; i < kH; i++) {
        for (int t = 0; t < T; t += 4) {
          for (int o = 0; o < outC; o += 8) {
            float* d = dw + (i * T + t) * outC + o;
            tile4x8 acc = tile_load(d, outC);
            for (int oh = oh0; oh < oh1; oh++) {
              const float* xr = xi + (sH * oh + i) * Wp * inC + t;
              const float* dr = dyi + oh * outW * outC + o;
              for (int ow = 0; ow < outW; ow++) {
                tile_madd_k(&acc, xr, 1, dr, K);
                xr += xStep;
                dr += outC;
              }
            }
            tile_store(&acc, d, outC);
          }
        }
      }
    }
  }
}

EXPORT(conv_dw_padded)
void conv_dw_padded(const float* xp, const float* dy, float* dw, int batch, int Hp, int Wp, int inC, int outH, int outW,
                    int outC, int kH, int kW, int sH, int sW, int rows, int fixedStrides) {
  if (fixedStrides) dw_padded_loops(xp, dy, dw, batch, Hp, Wp, inC, outH, outW, outC, kH, kW, sH, sW, rows, 1);
  else dw_padded_loops(xp, dy, dw, batch, Hp, Wp, inC, outH, outW, outC, kH, kW, sH, sW, rows, 0);
}

/*
 * The transposed convolution (gradient of a convolution with respect to its input), directly:
 *   dx[n, t, u, c] = sum over taps (i, j) with t + padTop - i = sH*oh, u + padLeft - j = sW*ow
 *                    of sum_o dy[n, oh, ow, o] * w[i, j, c, o]
 * from dyP = dy zero-padded by PH rows above and PW columns left (pad_images; taps that fall
 * outside dy read zeros) and wT [kH, kW, outC, inC] (the filter with its last two axes swapped).
 * dx: [batch, inH, inW, inC]; requires inC % 8 == 0. Output pixels u, u + sW, u + 2 sW, u + 3 sW
 * of one row share their taps: tiles of those 4 pixels x 8 channels stay in 8 registers for the
 * whole sum over taps and outC.
 */
INLINE void dx_loops(const float* dyP, const float* wT, float* dx, int batch, int inH, int inW, int inC, int HP, int WP, int outC,
                     int kH, int kW, int sH, int sW, int padTop, int padLeft, int PH, int PW, const int K) {
  for (int n = 0; n < batch; n++) {
    for (int t = 0; t < inH; t++) {
      const int rH = (t + padTop) % sH;
      const int oh0 = (t + padTop - rH) / sH + PH; /* dy row of tap i = rH; each next tap (i + sH) one row up */
      float* dxRow = dx + (n * inH + t) * inW * inC;
      for (int u0 = 0; u0 < sW && u0 < inW; u0++) {
        const int rW = (u0 + padLeft) % sW;
        const int ow0 = (u0 + padLeft - rW) / sW + PW; /* as oh0, for columns (no division per tile) */
        const int count = (inW - u0 + sW - 1) / sW;
        for (int c = 0; c < inC; c += 8) {
          int q0 = 0;
          for (; q0 + 4 <= count; q0 += 4) {
            tile4x8 acc = tile_zero();
            for (int i = rH, oh = oh0; i < kH; i += sH, oh--) {
              for (int j = rW, ow = ow0 + q0; j < kW; j += sW, ow--) {
                const float* d = dyP + ((n * HP + oh) * WP + ow) * outC;
                const float* w = wT + (i * kW + j) * outC * inC + c;
                for (int o = 0; o < outC; o++) {
                  tile_madd_k(&acc, d, outC, w, K);
                  w += inC;
                  d += 1;
                }
              }
            }
            tile_store(&acc, dxRow + (u0 + sW * q0) * inC + c, sW * inC);
          }
          for (; q0 < count; q0++) {
            v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0;
            for (int i = rH, oh = oh0; i < kH; i += sH, oh--) {
              for (int j = rW, ow = ow0 + q0; j < kW; j += sW, ow--) {
                const float* d = dyP + ((n * HP + oh) * WP + ow) * outC;
                const float* w = wT + (i * kW + j) * outC * inC + c;
                for (int o = 0; o < outC; o++) {
                  const v128_t s = wasm_v128_load32_splat(d + o);
                  a0 = MADD(a0, s, wasm_v128_load(w + o * inC));
                  a1 = MADD(a1, s, wasm_v128_load(w + o * inC + 4));
                }
              }
            }
            float* o0 = dxRow + (u0 + sW * q0) * inC + c;
            wasm_v128_store(o0, a0); wasm_v128_store(o0 + 4, a1);
          }
        }
      }
    }
  }
}

/* The tile's pixel stride in dyP is outC: the models' 32 and 64 are compiled in (tile_madd_k). */
EXPORT(conv_dx)
void conv_dx(const float* dyP, const float* wT, float* dx, int batch, int inH, int inW, int inC, int HP, int WP, int outC,
             int kH, int kW, int sH, int sW, int padTop, int padLeft, int PH, int PW, int fixedStrides) {
#define DX_LOOPS(K) dx_loops(dyP, wT, dx, batch, inH, inW, inC, HP, WP, outC, kH, kW, sH, sW, padTop, padLeft, PH, PW, K)
  if (fixedStrides && outC == 32) DX_LOOPS(32);
  else if (fixedStrides && outC == 64) DX_LOOPS(64);
  else DX_LOOPS(0);
#undef DX_LOOPS
}

/*
 * A convolution from a zero-padded x (pad_images), for few input channels (1-3) where XNNPACK's
 * Conv2D runs far below speed. With T = kW * inC, one filter row i is contiguous in x and in w:
 *   y[n, oh, ow, o] = sum_{i < kH, t < T} xp[n, sH*oh + i, sW*ow*inC + t] * w[i, t, o]
 * xp: [batch, Hp, Wp, inC], w: [kH, kW, inC, outC] = [kH, T, outC], y: [batch, outH, outW, outC].
 * Requires outC % 8 == 0. Tiles of 4 output pixels of a row x 8 output channels in registers.
 */
INLINE void fwd_loops(const float* xp, const float* w, float* y, int batch, int Hp, int Wp, int inC, int outH, int outW,
                      int outC, int kH, int kW, int sH, int sW, const int K) {
  const int T = kW * inC;
  const int px = sW * inC; /* floats between the x patches of neighbouring output pixels */
  for (int n = 0; n < batch; n++) {
    for (int oh = 0; oh < outH; oh++) {
      const float* xRow = xp + (n * Hp + sH * oh) * Wp * inC;
      float* yRow = y + (n * outH + oh) * outW * outC;
      int ow = 0;
      for (; ow + 4 <= outW; ow += 4) {
        for (int o = 0; o < outC; o += 8) {
          tile4x8 acc = tile_zero();
          for (int i = 0; i < kH; i++) {
            const float* xr = xRow + i * Wp * inC + ow * px;
            const float* wr = w + i * T * outC + o;
            for (int t = 0; t < T; t++) {
              tile_madd_k(&acc, xr, px, wr, K);
              xr += 1;
              wr += outC;
            }
          }
          tile_store(&acc, yRow + ow * outC + o, outC);
        }
      }
      for (; ow < outW; ow++) {
        for (int o = 0; o < outC; o += 8) {
          v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0;
          for (int i = 0; i < kH; i++) {
            const float* xr = xRow + i * Wp * inC + ow * px;
            const float* wr = w + i * T * outC + o;
            for (int t = 0; t < T; t++) {
              const v128_t s = wasm_v128_load32_splat(xr + t);
              a0 = MADD(a0, s, wasm_v128_load(wr + t * outC));
              a1 = MADD(a1, s, wasm_v128_load(wr + t * outC + 4));
            }
          }
          float* out = yRow + ow * outC + o;
          wasm_v128_store(out, a0); wasm_v128_store(out + 4, a1);
        }
      }
    }
  }
}

/* The tile's pixel stride px = sW * inC: the models' (2, 6, 64, 128 at stride 2) are compiled in (tile_madd_k). */
EXPORT(conv_fwd_padded)
void conv_fwd_padded(const float* xp, const float* w, float* y, int batch, int Hp, int Wp, int inC, int outH, int outW,
                     int outC, int kH, int kW, int sH, int sW, int fixedStrides) {
#define FWD_LOOPS(K) fwd_loops(xp, w, y, batch, Hp, Wp, inC, outH, outW, outC, kH, kW, sH, sW, K)
  const int px = fixedStrides ? sW * inC : 0;
  if (px == 2) FWD_LOOPS(2);
  else if (px == 6) FWD_LOOPS(6);
  else if (px == 64) FWD_LOOPS(64);
  else if (px == 128) FWD_LOOPS(128);
  else FWD_LOOPS(0);
#undef FWD_LOOPS
}

/* The four lane sums of a, b, c, d as one vector [sum(a), sum(b), sum(c), sum(d)]. */
static inline v128_t lane_sums4(v128_t a, v128_t b, v128_t c, v128_t d) {
  const v128_t ab = wasm_f32x4_add(wasm_i32x4_shuffle(a, b, 0, 1, 4, 5), wasm_i32x4_shuffle(a, b, 2, 3, 6, 7));
  const v128_t cd = wasm_f32x4_add(wasm_i32x4_shuffle(c, d, 0, 1, 4, 5), wasm_i32x4_shuffle(c, d, 2, 3, 6, 7));
  return wasm_f32x4_add(wasm_i32x4_shuffle(ab, cd, 0, 2, 4, 6), wasm_i32x4_shuffle(ab, cd, 1, 3, 5, 7));
}

/*
 * As conv_dx, for few dx channels (a decoder's last layer: 1 or 3), vectorised over outC instead:
 * w is the filter as it is, [kH, kW, inC, outC]; requires outC % 4 == 0. Tiles of 4 pixels of a
 * row phase keep one accumulator each, summed across lanes at the end.
 */
EXPORT(conv_dx_narrow)
void conv_dx_narrow(const float* dyP, const float* w, float* dx, int batch, int inH, int inW, int inC, int HP, int WP, int outC,
                    int kH, int kW, int sH, int sW, int padTop, int padLeft, int PH, int PW) {
  for (int n = 0; n < batch; n++) {
    for (int t = 0; t < inH; t++) {
      const int rH = (t + padTop) % sH;
      const int oh0 = (t + padTop - rH) / sH + PH; /* dy row of tap i = rH; each next tap (i + sH) one row up */
      float* dxRow = dx + (n * inH + t) * inW * inC;
      for (int u0 = 0; u0 < sW && u0 < inW; u0++) {
        const int rW = (u0 + padLeft) % sW;
        const int ow0 = (u0 + padLeft - rW) / sW + PW; /* as oh0, for columns (no division per tile) */
        const int count = (inW - u0 + sW - 1) / sW;
        for (int c = 0; c < inC; c++) {
          for (int q0 = 0; q0 < count; q0 += 4) {
            const int q = count - q0 < 4 ? count - q0 : 4; /* pixels in this tile */
            v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0;
            for (int i = rH, oh = oh0; i < kH; i += sH, oh--) {
              for (int j = rW, ow = ow0 + q0; j < kW; j += sW, ow--) {
                const float* d = dyP + ((n * HP + oh) * WP + ow) * outC;
                const float* wr = w + ((i * kW + j) * inC + c) * outC;
                if (q == 4) {
                  for (int o = 0; o < outC; o += 4) {
                    const v128_t wv = wasm_v128_load(wr + o);
                    a0 = MADD(a0, wasm_v128_load(d + o), wv);
                    a1 = MADD(a1, wasm_v128_load(d + outC + o), wv);
                    a2 = MADD(a2, wasm_v128_load(d + 2 * outC + o), wv);
                    a3 = MADD(a3, wasm_v128_load(d + 3 * outC + o), wv);
                  }
                } else {
                  for (int o = 0; o < outC; o += 4) {
                    const v128_t wv = wasm_v128_load(wr + o);
                    a0 = MADD(a0, wasm_v128_load(d + o), wv);
                    if (q > 1) a1 = MADD(a1, wasm_v128_load(d + outC + o), wv);
                    if (q > 2) a2 = MADD(a2, wasm_v128_load(d + 2 * outC + o), wv);
                  }
                }
              }
            }
            const v128_t s = lane_sums4(a0, a1, a2, a3);
            float* o0 = dxRow + (u0 + sW * q0) * inC + c;
            const int step = sW * inC;
            o0[0] = wasm_f32x4_extract_lane(s, 0);
            if (q > 1) o0[step] = wasm_f32x4_extract_lane(s, 1);
            if (q > 2) o0[2 * step] = wasm_f32x4_extract_lane(s, 2);
            if (q > 3) o0[3 * step] = wasm_f32x4_extract_lane(s, 3);
          }
        }
      }
    }
  }
}

/*
 * c [M, N] = a [M, K] x b [K, N], all row-major, no packing of b (XNNPACK packs its right operand
 * afresh for every new tensor, which costs as much as the product for the dense layers of a VAE
 * at batch 64). Requires N % 8 == 0. Tiles of 4 rows x 8 columns in registers; K is taken in
 * blocks of kc rows of b (kc * N floats stay in L2 while all rows of a stream past), the partial
 * sums of later blocks added to c.
 */
EXPORT(gemm)
void gemm(const float* a, const float* b, float* c, int M, int K, int N, int kc) {
  for (int k0 = 0; k0 < K; k0 += kc) {
    const int k1 = k0 + kc < K ? k0 + kc : K;
    const int first = k0 == 0;
    int r = 0;
    for (; r + 4 <= M; r += 4) {
      const float* a0 = a + r * K;
      for (int n = 0; n < N; n += 8) {
        float* out = c + r * N + n;
        tile4x8 acc = first ? tile_zero() : tile_load(out, N);
        const float* bk = b + k0 * N + n;
        for (int k = k0; k < k1; k++) {
          tile_madd(&acc, a0 + k, K, bk);
          bk += N;
        }
        tile_store(&acc, out, N);
      }
    }
    for (; r < M; r++) {
      const float* ar = a + r * K;
      for (int n = 0; n < N; n += 8) {
        float* out = c + r * N + n;
        v128_t c0 = first ? wasm_f32x4_splat(0.0f) : wasm_v128_load(out);
        v128_t c1 = first ? wasm_f32x4_splat(0.0f) : wasm_v128_load(out + 4);
        const float* bk = b + k0 * N + n;
        for (int k = k0; k < k1; k++) {
          const v128_t s = wasm_v128_load32_splat(ar + k);
          c0 = MADD(c0, s, wasm_v128_load(bk));
          c1 = MADD(c1, s, wasm_v128_load(bk + 4));
          bk += N;
        }
        wasm_v128_store(out, c0);
        wasm_v128_store(out + 4, c1);
      }
    }
  }
}

/* One Horner step of a polynomial: y * x + c (a multiply, then an add; never fused). */
static inline v128_t horner(v128_t y, v128_t x, float c) {
  return wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(c));
}

/*
 * exp of 4 floats (Cephes expf: Cody-Waite reduction x = n ln2 + r, |r| <= ln2 / 2, degree-6
 * polynomial; ~1 ulp). 2^n is applied in two halves so results near overflow and in the
 * subnormal range round like IEEE; +-Inf and NaN come out as exp would give them.
 */
static inline v128_t exp4(v128_t x) {
  const v128_t hi = wasm_f32x4_splat(88.8f), lo = wasm_f32x4_splat(-104.0f);
  v128_t xc = wasm_f32x4_max(wasm_f32x4_min(x, hi), lo);
  v128_t fx = wasm_f32x4_floor(wasm_f32x4_add(wasm_f32x4_mul(xc, wasm_f32x4_splat(1.44269504088896341f)), wasm_f32x4_splat(0.5f)));
  v128_t r = wasm_f32x4_sub(xc, wasm_f32x4_mul(fx, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(fx, wasm_f32x4_splat(-2.12194440e-4f)));
  const v128_t z = wasm_f32x4_mul(r, r);
  v128_t y = wasm_f32x4_splat(1.9875691500e-4f);
  y = horner(y, r, 1.3981999507e-3f);
  y = horner(y, r, 8.3334519073e-3f);
  y = horner(y, r, 4.1665795894e-2f);
  y = horner(y, r, 1.6666665459e-1f);
  y = horner(y, r, 5.0000001201e-1f);
  y = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(y, z), r), wasm_f32x4_splat(1.0f));
  const v128_t n = wasm_i32x4_trunc_sat_f32x4(fx);
  const v128_t n1 = wasm_i32x4_shr(n, 1), n2 = wasm_i32x4_sub(n, n1);
  const v128_t bias = wasm_i32x4_splat(127);
  const v128_t p1 = wasm_i32x4_shl(wasm_i32x4_add(n1, bias), 23), p2 = wasm_i32x4_shl(wasm_i32x4_add(n2, bias), 23);
  y = wasm_f32x4_mul(wasm_f32x4_mul(y, p1), p2);
  /* NaN in, NaN out (the clamps above would have turned it into a number on some engines). */
  return wasm_v128_bitselect(x, y, wasm_f32x4_ne(x, x));
}

/*
 * out[i] = f(x[i]) for i < n, 4 at a time; the 1-3 left at the end go through f as one vector
 * padded with zeros. Inlined with f a constant (exp4, log1p4), so f is inlined too.
 */
static inline void map_floats(const float* x, float* out, int n, v128_t (*f)(v128_t)) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(out + i, f(wasm_v128_load(x + i)));
  if (i < n) {
    const int m = n - i; /* 1 to 3 left */
    const v128_t v = f(wasm_f32x4_make(x[i], m > 1 ? x[i + 1] : 0.0f, m > 2 ? x[i + 2] : 0.0f, 0.0f));
    out[i] = wasm_f32x4_extract_lane(v, 0);
    if (m > 1) out[i + 1] = wasm_f32x4_extract_lane(v, 1);
    if (m > 2) out[i + 2] = wasm_f32x4_extract_lane(v, 2);
  }
}

/* out[i] = exp(x[i]) for i < n. */
EXPORT(exp_floats)
void exp_floats(const float* x, float* out, int n) {
  map_floats(x, out, n, exp4);
}

/*
 * log1p of 4 floats: log(u) of u = 1 + x (Cephes logf: u = m 2^e with m in [sqrt(1/2), sqrt(2)),
 * degree-8 polynomial in m - 1) plus the rounding error of u, (x - (u - 1)) / u, so tiny x give
 * x. -1 gives -Inf, below -1 NaN, +Inf gives +Inf, NaN gives NaN.
 */
static inline v128_t log1p4(v128_t x) {
  const v128_t u = wasm_f32x4_add(x, wasm_f32x4_splat(1.0f));
  v128_t e = wasm_i32x4_sub(wasm_u32x4_shr(u, 23), wasm_i32x4_splat(126));
  v128_t m = wasm_v128_or(wasm_v128_and(u, wasm_i32x4_splat(0x007fffff)), wasm_i32x4_splat(0x3f000000));
  const v128_t small = wasm_f32x4_lt(m, wasm_f32x4_splat(0.707106781186547524f));
  e = wasm_i32x4_add(e, small); /* small is -1 where true */
  m = wasm_f32x4_sub(wasm_f32x4_add(m, wasm_v128_and(m, small)), wasm_f32x4_splat(1.0f));
  const v128_t ef = wasm_f32x4_convert_i32x4(e);
  const v128_t z = wasm_f32x4_mul(m, m);
  v128_t y = wasm_f32x4_splat(7.0376836292e-2f);
  y = horner(y, m, -1.1514610310e-1f);
  y = horner(y, m, 1.1676998740e-1f);
  y = horner(y, m, -1.2420140846e-1f);
  y = horner(y, m, 1.4249322787e-1f);
  y = horner(y, m, -1.6668057665e-1f);
  y = horner(y, m, 2.0000714765e-1f);
  y = horner(y, m, -2.4999993993e-1f);
  y = horner(y, m, 3.3333331174e-1f);
  y = wasm_f32x4_mul(wasm_f32x4_mul(y, m), z);
  y = wasm_f32x4_add(y, wasm_f32x4_mul(ef, wasm_f32x4_splat(-2.12194440e-4f)));
  y = wasm_f32x4_sub(y, wasm_f32x4_mul(z, wasm_f32x4_splat(0.5f)));
  v128_t r = wasm_f32x4_add(wasm_f32x4_add(m, y), wasm_f32x4_mul(ef, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_add(r, wasm_f32x4_div(wasm_f32x4_sub(x, wasm_f32x4_sub(u, wasm_f32x4_splat(1.0f))), u));
  const v128_t inf = wasm_f32x4_splat(__builtin_inff());
  r = wasm_v128_bitselect(wasm_f32x4_neg(inf), r, wasm_f32x4_eq(u, wasm_f32x4_splat(0.0f)));
  r = wasm_v128_bitselect(wasm_f32x4_splat(__builtin_nanf("")), r, wasm_f32x4_lt(u, wasm_f32x4_splat(0.0f)));
  r = wasm_v128_bitselect(inf, r, wasm_f32x4_eq(u, inf));
  return wasm_v128_bitselect(x, r, wasm_f32x4_ne(x, x));
}

/* out[i] = log1p(x[i]) for i < n. */
EXPORT(log1p_floats)
void log1p_floats(const float* x, float* out, int n) {
  map_floats(x, out, n, log1p4);
}

/*
 * One Adam step (lib/backend/wasm/adam.ts) over n floats, with the float32 operations of lib/train/adam.ts's
 * tf-op path in the same order, each rounded on its own (no fused multiply-add, even in the
 * Relaxed SIMD module: the pragma stops clang contracting a * b + c, and build-layout.sh checks
 * that this function holds no relaxed_madd):
 *   m' = m * b1 + g * omb1;  v' = v * b2 + (g * g) * omb2;
 *   w' = w - (m' / (sqrt(v') * invSqrtBc2 + eps)) * stepSize
 * (omb1 = 1 - b1, omb2 = 1 - b2, as float32 scalars). Outputs may alias the inputs.
 */
EXPORT(adam_update)
void adam_update(const float* w, const float* m, const float* v, const float* g, float* wOut, float* mOut, float* vOut, int n,
                 float b1, float omb1, float b2, float omb2, float invSqrtBc2, float eps, float stepSize) {
#pragma clang fp contract(off)
  const v128_t B1 = wasm_f32x4_splat(b1), OMB1 = wasm_f32x4_splat(omb1), B2 = wasm_f32x4_splat(b2), OMB2 = wasm_f32x4_splat(omb2);
  const v128_t S = wasm_f32x4_splat(invSqrtBc2), E = wasm_f32x4_splat(eps), LR = wasm_f32x4_splat(stepSize);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t gi = wasm_v128_load(g + i);
    const v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), B1), wasm_f32x4_mul(gi, OMB1));
    const v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), B2), wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), OMB2));
    const v128_t denom = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_sqrt(vi), S), E);
    const v128_t wi = wasm_f32x4_sub(wasm_v128_load(w + i), wasm_f32x4_mul(wasm_f32x4_div(mi, denom), LR));
    wasm_v128_store(mOut + i, mi);
    wasm_v128_store(vOut + i, vi);
    wasm_v128_store(wOut + i, wi);
  }
  for (; i < n; i++) {
    const float gi = g[i];
    const float mi = m[i] * b1 + gi * omb1;
    const float vi = v[i] * b2 + (gi * gi) * omb2;
    const float denom = __builtin_sqrtf(vi) * invSqrtBc2 + eps;
    const float wi = w[i] - (mi / denom) * stepSize;
    mOut[i] = mi;
    vOut[i] = vi;
    wOut[i] = wi;
  }
}

/*
 * One Adagrad step (lib/backend/wasm/adagrad.ts) over n floats, with the float32 operations of
 * lib/train/adagrad.ts's tf-op path in the same order, each rounded on its own (no fused
 * multiply-add; build-layout.sh checks it):
 *   s' = s + g * g;   w' = w - (g / (sqrt(s') + eps)) * lr
 * Outputs may alias the inputs.
 */
EXPORT(adagrad_update)
void adagrad_update(const float* w, const float* s, const float* g, float* wOut, float* sOut, int n, float eps, float lr) {
#pragma clang fp contract(off)
  const v128_t E = wasm_f32x4_splat(eps), LR = wasm_f32x4_splat(lr);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t gi = wasm_v128_load(g + i);
    const v128_t si = wasm_f32x4_add(wasm_v128_load(s + i), wasm_f32x4_mul(gi, gi));
    const v128_t wi = wasm_f32x4_sub(wasm_v128_load(w + i), wasm_f32x4_mul(wasm_f32x4_div(gi, wasm_f32x4_add(wasm_f32x4_sqrt(si), E)), LR));
    wasm_v128_store(sOut + i, si);
    wasm_v128_store(wOut + i, wi);
  }
  for (; i < n; i++) {
    const float gi = g[i];
    const float si = s[i] + gi * gi;
    sOut[i] = si;
    wOut[i] = w[i] - (gi / (__builtin_sqrtf(si) + eps)) * lr;
  }
}
