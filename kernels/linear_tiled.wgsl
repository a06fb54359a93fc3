// Linear layer, tiled path (prefill: many tokens): y[t, rowOffset + r] (+)= W[r, :] . x[t, :] (+ bias),
// x row t at t * xStride + xOff; decoding uses matvec.wgsl.
// A 128-token x 128-row output tile per workgroup of 16x16 threads, each thread 8 tokens x 8
// rows (two vec4 of tokens by two vec4 of rows). x and W go through workgroup memory 16 input
// elements at a time, so each weight element read from memory serves 128 tokens; the next
// step's tiles are loaded into registers while this step computes (software pipelining).
// Everything a thread holds is a named vector, never an array indexed in a loop: GPU compilers
// put dynamically indexed arrays in (slow) local memory. Workgroup rows are padded by one vec4
// against bank conflicts.
struct Params {
  T: u32,
  inDim: u32,
  inPairs: u32,
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
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> W: array<WPair>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

const TM: u32 = 128u;          // tokens per tile
const TN: u32 = 128u;          // rows per tile
const TK: u32 = 16u;           // input elements per step (8 pairs)
const XR: u32 = TM / 4u + 1u;  // vec4s per row of xs ([k][token]), one of padding
const WR: u32 = TN / 4u + 1u;  // vec4s per row of ws ([k][row])
var<workgroup> xs: array<vec4<f32>, TK * XR>;
var<workgroup> ws: array<vec4<f32>, TK * WR>;

// x[t, k] or 0 outside the matrix.
fn xAt(t: u32, k: u32) -> f32 {
  if (t < P.T && k < P.inDim) { return x[t * P.xStride + P.xOff + k]; }
  return 0.0;
}

// W pair (row n, pair kp) or zeros outside the matrix.
fn wAt(n: u32, kp: u32) -> vec2<f32> {
  if (n < P.rows && kp < P.inPairs) { return wpairOf(W[wpairSlot(n, kp, P.inPairs)], kp) * wpairScale(n, kp, P.inPairs); }
  return vec2<f32>(0.0);
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
  // This thread loads x at tokens t0 + xt + 32 e (e < 8) and input xk, and W pairs at rows
  // n0 + wn + 32 e (e < 4) and pair wk; into workgroup memory at component xc / wc.
  let xt = li / TK;
  let xk = li % TK;
  let wn = li / 8u;
  let wk = li % 8u;
  var xa = vec4<f32>(xAt(t0 + xt, xk), xAt(t0 + xt + 16u, xk), xAt(t0 + xt + 32u, xk), xAt(t0 + xt + 48u, xk));
  var xb = vec4<f32>(xAt(t0 + xt + 64u, xk), xAt(t0 + xt + 80u, xk), xAt(t0 + xt + 96u, xk), xAt(t0 + xt + 112u, xk));
  var wa = vec4<f32>(wAt(n0 + wn, wk), wAt(n0 + wn + 32u, wk));
  var wb = vec4<f32>(wAt(n0 + wn + 64u, wk), wAt(n0 + wn + 96u, wk));
  for (var k0 = 0u; k0 < P.inDim; k0 += TK) {
    workgroupBarrier();  // the previous step's reads of xs/ws are done
    // token xt + 16 e sits in vec4 (xt + 16 e) / 4 = xt / 4 + 4 e, component xt % 4.
    let xv = xk * XR + xt / 4u;
    let xc = xt % 4u;
    xs[xv][xc] = xa.x;
    xs[xv + 4u][xc] = xa.y;
    xs[xv + 8u][xc] = xa.z;
    xs[xv + 12u][xc] = xa.w;
    xs[xv + 16u][xc] = xb.x;
    xs[xv + 20u][xc] = xb.y;
    xs[xv + 24u][xc] = xb.z;
    xs[xv + 28u][xc] = xb.w;
    // row wn + 32 e sits in vec4 wn / 4 + 8 e, component wn % 4; pair wk is inputs 2wk, 2wk+1.
    let wv0 = (2u * wk) * WR + wn / 4u;
    let wv1 = wv0 + WR;
    let wc = wn % 4u;
    ws[wv0][wc] = wa.x;
    ws[wv1][wc] = wa.y;
    ws[wv0 + 8u][wc] = wa.z;
    ws[wv1 + 8u][wc] = wa.w;
    ws[wv0 + 16u][wc] = wb.x;
    ws[wv1 + 16u][wc] = wb.y;
    ws[wv0 + 24u][wc] = wb.z;
    ws[wv1 + 24u][wc] = wb.w;
    workgroupBarrier();
    // Prefetch the next step while this one computes.
    let k1 = k0 + TK;
    if (k1 < P.inDim) {
      let kx = k1 + xk;
      let kp = k1 / 2u + wk;
      xa = vec4<f32>(xAt(t0 + xt, kx), xAt(t0 + xt + 16u, kx), xAt(t0 + xt + 32u, kx), xAt(t0 + xt + 48u, kx));
      xb = vec4<f32>(xAt(t0 + xt + 64u, kx), xAt(t0 + xt + 80u, kx), xAt(t0 + xt + 96u, kx), xAt(t0 + xt + 112u, kx));
      wa = vec4<f32>(wAt(n0 + wn, kp), wAt(n0 + wn + 32u, kp));
      wb = vec4<f32>(wAt(n0 + wn + 64u, kp), wAt(n0 + wn + 96u, kp));
    }
    for (var kk = 0u; kk < TK; kk++) {
      let a0 = xs[kk * XR + ty];
      let a1 = xs[kk * XR + ty + 16u];
      let b0 = ws[kk * WR + tx];
      let b1 = ws[kk * WR + tx + 16u];
      c00 = fma(vec4<f32>(a0.x), b0, c00);
      c01 = fma(vec4<f32>(a0.x), b1, c01);
      c10 = fma(vec4<f32>(a0.y), b0, c10);
      c11 = fma(vec4<f32>(a0.y), b1, c11);
      c20 = fma(vec4<f32>(a0.z), b0, c20);
      c21 = fma(vec4<f32>(a0.z), b1, c21);
      c30 = fma(vec4<f32>(a0.w), b0, c30);
      c31 = fma(vec4<f32>(a0.w), b1, c31);
      c40 = fma(vec4<f32>(a1.x), b0, c40);
      c41 = fma(vec4<f32>(a1.x), b1, c41);
      c50 = fma(vec4<f32>(a1.y), b0, c50);
      c51 = fma(vec4<f32>(a1.y), b1, c51);
      c60 = fma(vec4<f32>(a1.z), b0, c60);
      c61 = fma(vec4<f32>(a1.z), b1, c61);
      c70 = fma(vec4<f32>(a1.w), b0, c70);
      c71 = fma(vec4<f32>(a1.w), b1, c71);
    }
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
