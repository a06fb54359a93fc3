// Prompt matrix product with f16 arithmetic (devices with shader-f16; src/gpu/ops.ts picks it):
// y[t, rowOffset + r] (+)= W[r, :] . x[t, :] (+ bias), the layout and loads of matmul_f32.wgsl
// (read that first), with x and W rounded to f16 into workgroup memory (half the bytes) and the
// products summed in f16 over each step of 16 inputs (packed f16 math: twice the f32 rate on
// most GPUs), then added to f32 accumulators, so the rounding error does not grow with the row
// length (relative error about 1e-3, against f32's 1e-6).
struct Params {
  T: u32,
  inDim: u32,
  inQuads: u32,
  rows: u32,
  rowOffset: u32,
  xStride: u32,
  xOff: u32,
  yStride: u32,
  yOff: u32,
  accumulate: u32,
  hasBias: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> W: array<WQuad>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

const TM: u32 = 128u;        // tokens per tile
const TN: u32 = 128u;        // rows per tile
const TK: u32 = 16u;         // inputs per step
const QPS: u32 = TK / QE;    // weight quads per row per step (2 for f16/f32, 1 for int8)
const XR: u32 = TM / 4u;     // vec4s per k of xs
const WR: u32 = TN / 4u;     // vec4s per k of ws
const BUF: u32 = TK * XR;    // vec4s per buffer (XR == WR)
var<workgroup> xs: array<vec4<f16>, 2u * BUF>;
var<workgroup> ws: array<vec4<f16>, 2u * BUF>;

// x[t, k..k+3], zeros outside the matrix.
fn xAt(t: u32, k: u32) -> vec4<f32> {
  if (t >= P.T || k >= P.inDim) { return vec4<f32>(0.0); }
  return x[(t * P.xStride + P.xOff + k) / 4u];
}

// Quad q of row n (QE weights, scaled), zeros outside the matrix; c and d only for int8.
struct Q16 { a: vec4<f32>, b: vec4<f32>, c: vec4<f32>, d: vec4<f32> }
fn wAt(n: u32, q: u32) -> Q16 {
  var r = Q16(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  if (n < P.rows && q < P.inQuads) {
    let w = W[n * P.inQuads + q];
    let s = wquadScale(n, q, P.inQuads);
    r.a = wunit(w, 0u) * s;
    r.b = wunit(w, 1u) * s;
    if (QE == 16u) {
      r.c = wunit(w, 2u) * s;
      r.d = wunit(w, 3u) * s;
    }
  }
  return r;
}

// y[t, row r..r+3] = v (+ bias) (+ y), inside the matrix only.
fn put(t: u32, r: u32, v: vec4<f32>) {
  if (t >= P.T) { return; }
  for (var e = 0u; e < 4u; e++) {
    if (r + e < P.rows) {
      let o = r + e + P.rowOffset;
      let yi = t * P.yStride + P.yOff + o;
      var s = v[e];
      if (P.hasBias != 0u) { s += bias[o]; }
      if (P.accumulate != 0u) { s += y[yi]; }
      y[yi] = s;
    }
  }
}

// Inputs 4j..4j+3 of a step (v[i] is input 4j+i) of token or row i at column `at` of buffer `b`:
// element [4j+i][at] of a [k][128] tile.
fn storeX(b: u32, j: u32, at: u32, v32: vec4<f32>) {
  let v = vec4<f16>(v32);
  let p = b + 4u * j * XR + at / 4u;
  let c = at % 4u;
  xs[p][c] = v.x;
  xs[p + XR][c] = v.y;
  xs[p + 2u * XR][c] = v.z;
  xs[p + 3u * XR][c] = v.w;
}
fn storeW(b: u32, j: u32, at: u32, v32: vec4<f32>) {
  let v = vec4<f16>(v32);
  let p = b + 4u * j * WR + at / 4u;
  let c = at % 4u;
  ws[p][c] = v.x;
  ws[p + WR][c] = v.y;
  ws[p + 2u * WR][c] = v.z;
  ws[p + 3u * WR][c] = v.w;
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let n0 = wid.x * TN;
  let t0 = wid.y * TM;
  let tx = lid.x;
  let ty = lid.y;
  var c00 = vec4<f32>(0.0);
  var c01 = vec4<f32>(0.0);
  var c10 = vec4<f32>(0.0);
  var c11 = vec4<f32>(0.0);
  var c20 = vec4<f32>(0.0);
  var c21 = vec4<f32>(0.0);
  var c30 = vec4<f32>(0.0);
  var c31 = vec4<f32>(0.0);
  var c40 = vec4<f32>(0.0);
  var c41 = vec4<f32>(0.0);
  var c50 = vec4<f32>(0.0);
  var c51 = vec4<f32>(0.0);
  var c60 = vec4<f32>(0.0);
  var c61 = vec4<f32>(0.0);
  var c70 = vec4<f32>(0.0);
  var c71 = vec4<f32>(0.0);
  var p00 = vec4<f16>(0.0);
  var p01 = vec4<f16>(0.0);
  var p10 = vec4<f16>(0.0);
  var p11 = vec4<f16>(0.0);
  var p20 = vec4<f16>(0.0);
  var p21 = vec4<f16>(0.0);
  var p30 = vec4<f16>(0.0);
  var p31 = vec4<f16>(0.0);
  var p40 = vec4<f16>(0.0);
  var p41 = vec4<f16>(0.0);
  var p50 = vec4<f16>(0.0);
  var p51 = vec4<f16>(0.0);
  var p60 = vec4<f16>(0.0);
  var p61 = vec4<f16>(0.0);
  var p70 = vec4<f16>(0.0);
  var p71 = vec4<f16>(0.0);
  // Loads of this thread: x of token xt at inputs 4 xj..4 xj+3 and 4 (xj+2)..; W quad wq of row wr.
  let xt = li % TM;
  let xj = li / TM;
  let wr = li % TN;
  let wq = li / TN;
  let loadsW = wq < QPS;
  var xa = xAt(t0 + xt, 4u * xj);
  var xb = xAt(t0 + xt, 4u * xj + 8u);
  var w = Q16(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  if (loadsW) { w = wAt(n0 + wr, wq); }
  let steps = (P.inDim + TK - 1u) / TK;
  for (var s = 0u; s < steps; s++) {
    let b = (s % 2u) * BUF;
    storeX(b, xj, xt, xa);
    storeX(b, xj + 2u, xt, xb);
    if (loadsW) {
      storeW(b, wq * (QE / 4u), wr, w.a);
      storeW(b, wq * (QE / 4u) + 1u, wr, w.b);
      if (QE == 16u) {
        storeW(b, 2u, wr, w.c);
        storeW(b, 3u, wr, w.d);
      }
    }
    // The stores of step s are visible, and every thread is past step s - 1's reads of buffer b.
    workgroupBarrier();
    // Prefetch the next step while this one computes.
    if (s + 1u < steps) {
      let k1 = (s + 1u) * TK;
      xa = xAt(t0 + xt, k1 + 4u * xj);
      xb = xAt(t0 + xt, k1 + 4u * xj + 8u);
      if (loadsW) { w = wAt(n0 + wr, k1 / QE + wq); }
    }
    for (var kk = 0u; kk < TK; kk++) {
      let a0 = xs[b + kk * XR + ty];
      let a1 = xs[b + kk * XR + ty + 16u];
      let b0 = ws[b + kk * WR + tx];
      let b1 = ws[b + kk * WR + tx + 16u];
      p00 = fma(vec4<f16>(a0.x), b0, p00);
      p01 = fma(vec4<f16>(a0.x), b1, p01);
      p10 = fma(vec4<f16>(a0.y), b0, p10);
      p11 = fma(vec4<f16>(a0.y), b1, p11);
      p20 = fma(vec4<f16>(a0.z), b0, p20);
      p21 = fma(vec4<f16>(a0.z), b1, p21);
      p30 = fma(vec4<f16>(a0.w), b0, p30);
      p31 = fma(vec4<f16>(a0.w), b1, p31);
      p40 = fma(vec4<f16>(a1.x), b0, p40);
      p41 = fma(vec4<f16>(a1.x), b1, p41);
      p50 = fma(vec4<f16>(a1.y), b0, p50);
      p51 = fma(vec4<f16>(a1.y), b1, p51);
      p60 = fma(vec4<f16>(a1.z), b0, p60);
      p61 = fma(vec4<f16>(a1.z), b1, p61);
      p70 = fma(vec4<f16>(a1.w), b0, p70);
      p71 = fma(vec4<f16>(a1.w), b1, p71);
    }
    c00 += vec4<f32>(p00);
    p00 = vec4<f16>(0.0);
    c01 += vec4<f32>(p01);
    p01 = vec4<f16>(0.0);
    c10 += vec4<f32>(p10);
    p10 = vec4<f16>(0.0);
    c11 += vec4<f32>(p11);
    p11 = vec4<f16>(0.0);
    c20 += vec4<f32>(p20);
    p20 = vec4<f16>(0.0);
    c21 += vec4<f32>(p21);
    p21 = vec4<f16>(0.0);
    c30 += vec4<f32>(p30);
    p30 = vec4<f16>(0.0);
    c31 += vec4<f32>(p31);
    p31 = vec4<f16>(0.0);
    c40 += vec4<f32>(p40);
    p40 = vec4<f16>(0.0);
    c41 += vec4<f32>(p41);
    p41 = vec4<f16>(0.0);
    c50 += vec4<f32>(p50);
    p50 = vec4<f16>(0.0);
    c51 += vec4<f32>(p51);
    p51 = vec4<f16>(0.0);
    c60 += vec4<f32>(p60);
    p60 = vec4<f16>(0.0);
    c61 += vec4<f32>(p61);
    p61 = vec4<f16>(0.0);
    c70 += vec4<f32>(p70);
    p70 = vec4<f16>(0.0);
    c71 += vec4<f32>(p71);
    p71 = vec4<f16>(0.0);
  }
  // c<r><j>: token (ty + 16 (r / 4)) * 4 + r % 4, rows (tx + 16 j) * 4 + 0..3.
  put(t0 + ty * 4u + 0u, n0 + tx * 4u, c00);
  put(t0 + ty * 4u + 0u, n0 + (tx + 16u) * 4u, c01);
  put(t0 + ty * 4u + 1u, n0 + tx * 4u, c10);
  put(t0 + ty * 4u + 1u, n0 + (tx + 16u) * 4u, c11);
  put(t0 + ty * 4u + 2u, n0 + tx * 4u, c20);
  put(t0 + ty * 4u + 2u, n0 + (tx + 16u) * 4u, c21);
  put(t0 + ty * 4u + 3u, n0 + tx * 4u, c30);
  put(t0 + ty * 4u + 3u, n0 + (tx + 16u) * 4u, c31);
  put(t0 + (ty + 16u) * 4u + 0u, n0 + tx * 4u, c40);
  put(t0 + (ty + 16u) * 4u + 0u, n0 + (tx + 16u) * 4u, c41);
  put(t0 + (ty + 16u) * 4u + 1u, n0 + tx * 4u, c50);
  put(t0 + (ty + 16u) * 4u + 1u, n0 + (tx + 16u) * 4u, c51);
  put(t0 + (ty + 16u) * 4u + 2u, n0 + tx * 4u, c60);
  put(t0 + (ty + 16u) * 4u + 2u, n0 + (tx + 16u) * 4u, c61);
  put(t0 + (ty + 16u) * 4u + 3u, n0 + tx * 4u, c70);
  put(t0 + (ty + 16u) * 4u + 3u, n0 + (tx + 16u) * 4u, c71);
}
