// WebAssembly SIMD kernels for the CPU engine's prefill (src/cpu/batch.ts). Built by
// scripts/build-wasm.sh into kernels-wasm.ts (base64), so the bundle needs no file beside it.
// Everything is f32; pointers are byte offsets into the memory the host passes in.
#include <wasm_simd128.h>

typedef v128_t f4;
#define LD(p) wasm_v128_load(p)
#define ST(p, v) wasm_v128_store(p, v)
#ifdef __wasm_relaxed_simd__
// a + b * c in one instruction where the machine has one (x86 FMA3, ARM): Relaxed SIMD may round once or twice.
#define FMA(a, b, c) ((f4)__builtin_wasm_relaxed_madd_f32x4((__f32x4)(b), (__f32x4)(c), (__f32x4)(a)))
#else
#define FMA(a, b, c) wasm_f32x4_add(a, wasm_f32x4_mul(b, c))
#endif
#define SPLAT(s) wasm_f32x4_splat(s)

// exp(x) for f32 lanes: 2^(x log2 e) split into 2^i * 2^f with f in [-1/2, 1/2], 2^f by its Taylor
// series to degree 7 (relative error under 1e-8 there); x below -87 gives 0, above 88 is clamped.
static inline f4 exp4(f4 x) {
  x = wasm_f32x4_max(wasm_f32x4_min(x, SPLAT(88.0f)), SPLAT(-87.0f));
  f4 t = wasm_f32x4_mul(x, SPLAT(1.44269504089f));
  f4 fi = wasm_f32x4_nearest(t);
  f4 f = wasm_f32x4_sub(t, fi);
  f4 p = SPLAT(1.5252734e-5f);
  p = FMA(SPLAT(1.5403530e-4f), p, f);
  p = FMA(SPLAT(1.3333558e-3f), p, f);
  p = FMA(SPLAT(9.6181291e-3f), p, f);
  p = FMA(SPLAT(5.5504109e-2f), p, f);
  p = FMA(SPLAT(2.4022651e-1f), p, f);
  p = FMA(SPLAT(6.9314718e-1f), p, f);
  p = FMA(SPLAT(1.0f), p, f);
  v128_t e = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(fi), wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(p, e);
}

static inline float exp1(float x) {
  f4 v = exp4(SPLAT(x));
  return wasm_f32x4_extract_lane(v, 0);
}

// Y[T x N] (+)= X[T x K] (row stride xs) . B[K x N] (row stride bs). Four tokens by eight columns per
// inner loop: eight accumulators stay in registers while B streams through once per 4 tokens, a
// panel of columns at a time (about 96 KiB of B), so that B comes from the core's own cache for all
// but the first 4 tokens. Threads (threads.ts) each take a slice of the columns or of the rows: every
// element is summed in the same order whichever slice or panel computes it, so the result does not
// depend on the slicing.
static inline void gemm4x8(int K, const float* x0, int xs, const float* b, int bs, float* y0, int ys, int accumulate) {
  const float *x1 = x0 + xs, *x2 = x1 + xs, *x3 = x2 + xs;
  float *y1 = y0 + ys, *y2 = y1 + ys, *y3 = y2 + ys;
  f4 z = SPLAT(0.0f);
  f4 a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z;
  for (int k = 0; k < K; k++, b += bs) {
    f4 b0 = LD(b), b1 = LD(b + 4);
    f4 s0 = SPLAT(x0[k]), s1 = SPLAT(x1[k]), s2 = SPLAT(x2[k]), s3 = SPLAT(x3[k]);
    a00 = FMA(a00, s0, b0); a01 = FMA(a01, s0, b1);
    a10 = FMA(a10, s1, b0); a11 = FMA(a11, s1, b1);
    a20 = FMA(a20, s2, b0); a21 = FMA(a21, s2, b1);
    a30 = FMA(a30, s3, b0); a31 = FMA(a31, s3, b1);
  }
  if (accumulate) {
    a00 = wasm_f32x4_add(a00, LD(y0)); a01 = wasm_f32x4_add(a01, LD(y0 + 4));
    a10 = wasm_f32x4_add(a10, LD(y1)); a11 = wasm_f32x4_add(a11, LD(y1 + 4));
    a20 = wasm_f32x4_add(a20, LD(y2)); a21 = wasm_f32x4_add(a21, LD(y2 + 4));
    a30 = wasm_f32x4_add(a30, LD(y3)); a31 = wasm_f32x4_add(a31, LD(y3 + 4));
  }
  ST(y0, a00); ST(y0 + 4, a01);
  ST(y1, a10); ST(y1 + 4, a11);
  ST(y2, a20); ST(y2 + 4, a21);
  ST(y3, a30); ST(y3 + 4, a31);
}

// One token's columns [n, to): sixteen at a time (four sums apart, so the adds need not wait on each
// other: one sum alone waited out every add's latency and made decoding slow), then four at a time,
// then one at a time. Each column is summed over k in the same order either way.
static inline void gemm1(int K, int N4, int to, int n, const float* x0, const float* B, int bs, float* y0, int accumulate) {
  for (; n + 16 <= N4 && n + 16 <= to; n += 16) {
    f4 z = SPLAT(0.0f), a0 = z, a1 = z, a2 = z, a3 = z;
    const float* b = B + n;
    for (int k = 0; k < K; k++, b += bs) {
      f4 s = SPLAT(x0[k]);
      a0 = FMA(a0, s, LD(b)); a1 = FMA(a1, s, LD(b + 4)); a2 = FMA(a2, s, LD(b + 8)); a3 = FMA(a3, s, LD(b + 12));
    }
    if (accumulate) { a0 = wasm_f32x4_add(a0, LD(y0 + n)); a1 = wasm_f32x4_add(a1, LD(y0 + n + 4)); a2 = wasm_f32x4_add(a2, LD(y0 + n + 8)); a3 = wasm_f32x4_add(a3, LD(y0 + n + 12)); }
    ST(y0 + n, a0); ST(y0 + n + 4, a1); ST(y0 + n + 8, a2); ST(y0 + n + 12, a3);
  }
  for (; n < N4 && n < to; n += 4) {
    f4 a0 = SPLAT(0.0f);
    const float* b = B + n;
    for (int k = 0; k < K; k++, b += bs) a0 = FMA(a0, SPLAT(x0[k]), LD(b));
    if (accumulate) a0 = wasm_f32x4_add(a0, LD(y0 + n));
    ST(y0 + n, a0);
  }
  for (; n < to; n++) {
    float s0 = 0;
    for (int k = 0; k < K; k++) s0 += x0[k] * B[k * bs + n];
    y0[n] = accumulate ? y0[n] + s0 : s0;
  }
}

// Floats of B a panel holds (96 KiB): read by 4 tokens at a time from the core's own cache.
#define PANEL_FLOATS 24576
static void gemm(int T, int K, int N, const float* X, int xs, const float* B, int bs, float* Y, int ys, int accumulate) {
  int N8 = N & ~7, N4 = N & ~3, T4 = T & ~3;
  int panel = (PANEL_FLOATS / (K > 0 ? K : 1)) & ~7;
  if (panel < 8) panel = 8;
  for (int p = 0; p < N8; p += panel) {
    int pe = p + panel < N8 ? p + panel : N8;
    for (int t = 0; t < T4; t += 4)
      for (int n = p; n < pe; n += 8) gemm4x8(K, X + t * xs, xs, B + n, bs, Y + t * ys + n, ys, accumulate);
  }
  // The columns past the last multiple of 8, four tokens at a time.
  for (int t = 0; t < T4; t += 4) {
    const float *x0 = X + t * xs, *x1 = x0 + xs, *x2 = x1 + xs, *x3 = x2 + xs;
    float *y0 = Y + t * ys, *y1 = y0 + ys, *y2 = y1 + ys, *y3 = y2 + ys;
    int n = N8;
    for (; n < N4; n += 4) {
      f4 z = SPLAT(0.0f), a0 = z, a1 = z, a2 = z, a3 = z;
      const float* b = B + n;
      for (int k = 0; k < K; k++, b += bs) {
        f4 b0 = LD(b);
        a0 = FMA(a0, SPLAT(x0[k]), b0); a1 = FMA(a1, SPLAT(x1[k]), b0);
        a2 = FMA(a2, SPLAT(x2[k]), b0); a3 = FMA(a3, SPLAT(x3[k]), b0);
      }
      if (accumulate) { a0 = wasm_f32x4_add(a0, LD(y0 + n)); a1 = wasm_f32x4_add(a1, LD(y1 + n)); a2 = wasm_f32x4_add(a2, LD(y2 + n)); a3 = wasm_f32x4_add(a3, LD(y3 + n)); }
      ST(y0 + n, a0); ST(y1 + n, a1); ST(y2 + n, a2); ST(y3 + n, a3);
    }
    for (; n < N; n++) {
      float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (int k = 0; k < K; k++) { float bv = B[k * bs + n]; s0 += x0[k] * bv; s1 += x1[k] * bv; s2 += x2[k] * bv; s3 += x3[k] * bv; }
      if (accumulate) { s0 += y0[n]; s1 += y1[n]; s2 += y2[n]; s3 += y3[n]; }
      y0[n] = s0; y1[n] = s1; y2[n] = s2; y3[n] = s3;
    }
  }
  // The last T % 4 tokens (decode's one token), every column.
  for (int t = T4; t < T; t++) gemm1(K, N4, N, 0, X + t * xs, B, bs, Y + t * ys, accumulate);
}

// A weight matrix B[K x N] in blocks of 16 columns: block j holds columns [16j, 16j + 16) as K rows
// of 16 floats one after the other (the last block, when N is not a multiple of 16, K rows of N % 16).
// A product then reads each block front to back. Laid out row by row, one token's product stepped
// through B a whole row apart (64 KiB for the LM head) for every four multiply-adds, and the core
// waited on memory most of the time. Every element is summed as gemm sums it (over k in order), so
// the results are the same.
#define BLOCK 16
__attribute__((export_name("gemmB")))
void gemmB(int T, int K, int N, const float* X, int xs, const float* B, float* Y, int ys, int accumulate) {
  int full = N / BLOCK, T4 = T & ~3;
  int perPanel = PANEL_FLOATS / (BLOCK * (K > 0 ? K : 1));
  if (perPanel < 1) perPanel = 1;
  for (int p = 0; p < full; p += perPanel) {
    int pe = p + perPanel < full ? p + perPanel : full;
    for (int t = 0; t < T4; t += 4)
      for (int j = p; j < pe; j++) {
        const float* b = B + j * BLOCK * K;
        gemm4x8(K, X + t * xs, xs, b, BLOCK, Y + t * ys + j * BLOCK, ys, accumulate);
        gemm4x8(K, X + t * xs, xs, b + 8, BLOCK, Y + t * ys + j * BLOCK + 8, ys, accumulate);
      }
  }
  for (int t = T4; t < T; t++)
    for (int j = 0; j < full; j++) gemm1(K, BLOCK, BLOCK, 0, X + t * xs, B + j * BLOCK * K, BLOCK, Y + t * ys + j * BLOCK, accumulate);
  int rest = N - full * BLOCK;
  if (rest) gemm(T, K, rest, X, xs, B + full * BLOCK * K, rest, Y + full * BLOCK, ys, accumulate);
}

// ln(x) for positive f32 lanes: x = m 2^e with m in [sqrt(1/2), sqrt(2)), ln m by its atanh series.
static inline f4 log4(f4 x) {
  v128_t xi = x;
  v128_t e = wasm_i32x4_sub(wasm_u32x4_shr(xi, 23), wasm_i32x4_splat(127));
  f4 m = wasm_v128_or(wasm_v128_and(xi, wasm_i32x4_splat(0x007fffff)), wasm_i32x4_splat(0x3f800000));
  v128_t big = wasm_f32x4_gt(m, SPLAT(1.41421356f));
  m = wasm_v128_bitselect(wasm_f32x4_mul(m, SPLAT(0.5f)), m, big);
  e = wasm_i32x4_sub(e, big); // big is all ones (-1) where m was halved
  f4 s = wasm_f32x4_div(wasm_f32x4_sub(m, SPLAT(1.0f)), wasm_f32x4_add(m, SPLAT(1.0f)));
  f4 s2 = wasm_f32x4_mul(s, s);
  f4 p = SPLAT(1.0f / 9);
  p = FMA(SPLAT(1.0f / 7), p, s2);
  p = FMA(SPLAT(1.0f / 5), p, s2);
  p = FMA(SPLAT(1.0f / 3), p, s2);
  p = FMA(SPLAT(1.0f), p, s2);
  return FMA(wasm_f32x4_mul(wasm_f32x4_convert_i32x4(e), SPLAT(0.69314718056f)), wasm_f32x4_mul(s, SPLAT(2.0f)), p);
}

// PyTorch's softplus (linear above 20); for tiny e^v, ln(1 + e^v) = e^v to f32 precision.
static inline f4 softplus4(f4 v) {
  f4 ev = exp4(v);
  f4 small = wasm_f32x4_mul(ev, wasm_f32x4_sub(SPLAT(1.0f), wasm_f32x4_mul(SPLAT(0.5f), ev)));
  f4 r = wasm_v128_bitselect(small, log4(wasm_f32x4_add(SPLAT(1.0f), ev)), wasm_f32x4_lt(ev, SPLAT(1e-4f)));
  return wasm_v128_bitselect(v, r, wasm_f32x4_gt(v, SPLAT(20.0f)));
}

static inline f4 silu4(f4 v) {
  return wasm_f32x4_div(v, wasm_f32x4_add(SPLAT(1.0f), exp4(wasm_f32x4_neg(v))));
}

// The selective scan over T tokens, Mamba-1, four channels per step:
//   dt = softplus(dtRaw + dtBias);  h <- exp(dt A) h + dt B x;  y = (C . h + D x) silu(z)
// dtRaw, x, y: [T x Di]; z at row stride zs; Bm, Cm: [T x N] at row stride bs;
// AT = -exp(A_log) transposed: [N x Di]; hT: the state transposed, [N x Di], updated in place.
// Di is a multiple of 4; this call updates channels [ch0, ch1) (multiples of 4), so threads can
// share the channels.
__attribute__((export_name("scan")))
void scan(int T, int Di, int ch0, int ch1, int N, const float* dtRaw, const float* dtBias, const float* AT, const float* Bm, const float* Cm, int bs,
          const float* x, const float* D, const float* z, int zs, float* hT, float* y) {
  for (int t = 0; t < T; t++) {
    const float* b = Bm + t * bs;
    const float* c = Cm + t * bs;
    for (int ch = ch0; ch < ch1; ch += 4) {
      f4 dt = softplus4(wasm_f32x4_add(LD(dtRaw + t * Di + ch), LD(dtBias + ch)));
      f4 xv = LD(x + t * Di + ch);
      f4 dx = wasm_f32x4_mul(dt, xv);
      f4 acc = SPLAT(0.0f);
      for (int n = 0; n < N; n++) {
        float* hp = hT + n * Di + ch;
        f4 hv = FMA(wasm_f32x4_mul(exp4(wasm_f32x4_mul(dt, LD(AT + n * Di + ch))), LD(hp)), dx, SPLAT(b[n]));
        ST(hp, hv);
        acc = FMA(acc, SPLAT(c[n]), hv);
      }
      ST(y + t * Di + ch, wasm_f32x4_mul(FMA(acc, LD(D + ch), xv), silu4(LD(z + t * zs + ch))));
    }
  }
}

// g[i] = silu(g[i]) * u[i] for i < n (n a multiple of 4): SwiGLU's gate.
__attribute__((export_name("siluMul")))
void siluMul(int n, float* g, const float* u) {
  for (int i = 0; i < n; i += 4) ST(g + i, wasm_f32x4_mul(silu4(LD(g + i)), LD(u + i)));
}

// Mamba's causal depthwise conv and its silu over T tokens: rows are [hist (K-1 rows of Di), then
// the chunk's inputs (row stride xs)]; out[t, ch] = silu(bias[ch] + sum_j w[ch, j] row[t + j][ch]).
// wT is the conv weight transposed, [K x Di]. Di is a multiple of 4; channels [ch0, ch1) only.
__attribute__((export_name("convSilu")))
void convSilu(int T, int Di, int ch0, int ch1, int K, const float* hist, const float* xin, int xs, const float* wT, const float* bias, float* out) {
  for (int t = 0; t < T; t++) {
    for (int ch = ch0; ch < ch1; ch += 4) {
      f4 acc = LD(bias + ch);
      for (int j = 0; j < K; j++) {
        int r = t + j;
        const float* row = r < K - 1 ? hist + r * Di : xin + (r - (K - 1)) * xs;
        acc = FMA(acc, LD(wT + j * Di + ch), LD(row + ch));
      }
      ST(out + t * Di + ch, silu4(acc));
    }
  }
}

// The largest of scale * r[j] for j in [a, b), four columns at a time (one running max alone waits
// out each step's latency), then the columns past the last four.
static inline float bandMax(const float* r, int a, int b, float scale) {
  const f4 sc = SPLAT(scale);
  f4 mv = SPLAT(-3.4e38f);
  int j = a;
  for (; j + 4 <= b; j += 4) mv = wasm_f32x4_max(mv, wasm_f32x4_mul(LD(r + j), sc));
  mv = wasm_f32x4_max(mv, wasm_i32x4_shuffle(mv, mv, 2, 3, 0, 1));
  mv = wasm_f32x4_max(mv, wasm_i32x4_shuffle(mv, mv, 1, 0, 3, 2));
  float m = wasm_f32x4_extract_lane(mv, 0);
  for (; j < b; j++) if (r[j] * scale > m) m = r[j] * scale;
  return m;
}

// The largest |x[k]| for k < n (n a multiple of 4).
static inline float absMax(const float* x, int n) {
  f4 m = SPLAT(0.0f);
  for (int k = 0; k < n; k += 4) m = wasm_f32x4_max(m, wasm_f32x4_abs(LD(x + k)));
  m = wasm_f32x4_max(m, wasm_i32x4_shuffle(m, m, 2, 3, 0, 1));
  m = wasm_f32x4_max(m, wasm_i32x4_shuffle(m, m, 1, 0, 3, 2));
  return wasm_f32x4_extract_lane(m, 0);
}

// Row-wise softmax of S[T x L] in place, scaled by `scale`, over the columns each row may see:
// row i sees columns [lo + i, hi + i) clipped to [0, L); the others become 0.
__attribute__((export_name("softmaxBand")))
void softmaxBand(int T, int L, float* S, float scale, int lo, int hi) {
  const f4 sc = SPLAT(scale);
  for (int i = 0; i < T; i++) {
    float* r = S + i * L;
    int a = lo + i, b = hi + i;
    if (a < 0) a = 0;
    if (b > L) b = L;
    // The row's maximum, then the exponentials and their sum four columns at a time (as bandMax),
    // then the columns past the last four.
    float m = bandMax(r, a, b, scale);
    f4 sv = SPLAT(0.0f);
    const f4 mm = SPLAT(m);
    int j = a;
    for (; j + 4 <= b; j += 4) {
      f4 e = exp4(wasm_f32x4_sub(wasm_f32x4_mul(LD(r + j), sc), mm));
      ST(r + j, e);
      sv = wasm_f32x4_add(sv, e);
    }
    float sum = wasm_f32x4_extract_lane(sv, 0) + wasm_f32x4_extract_lane(sv, 1) + wasm_f32x4_extract_lane(sv, 2) + wasm_f32x4_extract_lane(sv, 3);
    for (; j < b; j++) { float e = exp1(r[j] * scale - m); r[j] = e; sum += e; }
    const float inv = 1.0f / sum;
    const f4 iv = SPLAT(inv);
    for (j = 0; j < a; j++) r[j] = 0;
    for (j = a; j + 4 <= b; j += 4) ST(r + j, wasm_f32x4_mul(LD(r + j), iv));
    for (; j < b; j++) r[j] *= inv;
    for (j = b; j < L; j++) r[j] = 0;
  }
}

// Sliding-window attention of the chunk's rows [t0, t1) (threads share the rows; a few rows, a
// decode step, take attendRows instead): S = q . K^T (scaled and masked by softmaxBand: row t sees
// columns [lo + t, hi + t)), O = S . V. Q rows qs apart, head h at column h*hd; Kt [G][hd x L] and
// V [G][L x hd] hold the keys (transposed) and values the chunk sees, in gatherKV's blocks, group g
// serving heads g*H/G ..; S [T x L] scratch the heads take in turn; O rows os apart.
__attribute__((export_name("attend")))
void attend(int t0, int t1, int H, int G, int hd, int L, const float* Q, int qs, const float* Kt, const float* V,
            float* S, float* O, int os, float scale, int lo, int hi) {
  int T = t1 - t0;
  for (int h = 0; h < H; h++) {
    int g = h / (H / G);
    float* s = S + t0 * L;
    gemmB(T, hd, L, Q + t0 * qs + h * hd, qs, Kt + g * hd * L, s, L, 0);
    softmaxBand(T, L, s, scale, lo + t0, hi + t0);
    gemmB(T, L, hd, s, L, V + g * L * hd, O + t0 * os + h * hd, os, 0);
  }
}

// SwiGLU's gate for the columns [f0, f1) (threads share the columns; f0 a multiple of 16, f1 - f0 a
// multiple of 4): G = silu(X . Bg) * (X . Bu), where G and Up are [T x F] and Bg, Bu [K x F] in
// blocks of 16 columns (gemmB).
__attribute__((export_name("gateUp")))
void gateUp(int T, int K, int F, int f0, int f1, const float* X, int xs, const float* Bg, const float* Bu, float* G, float* Up) {
  gemmB(T, K, f1 - f0, X, xs, Bg + f0 * K, G + f0, F, 0);
  gemmB(T, K, f1 - f0, X, xs, Bu + f0 * K, Up + f0, F, 0);
  for (int t = 0; t < T; t++) siluMul(f1 - f0, G + t * F + f0, Up + t * F + f0);
}

// Position j's row of keys or values for group g: nOld rows from before the chunk (`old`, kvDim
// apart), then the chunk's own (`chunk`, ns apart).
static inline const float* kvRow(int j, int nOld, const float* old, int kvDim, const float* chunk, int ns, int g, int hd) {
  return j < nOld ? old + j * kvDim + g * hd : chunk + (j - nOld) * ns + g * hd;
}

// Positions per block of attendRows: a block's keys or values (64 rows of hd = 64 floats: 16 KiB)
// stay in the core's first cache while every head of the block's rows uses them.
#define ROW_BLOCK 64

// Position j's row of keys or values for group g: for j < nOld slot first + j of a ring of `cap`
// slots (kvDim apart; first < cap, nOld <= cap), then the chunk's own (ns apart).
static inline const float* ringRow(int j, int nOld, const float* ring, int cap, int first, int kvDim, const float* chunk, int ns, int g, int hd) {
  if (j >= nOld) return chunk + (j - nOld) * ns + g * hd;
  int slot = first + j;
  if (slot >= cap) slot -= cap;
  return ring + slot * kvDim + g * hd;
}

// A few rows' attention (a decode step: threads share the heads) read from the keys' and values'
// rows where they lie (ringRow's: a state's ring, then the chunk's own rows), without gatherKV's
// blocks: a step's gather rewrote the whole window for one row, 8% of a CPU decode's time (stop 65).
// The window is walked in blocks of ROW_BLOCK positions, every head of the call taking its turn on a
// block, so that heads sharing keys and values (grouped-query attention) read them from memory once.
// Rows [0, T) and heads [h0, h1); S a scratch row of L per row, T * L per head (hs apart); hd a
// multiple of 4.
__attribute__((export_name("attendRows")))
void attendRows(int T, int h0, int h1, int H, int G, int hd, int L, int nOld, const float* Q, int qs, const float* Kring,
                const float* Vring, int cap, int first, const float* Knew, const float* Vnew, int ns, float* S, int hs, float* O,
                int os, float scale, int lo, int hi) {
  int kvDim = G * hd, perGroup = H / G;
  for (int t = 0; t < T; t++) {
    int a = lo + t, b = hi + t;
    if (a < 0) a = 0;
    if (b > L) b = L;
    // Scores, four positions at a time, their four sums gathered into one vector.
    for (int jb = a; jb < b; jb += ROW_BLOCK) {
      int je = jb + ROW_BLOCK < b ? jb + ROW_BLOCK : b;
      for (int h = h0; h < h1; h++) {
        int g = h / perGroup;
        const float* q = Q + t * qs + h * hd;
        float* s = S + h * hs + t * L;
        int j = jb;
        for (; j + 4 <= je; j += 4) {
          const float* r0 = ringRow(j, nOld, Kring, cap, first, kvDim, Knew, ns, g, hd);
          const float* r1 = ringRow(j + 1, nOld, Kring, cap, first, kvDim, Knew, ns, g, hd);
          const float* r2 = ringRow(j + 2, nOld, Kring, cap, first, kvDim, Knew, ns, g, hd);
          const float* r3 = ringRow(j + 3, nOld, Kring, cap, first, kvDim, Knew, ns, g, hd);
          f4 c0 = SPLAT(0.0f), c1 = c0, c2 = c0, c3 = c0;
          for (int e = 0; e < hd; e += 4) {
            f4 x = LD(q + e);
            c0 = FMA(c0, x, LD(r0 + e)); c1 = FMA(c1, x, LD(r1 + e)); c2 = FMA(c2, x, LD(r2 + e)); c3 = FMA(c3, x, LD(r3 + e));
          }
          f4 t01 = wasm_f32x4_add(wasm_i32x4_shuffle(c0, c1, 0, 4, 1, 5), wasm_i32x4_shuffle(c0, c1, 2, 6, 3, 7));
          f4 t23 = wasm_f32x4_add(wasm_i32x4_shuffle(c2, c3, 0, 4, 1, 5), wasm_i32x4_shuffle(c2, c3, 2, 6, 3, 7));
          ST(s + j, wasm_f32x4_add(wasm_i32x4_shuffle(t01, t23, 0, 1, 4, 5), wasm_i32x4_shuffle(t01, t23, 2, 3, 6, 7)));
        }
        for (; j < je; j++) {
          const float* r = ringRow(j, nOld, Kring, cap, first, kvDim, Knew, ns, g, hd);
          f4 c = SPLAT(0.0f);
          for (int e = 0; e < hd; e += 4) c = FMA(c, LD(q + e), LD(r + e));
          s[j] = wasm_f32x4_extract_lane(c, 0) + wasm_f32x4_extract_lane(c, 1) + wasm_f32x4_extract_lane(c, 2) + wasm_f32x4_extract_lane(c, 3);
        }
      }
    }
    for (int h = h0; h < h1; h++) softmaxBand(1, L, S + h * hs + t * L, scale, a, b);
    // O = sum_j p_j v_j, 16 channels at a time, block by block.
    for (int h = h0; h < h1; h++) {
      float* o = O + t * os + h * hd;
      for (int e = 0; e < hd; e += 4) ST(o + e, SPLAT(0.0f));
    }
    for (int jb = a; jb < b; jb += ROW_BLOCK) {
      int je = jb + ROW_BLOCK < b ? jb + ROW_BLOCK : b;
      for (int h = h0; h < h1; h++) {
        int g = h / perGroup;
        const float* s = S + h * hs + t * L;
        float* o = O + t * os + h * hd;
        int e0 = 0;
        for (; e0 + 16 <= hd; e0 += 16) {
          f4 o0 = LD(o + e0), o1 = LD(o + e0 + 4), o2 = LD(o + e0 + 8), o3 = LD(o + e0 + 12);
          for (int j = jb; j < je; j++) {
            f4 p = SPLAT(s[j]);
            const float* v = ringRow(j, nOld, Vring, cap, first, kvDim, Vnew, ns, g, hd) + e0;
            o0 = FMA(o0, p, LD(v)); o1 = FMA(o1, p, LD(v + 4)); o2 = FMA(o2, p, LD(v + 8)); o3 = FMA(o3, p, LD(v + 12));
          }
          ST(o + e0, o0); ST(o + e0 + 4, o1); ST(o + e0 + 8, o2); ST(o + e0 + 12, o3);
        }
        for (; e0 < hd; e0 += 4) {
          f4 o0 = LD(o + e0);
          for (int j = jb; j < je; j++) o0 = FMA(o0, SPLAT(s[j]), LD(ringRow(j, nOld, Vring, cap, first, kvDim, Vnew, ns, g, hd) + e0));
          ST(o + e0, o0);
        }
      }
    }
  }
}

// Where row 0 of column j lies in a [rows x L] matrix stored in gemmB's blocks; *w is the block's
// width, so row e of column j is at the result + e * *w.
static inline float* blockColumn(float* m, int rows, int L, int j, int* w) {
  int jb = j / BLOCK, full = L / BLOCK;
  *w = jb < full ? BLOCK : L - full * BLOCK;
  return m + jb * BLOCK * rows + (j - jb * BLOCK);
}

// The keys (Kt [G][hd x L], transposed) and values (V [G][L x hd]), both in blocks of 16 columns as
// gemmB reads a weight matrix, that a chunk's attention sees: nOld rows from before the chunk (Kold,
// Vold [nOld x kvDim]), then the chunk's own L - nOld rows (Knew, Vnew rows `ns` apart). The keys
// are turned four positions by four channels at a time: one position at a time wrote each channel's
// row a whole row apart, and a CPU editing session spent a fifth of its time here (bench/RESULTS.md,
// stop 63).
__attribute__((export_name("gatherKV")))
void gatherKV(int L, int nOld, int G, int hd, const float* Kold, const float* Vold, const float* Knew, const float* Vnew, int ns,
              float* Kt, float* V) {
  int kvDim = G * hd, hd4 = hd & ~3;
  // Values: block b holds channels [16b, 16b + 16) of every position, one position's after another's.
  int vfull = hd / BLOCK, vrest = hd - vfull * BLOCK;
  for (int g = 0; g < G; g++) {
    float* kt = Kt + g * hd * L;
    float* v = V + g * L * hd;
    for (int j = 0; j < L; j++) {
      const float* vs = kvRow(j, nOld, Vold, kvDim, Vnew, ns, g, hd);
      for (int b = 0; b < vfull; b++) {
        float* o = v + b * BLOCK * L + j * BLOCK;
        const float* i = vs + b * BLOCK;
        ST(o, LD(i)); ST(o + 4, LD(i + 4)); ST(o + 8, LD(i + 8)); ST(o + 12, LD(i + 12));
      }
      for (int e = 0; e < vrest; e++) v[vfull * BLOCK * L + j * vrest + e] = vs[vfull * BLOCK + e];
    }
    int j = 0, w;
    for (; j + 4 <= L; j += 4) {
      const float* r0 = kvRow(j, nOld, Kold, kvDim, Knew, ns, g, hd);
      const float* r1 = kvRow(j + 1, nOld, Kold, kvDim, Knew, ns, g, hd);
      const float* r2 = kvRow(j + 2, nOld, Kold, kvDim, Knew, ns, g, hd);
      const float* r3 = kvRow(j + 3, nOld, Kold, kvDim, Knew, ns, g, hd);
      // Positions j .. j + 3 share a block: 4 divides 16, and the positions past the last multiple
      // of 4 are left to the loop below.
      float* col = blockColumn(kt, hd, L, j, &w);
      int e = 0;
      for (; e < hd4; e += 4) {
        f4 a = LD(r0 + e), b = LD(r1 + e), c = LD(r2 + e), d = LD(r3 + e);
        f4 ab01 = wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), ab23 = wasm_i32x4_shuffle(a, b, 2, 6, 3, 7);
        f4 cd01 = wasm_i32x4_shuffle(c, d, 0, 4, 1, 5), cd23 = wasm_i32x4_shuffle(c, d, 2, 6, 3, 7);
        ST(col + e * w, wasm_i32x4_shuffle(ab01, cd01, 0, 1, 4, 5));
        ST(col + (e + 1) * w, wasm_i32x4_shuffle(ab01, cd01, 2, 3, 6, 7));
        ST(col + (e + 2) * w, wasm_i32x4_shuffle(ab23, cd23, 0, 1, 4, 5));
        ST(col + (e + 3) * w, wasm_i32x4_shuffle(ab23, cd23, 2, 3, 6, 7));
      }
      for (; e < hd; e++) {
        col[e * w] = r0[e]; col[e * w + 1] = r1[e]; col[e * w + 2] = r2[e]; col[e * w + 3] = r3[e];
      }
    }
    for (; j < L; j++) {
      const float* ks = kvRow(j, nOld, Kold, kvDim, Knew, ns, g, hd);
      float* col = blockColumn(kt, hd, L, j, &w);
      for (int e = 0; e < hd; e++) col[e * w] = ks[e];
    }
  }
}

// RMSNorm of T rows of width d (rows d apart), in f64 as the reference (engine.ts) computes it:
// out = x * (1 / sqrt(mean(x^2) + eps)) * w, so the results are the same bit for bit.
__attribute__((export_name("rmsNorm")))
void rmsNorm(int T, int d, const float* x, float* out, const float* w, double eps) {
  for (int t = 0; t < T; t++) {
    const float* r = x + t * d;
    double ss = 0;
    for (int i = 0; i < d; i++) ss += (double)r[i] * (double)r[i];
    double inv = 1.0 / __builtin_sqrt(ss / d + eps);
    for (int i = 0; i < d; i++) out[t * d + i] = (float)((double)r[i] * inv * (double)w[i]);
  }
}

#ifdef __wasm_relaxed_simd__
// Int8 products, in the Relaxed SIMD build only: its dot product does 16 multiply-adds of bytes in
// one instruction where the machine has one (AVX-VNNI, ARM's sdot), against 4 of floats. A token's
// row x of a product's input becomes a = round(x / s) in [-127, 127], s = max|x| / 127, with its sum
// Sa; a weight matrix's column w (an output) becomes q = round(w / r) in [-63, 63], r = max|w| / 63,
// stored as u = q + 64 in [1, 127], because the dot product's second operand must have its top bit
// clear. Then x . w ~ s r (a . u - 64 Sa).
typedef signed char i8x16 __attribute__((vector_size(16)));
typedef int i32x4 __attribute__((vector_size(16)));
#define DOT(acc, a, u) ((v128_t)__builtin_wasm_relaxed_dot_i8x16_i7x16_add_s_i32x4((i8x16)(a), (i8x16)(u), (i32x4)(acc)))

// Rows [0, T) of X (row stride xs, K a multiple of 4) into A (K bytes a row), their scales and sums.
// A row of zeros gets scale 0 and bytes 0.
__attribute__((export_name("quantizeRows")))
void quantizeRows(int T, int K, const float* X, int xs, signed char* A, float* scale, int* sum) {
  for (int t = 0; t < T; t++) {
    const float* x = X + t * xs;
    signed char* a = A + t * K;
    float mx = absMax(x, K);
    f4 inv = SPLAT(mx > 0 ? 127.0f / mx : 0.0f);
    v128_t s = wasm_i32x4_splat(0);
    int k = 0;
    for (; k + 16 <= K; k += 16) {
      v128_t i0 = wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest(wasm_f32x4_mul(LD(x + k), inv)));
      v128_t i1 = wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest(wasm_f32x4_mul(LD(x + k + 4), inv)));
      v128_t i2 = wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest(wasm_f32x4_mul(LD(x + k + 8), inv)));
      v128_t i3 = wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest(wasm_f32x4_mul(LD(x + k + 12), inv)));
      s = wasm_i32x4_add(s, wasm_i32x4_add(wasm_i32x4_add(i0, i1), wasm_i32x4_add(i2, i3)));
      ST(a + k, wasm_i8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(i0, i1), wasm_i16x8_narrow_i32x4(i2, i3)));
    }
    int total = wasm_i32x4_extract_lane(s, 0) + wasm_i32x4_extract_lane(s, 1) + wasm_i32x4_extract_lane(s, 2) + wasm_i32x4_extract_lane(s, 3);
    for (; k < K; k += 4) {
      v128_t i0 = wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest(wasm_f32x4_mul(LD(x + k), inv)));
      int v0 = wasm_i32x4_extract_lane(i0, 0), v1 = wasm_i32x4_extract_lane(i0, 1), v2 = wasm_i32x4_extract_lane(i0, 2), v3 = wasm_i32x4_extract_lane(i0, 3);
      a[k] = (signed char)v0; a[k + 1] = (signed char)v1; a[k + 2] = (signed char)v2; a[k + 3] = (signed char)v3;
      total += v0 + v1 + v2 + v3;
    }
    scale[t] = mx / 127.0f;
    sum[t] = total;
  }
}

// What quantizeRows left of rows [0, T) of X (A, scale s), quantized again: B = round((x - s a) / s2),
// s2 = s / 254 (the rest is within s / 2), with its sums. A second product over B adds the rest.
__attribute__((export_name("quantizeRest")))
void quantizeRest(int T, int K, const float* X, int xs, const signed char* A, const float* scale, signed char* B, float* scale2, int* sum2) {
  for (int t = 0; t < T; t++) {
    const float* x = X + t * xs;
    const signed char* a = A + t * K;
    signed char* b = B + t * K;
    float s = scale[t];
    float inv = s > 0 ? 254.0f / s : 0.0f;
    int total = 0;
    for (int k = 0; k < K; k++) {
      float r = (x[k] - s * (float)a[k]) * inv;
      int v = (int)(r + (r >= 0 ? 0.5f : -0.5f));
      v = v > 127 ? 127 : v < -127 ? -127 : v;
      b[k] = (signed char)v;
      total += v;
    }
    scale2[t] = s / 254.0f;
    sum2[t] = total;
  }
}

// Four tokens by one block's 8 columns (the block's half h): U's block is K/4 groups of 64 bytes,
// vector c of a group holding columns 4c .. 4c + 3, four bytes (k .. k + 3) each.
static inline void q4x8(int K, const signed char* a0, const unsigned char* u, const float* as, const int* sa, const float* ws, float* y0, int ys, int accumulate) {
  const signed char *a1 = a0 + K, *a2 = a1 + K, *a3 = a2 + K;
  v128_t z = wasm_i32x4_splat(0);
  v128_t c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
  for (int k = 0; k < K; k += 4, u += 64) {
    v128_t u0 = LD(u), u1 = LD(u + 16);
    v128_t s0 = wasm_v128_load32_splat(a0 + k), s1 = wasm_v128_load32_splat(a1 + k);
    v128_t s2 = wasm_v128_load32_splat(a2 + k), s3 = wasm_v128_load32_splat(a3 + k);
    c00 = DOT(c00, s0, u0); c01 = DOT(c01, s0, u1);
    c10 = DOT(c10, s1, u0); c11 = DOT(c11, s1, u1);
    c20 = DOT(c20, s2, u0); c21 = DOT(c21, s2, u1);
    c30 = DOT(c30, s3, u0); c31 = DOT(c31, s3, u1);
  }
  f4 w0 = LD(ws), w1 = LD(ws + 4);
#define OUT(c, r, y, w) { \
    f4 v = wasm_f32x4_mul(wasm_f32x4_convert_i32x4(wasm_i32x4_sub(c, wasm_i32x4_splat(64 * sa[r]))), wasm_f32x4_mul(SPLAT(as[r]), w)); \
    ST(y, accumulate ? wasm_f32x4_add(v, LD(y)) : v); }
  float *y1 = y0 + ys, *y2 = y1 + ys, *y3 = y2 + ys;
  OUT(c00, 0, y0, w0) OUT(c01, 0, y0 + 4, w1)
  OUT(c10, 1, y1, w0) OUT(c11, 1, y1 + 4, w1)
  OUT(c20, 2, y2, w0) OUT(c21, 2, y2 + 4, w1)
  OUT(c30, 3, y3, w0) OUT(c31, 3, y3 + 4, w1)
}

// One token by one block's 16 columns.
static inline void q1x16(int K, const signed char* a0, const unsigned char* u, const float* as, const int* sa, const float* ws, float* y0, int accumulate) {
  v128_t z = wasm_i32x4_splat(0);
  v128_t c0 = z, c1 = z, c2 = z, c3 = z;
  for (int k = 0; k < K; k += 4, u += 64) {
    v128_t s = wasm_v128_load32_splat(a0 + k);
    c0 = DOT(c0, s, LD(u)); c1 = DOT(c1, s, LD(u + 16)); c2 = DOT(c2, s, LD(u + 32)); c3 = DOT(c3, s, LD(u + 48));
  }
  OUT(c0, 0, y0, LD(ws)) OUT(c1, 0, y0 + 4, LD(ws + 4)) OUT(c2, 0, y0 + 8, LD(ws + 8)) OUT(c3, 0, y0 + 12, LD(ws + 12))
#undef OUT
}

// Bytes of U a panel holds (96 KiB), as gemm's PANEL_FLOATS.
#define PANEL_BYTES 98304
// Y[T x N] (+)= the int8 product of quantizeRows' A (T rows of K bytes, scales as, sums sa) and U
// (N / 16 blocks of K x 16 bytes, column scales ws); N a multiple of 16, K of 4.
__attribute__((export_name("gemmQ")))
void gemmQ(int T, int K, int N, const signed char* A, const float* as, const int* sa, const unsigned char* U, const float* ws, float* Y, int ys, int accumulate) {
  int blocks = N / BLOCK, T4 = T & ~3;
  int perPanel = PANEL_BYTES / (BLOCK * (K > 0 ? K : 1));
  if (perPanel < 1) perPanel = 1;
  for (int p = 0; p < blocks; p += perPanel) {
    int pe = p + perPanel < blocks ? p + perPanel : blocks;
    for (int t = 0; t < T4; t += 4)
      for (int j = p; j < pe; j++) {
        const unsigned char* u = U + j * BLOCK * K;
        q4x8(K, A + t * K, u, as + t, sa + t, ws + j * BLOCK, Y + t * ys + j * BLOCK, ys, accumulate);
        q4x8(K, A + t * K, u + 32, as + t, sa + t, ws + j * BLOCK + 8, Y + t * ys + j * BLOCK + 8, ys, accumulate);
      }
  }
  for (int t = T4; t < T; t++)
    for (int j = 0; j < blocks; j++) q1x16(K, A + t * K, U + j * BLOCK * K, as + t, sa + t, ws + j * BLOCK, Y + t * ys + j * BLOCK, accumulate);
}

// SwiGLU's gate as gateUp computes it, from int8 products: columns [f0, f1) (f0 a multiple of 16).
__attribute__((export_name("gateUpQ")))
void gateUpQ(int T, int K, int F, int f0, int f1, const signed char* A, const float* as, const int* sa, const unsigned char* Ug, const float* wg, const unsigned char* Uu, const float* wu, float* G, float* Up) {
  gemmQ(T, K, f1 - f0, A, as, sa, Ug + f0 * K, wg + f0, G + f0, F, 0);
  gemmQ(T, K, f1 - f0, A, as, sa, Uu + f0 * K, wu + f0, Up + f0, F, 0);
  for (int t = 0; t < T; t++) siluMul(f1 - f0, G + t * F + f0, Up + t * F + f0);
}
// The attention of a prompt's chunk in int8 (decode steps stay f32: they would quantize the whole
// window for one row). At a new place the window is full, and the attention's f32 products and
// softmax were most of a CPU prefill's time (bench/RESULTS.md, stop 65).

// Four int32 lanes as four bytes at p (each lane in [-128, 255] as the caller chose).
static inline void store4(void* p, v128_t i) {
  v128_t h = wasm_i16x8_narrow_i32x4(i, i);
  wasm_v128_store32_lane(p, wasm_i8x16_narrow_i16x8(h, h), 0);
}

// gatherKV's int8 counterpart. For group g: the keys as gemmQ's U (column j is position j, K = hd),
// Ku + g * Lk * hd bytes with Lk = L rounded up to 16, scaled per position (ks + g * Lk; 0 past L);
// the values as U (column c is channel c, K the positions), Vu + g * hd * Lv with Lv = L rounded up
// to 4, scaled per channel (vs + g * hd), with each channel's sum of its rounded values (vsum + g *
// hd, for attendQ's offset). Positions past L are zeros. hd a multiple of 16.
__attribute__((export_name("gatherKVQ")))
void gatherKVQ(int L, int nOld, int G, int hd, const float* Kold, const float* Vold, const float* Knew, const float* Vnew, int ns,
               unsigned char* Ku, float* ks, unsigned char* Vu, float* vs, int* vsum) {
  int kvDim = G * hd, Lk = (L + 15) & ~15, Lv = (L + 3) & ~3;
  const v128_t off = wasm_i32x4_splat(64);
  for (int g = 0; g < G; g++) {
    unsigned char* ku = Ku + g * Lk * hd;
    float* kscale = ks + g * Lk;
    for (int j = 0; j < Lk; j++) {
      unsigned char* base = ku + (j & ~15) * hd + (j & 15) * 4;
      if (j >= L) {
        for (int e = 0; e < hd; e += 4) store4(base + (e >> 2) * 64, off);
        kscale[j] = 0;
        continue;
      }
      const float* r = kvRow(j, nOld, Kold, kvDim, Knew, ns, g, hd);
      float mx = absMax(r, hd);
      f4 inv = SPLAT(mx > 0 ? 63.0f / mx : 0.0f);
      for (int e = 0; e < hd; e += 4)
        store4(base + (e >> 2) * 64, wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest(wasm_f32x4_mul(LD(r + e), inv))), off));
      kscale[j] = mx / 63.0f;
    }
    // Values: each channel's largest magnitude over the positions, then four positions by 16
    // channels at a time, turned so that each channel's four bytes lie together.
    float* vscale = vs + g * hd;
    int* vs_ = vsum + g * hd;
    for (int c = 0; c < hd; c += 4) {
      f4 m = SPLAT(0.0f);
      for (int j = 0; j < L; j++) m = wasm_f32x4_max(m, wasm_f32x4_abs(LD(kvRow(j, nOld, Vold, kvDim, Vnew, ns, g, hd) + c)));
      ST(vscale + c, wasm_f32x4_div(m, SPLAT(63.0f)));
      ST(vs_ + c, wasm_i32x4_splat(0));
    }
    unsigned char* vu = Vu + g * hd * Lv;
    for (int cb = 0; cb < hd; cb += 16) {
      f4 i0 = LD(vscale + cb), i1 = LD(vscale + cb + 4), i2 = LD(vscale + cb + 8), i3 = LD(vscale + cb + 12);
      const f4 zero = SPLAT(0.0f), one = SPLAT(1.0f);
      // 1 / scale, 0 for a channel of zeros.
      i0 = wasm_v128_bitselect(zero, wasm_f32x4_div(one, i0), wasm_f32x4_eq(i0, zero));
      i1 = wasm_v128_bitselect(zero, wasm_f32x4_div(one, i1), wasm_f32x4_eq(i1, zero));
      i2 = wasm_v128_bitselect(zero, wasm_f32x4_div(one, i2), wasm_f32x4_eq(i2, zero));
      i3 = wasm_v128_bitselect(zero, wasm_f32x4_div(one, i3), wasm_f32x4_eq(i3, zero));
      v128_t s0 = wasm_i32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
      for (int j = 0; j < Lv; j += 4) {
        v128_t r0, r1, r2, r3;
#define QROW(out, p) { \
          if (j + (p) < L) { \
            const float* x = kvRow(j + (p), nOld, Vold, kvDim, Vnew, ns, g, hd) + cb; \
            v128_t q0 = wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest(wasm_f32x4_mul(LD(x), i0))); \
            v128_t q1 = wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest(wasm_f32x4_mul(LD(x + 4), i1))); \
            v128_t q2 = wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest(wasm_f32x4_mul(LD(x + 8), i2))); \
            v128_t q3 = wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest(wasm_f32x4_mul(LD(x + 12), i3))); \
            s0 = wasm_i32x4_add(s0, q0); s1 = wasm_i32x4_add(s1, q1); s2 = wasm_i32x4_add(s2, q2); s3 = wasm_i32x4_add(s3, q3); \
            out = wasm_u8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(wasm_i32x4_add(q0, off), wasm_i32x4_add(q1, off)), \
                                          wasm_i16x8_narrow_i32x4(wasm_i32x4_add(q2, off), wasm_i32x4_add(q3, off))); \
          } else out = wasm_i8x16_splat(64); }
        QROW(r0, 0) QROW(r1, 1) QROW(r2, 2) QROW(r3, 3)
#undef QROW
        v128_t t01 = wasm_i8x16_shuffle(r0, r1, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        v128_t t01h = wasm_i8x16_shuffle(r0, r1, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        v128_t t23 = wasm_i8x16_shuffle(r2, r3, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        v128_t t23h = wasm_i8x16_shuffle(r2, r3, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        unsigned char* o = vu + cb * Lv + (j >> 2) * 64;
        ST(o, wasm_i16x8_shuffle(t01, t23, 0, 8, 1, 9, 2, 10, 3, 11));
        ST(o + 16, wasm_i16x8_shuffle(t01, t23, 4, 12, 5, 13, 6, 14, 7, 15));
        ST(o + 32, wasm_i16x8_shuffle(t01h, t23h, 0, 8, 1, 9, 2, 10, 3, 11));
        ST(o + 48, wasm_i16x8_shuffle(t01h, t23h, 4, 12, 5, 13, 6, 14, 7, 15));
      }
      ST(vs_ + cb, s0); ST(vs_ + cb + 4, s1); ST(vs_ + cb + 8, s2); ST(vs_ + cb + 12, s3);
    }
  }
}

// softmaxBand's rows as bytes for the product with the values: row i's weights e = exp(scale s - max)
// in (0, 1], e = 1 at the maximum, become a = floor(254 e + d) - 127 in [-127, 127], where d in [0, 1)
// is a fixed dither by column and row (the fractions of multiples of the golden ratio's), so that the
// many small weights of a wide window round up as often as their size says instead of all to zero.
// The row's weights are then (a + 127) / its sum of those; pscale is 1 / that sum, psum the sum of a.
// S rows ss apart; P rows Lv apart (the columns past the row's band and up to Lv get -127: weight 0).
static void softmaxQ(int T, int L, int Lv, const float* S, int ss, float scale, int lo, int hi, int row0,
                     signed char* P, float* pscale, int* psum) {
  const f4 sc = SPLAT(scale), k254 = SPLAT(254.0f), lanes = wasm_f32x4_make(0, 1, 2, 3);
  const v128_t m127 = wasm_i32x4_splat(127);
  for (int i = 0; i < T; i++) {
    const float* r = S + i * ss;
    signed char* p = P + i * Lv;
    int a = lo + i, b = hi + i;
    if (a < 0) a = 0;
    if (b > L) b = L;
    float m = bandMax(r, a, b, scale);
    const f4 mm = SPLAT(m);
    int j;
    // The dither of column j: frac(0.6180340 j + 0.7548777 (row0 + i)).
    float rowPhase = 0.7548777f * (float)(row0 + i);
    rowPhase -= __builtin_floorf(rowPhase);
    for (j = 0; j < a; j++) p[j] = -127;
    v128_t total = wasm_i32x4_splat(0);
    for (j = a; j + 4 <= b; j += 4) {
      f4 e = exp4(wasm_f32x4_sub(wasm_f32x4_mul(LD(r + j), sc), mm));
      f4 d = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_add(SPLAT((float)j), lanes), SPLAT(0.6180340f)), SPLAT(rowPhase));
      d = wasm_f32x4_sub(d, wasm_f32x4_floor(d));
      v128_t x = wasm_i32x4_trunc_sat_f32x4(FMA(d, e, k254));
      total = wasm_i32x4_add(total, x);
      store4(p + j, wasm_i32x4_sub(x, m127));
    }
    int sum = wasm_i32x4_extract_lane(total, 0) + wasm_i32x4_extract_lane(total, 1) + wasm_i32x4_extract_lane(total, 2) + wasm_i32x4_extract_lane(total, 3);
    for (; j < b; j++) {
      float d = 0.6180340f * (float)j + rowPhase;
      d -= __builtin_floorf(d);
      int x = (int)(exp1(r[j] * scale - m) * 254.0f + d);
      sum += x;
      p[j] = (signed char)(x - 127);
    }
    for (j = b; j < Lv; j++) p[j] = -127;
    pscale[i] = 1.0f / (float)sum;
    psum[i] = sum - 127 * Lv;
  }
}

// attend in int8, rows [t0, t1) (threads share the rows): for each head, the queries quantized
// (Qa, qscale, qsum: scratch rows), S = q . K^T by gemmQ over gatherKVQ's keys (S rows Lk apart),
// softmaxQ's bytes (Pa, pscale, psum: scratch rows Lv apart) and O = P . V by gemmQ over its values,
// plus the offset's share: sum_k (a_k + 127) v_k = sum_k a_k v_k + 127 sum_k v_k.
__attribute__((export_name("attendQ")))
void attendQ(int t0, int t1, int H, int G, int hd, int L, const float* Q, int qs, const unsigned char* Ku, const float* ks,
             const unsigned char* Vu, const float* vs, const int* vsum, float* S, signed char* Qa, float* qscale, int* qsum,
             signed char* Pa, float* pscale, int* psum, float* O, int os, float scale, int lo, int hi) {
  int T = t1 - t0, Lk = (L + 15) & ~15, Lv = (L + 3) & ~3;
  float* s = S + t0 * Lk;
  signed char* qa = Qa + t0 * hd;
  signed char* pa = Pa + t0 * Lv;
  for (int h = 0; h < H; h++) {
    int g = h / (H / G);
    const float* w = vs + g * hd;
    const int* colSum = vsum + g * hd;
    quantizeRows(T, hd, Q + t0 * qs + h * hd, qs, qa, qscale + t0, qsum + t0);
    gemmQ(T, hd, Lk, qa, qscale + t0, qsum + t0, Ku + g * Lk * hd, ks + g * Lk, s, Lk, 0);
    softmaxQ(T, L, Lv, s, Lk, scale, lo + t0, hi + t0, t0, pa, pscale + t0, psum + t0);
    float* o = O + t0 * os + h * hd;
    gemmQ(T, Lv, hd, pa, pscale + t0, psum + t0, Vu + g * hd * Lv, w, o, os, 0);
    for (int t = 0; t < T; t++) {
      f4 ps = SPLAT(127.0f * pscale[t0 + t]);
      for (int c = 0; c < hd; c += 4)
        ST(o + t * os + c, FMA(LD(o + t * os + c), wasm_f32x4_mul(wasm_f32x4_convert_i32x4(LD(colSum + c)), LD(w + c)), ps));
    }
  }
}
#endif
