// Matrix-vector products for decoding (T <= 4 tokens, one per workgroup z):
//   y[t, rowOffset + r] = W[r, :] . u[t, :] (+ bias[r]) (+ y[t, rowOffset + r]: the residual add)
// where u is x itself or a transform of x fused in here, saving a dispatch per use:
//   prologue 1, RMSNorm:  u = x * rsqrt(mean(x^2) + eps) * g   (a block's pre-norm)
//   prologue 2, SwiGLU:   u = silu(x[0:n]) * x[n:2n]           (x = the fused gate|up output)
// Decoding is bound by reading W once. Each group of LANES threads owns two rows; a thread first
// issues all of its 16-byte loads (QPL quads of 8 weights per row, a constant so the loop unrolls
// into registers), so they are in flight while the workgroup builds u in workgroup memory; then
// it takes the dot products and the lanes sum. LANES is chosen per matrix so that narrow outputs
// still spread over enough workgroups. W is one row block of a possibly split weight.
const LANES: u32 = __LANES__u;
const QPL: u32 = __QPL__u;            // quads per lane: ceil(inQuads / LANES)
const WG: u32 = 256u;
const ROWS: u32 = 2u * (WG / LANES);  // rows per workgroup
const UQ: u32 = __UQ__u;              // capacity of u in vec4s (the model's widest input)

struct Params {
  T: u32,
  inDim: u32,
  inQuads: u32,    // padded row length of W in quads (8 elements)
  rows: u32,
  rowOffset: u32,
  xStride: u32,    // x row t starts at t * xStride + xOff
  xOff: u32,
  yStride: u32,
  yOff: u32,
  accumulate: u32,
  hasBias: u32,
  prologue: u32,   // 0 none, 1 RMSNorm with g, 2 SwiGLU (up half at + inDim)
  eps: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> W: array<WQuad>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read> g: array<f32>;
@group(0) @binding(5) var<storage, read_write> y: array<f32>;

var<workgroup> u: array<vec4<f32>, UQ>;
var<workgroup> red0: array<f32, WG>;
var<workgroup> red1: array<f32, WG>;

// Element i of u for token row xb (0 past the input: the padded weights there are 0 too, but x
// beyond the row belongs to something else).
fn uAt(xb: u32, i: u32, scale: f32) -> f32 {
  if (i >= P.inDim) { return 0.0; }
  let v = x[xb + i];
  if (P.prologue == 1u) { return v * scale * g[i]; }
  if (P.prologue == 2u) { return silu(v) * x[xb + P.inDim + i]; }
  return v;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let lane = li % LANES;
  let r = (wid.x + wid.y * nwg.x) * ROWS + 2u * (li / LANES);
  // Rows past the end read the last row again (cached) and are not written; quads past the row
  // end read its last quad and are not summed.
  let b0 = min(r, P.rows - 1u) * P.inQuads;
  let b1 = min(r + 1u, P.rows - 1u) * P.inQuads;
  var w0: array<WQuad, QPL>;
  var w1: array<WQuad, QPL>;
  for (var k = 0u; k < QPL; k++) {
    let q = min(lane + k * LANES, P.inQuads - 1u);
    w0[k] = W[b0 + q];
    w1[k] = W[b1 + q];
  }

  let xb = wid.z * P.xStride + P.xOff;
  var scale = 1.0;
  if (P.prologue == 1u) {
    var ss = 0.0;
    for (var i = li; i < P.inDim; i += WG) {
      let v = x[xb + i];
      ss += v * v;
    }
    red0[li] = ss;
    workgroupBarrier();
    for (var s = WG / 2u; s > 0u; s /= 2u) {
      if (li < s) { red0[li] += red0[li + s]; }
      workgroupBarrier();
    }
    scale = inverseSqrt(red0[0] / f32(P.inDim) + P.eps);
    workgroupBarrier();  // everyone has read red0[0] before it is reused below
  }
  for (var j = li; j < 2u * P.inQuads; j += WG) {
    let i = 4u * j;
    u[j] = vec4<f32>(uAt(xb, i, scale), uAt(xb, i + 1u, scale), uAt(xb, i + 2u, scale), uAt(xb, i + 3u, scale));
  }
  workgroupBarrier();

  var s0 = 0.0;
  var s1 = 0.0;
  for (var k = 0u; k < QPL; k++) {
    let q = lane + k * LANES;
    if (q < P.inQuads) {
      let ua = u[2u * q];
      let ub = u[2u * q + 1u];
      s0 += dot(wquadLo(w0[k]), ua) + dot(wquadHi(w0[k]), ub);
      s1 += dot(wquadLo(w1[k]), ua) + dot(wquadHi(w1[k]), ub);
    }
  }
  red0[li] = s0;
  red1[li] = s1;
  workgroupBarrier();
  for (var s = LANES / 2u; s > 0u; s /= 2u) {
    if (lane < s) {
      red0[li] += red0[li + s];
      red1[li] += red1[li + s];
    }
    workgroupBarrier();
  }
  if (lane == 0u) {
    let yb = wid.z * P.yStride + P.yOff + P.rowOffset;
    if (r < P.rows) { y[yb + r] = finish(red0[li], yb + r, r); }
    if (r + 1u < P.rows) { y[yb + r + 1u] = finish(red1[li], yb + r + 1u, r + 1u); }
  }
}

fn finish(dotp: f32, yi: u32, r: u32) -> f32 {
  var v = dotp;
  if (P.hasBias != 0u) { v += bias[P.rowOffset + r]; }
  if (P.accumulate != 0u) { v += y[yi]; }
  return v;
}
