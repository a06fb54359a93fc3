// Matrix-vector products for decoding (T <= 4 tokens, one per workgroup z):
//   y[t, rowOffset + r] = W[r, :] . u[t, :] (+ bias[r]) (+ y[t, rowOffset + r]: the residual add)
// where u is x itself or a transform of x fused in here, saving a dispatch per use:
//   prologue 1, RMSNorm:  u = x * rsqrt(mean(x^2) + eps) * g   (a block's pre-norm)
//   prologue 2, SwiGLU:   u = silu(x[0:n]) * x[n:2n]           (x = the fused gate|up output)
// and an epilogue may transform y's rows as they are written:
//   epilogue 1, Mamba's conv (in_proj, one token): row c < convDi is channel c's x; it becomes
//                         silu(conv1d(state, x) + b) and x shifts into the conv state. The thread
//                         that makes row c owns channel c's state, so nothing else touches it.
// Decoding is bound by reading W once, and a dispatch is short, so loads must start early and
// never stop: a workgroup builds u once (its inputs loaded into registers first), then walks row
// blocks of ROWS rows (every nwg-th block), each group of LANES threads owning two rows. A thread
// holds its QPL quads (8 weights, 16 bytes) of each row in registers (a constant count, so the
// loops unroll) and loads the next block's before it sums the current one. LANES and the grid
// are chosen per matrix by the engine. W is one row block of a possibly split weight.
const LANES: u32 = __LANES__u;
const QPL: u32 = __QPL__u;            // quads per lane: ceil(inQuads / LANES)
const WG: u32 = __WG__u;
const ROWS: u32 = 2u * (WG / LANES);  // rows per workgroup
const UQ: u32 = __UQ__u;              // capacity of u in vec4s (the model's widest input)
const XPT: u32 = __XPT__u;            // input elements per thread: ceil(8 * inQuads / WG)

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
  epilogue: u32,   // 0 none, 1 conv
  convDi: u32,     // conv channels (epilogue 1)
  K: u32,          // conv taps (epilogue 1)
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> W: array<WQuad>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read> g: array<f32>;
@group(0) @binding(5) var<storage, read_write> y: array<f32>;
@group(0) @binding(6) var<storage, read> conv: array<f32>;        // [convDi, K] weights, then [convDi] bias
@group(0) @binding(7) var<storage, read_write> cstate: array<f32>;  // [K-1, convDi], oldest first

var<workgroup> u: array<vec4<f32>, UQ>;
var<workgroup> red0: array<f32, WG>;
var<workgroup> red1: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let xb = wid.z * P.xStride + P.xOff;
  var scale = 1.0;
  let U = 8u * P.inQuads;  // u's length: the input padded to whole quads (zeros past inDim)
  var xv: array<f32, XPT>;
  var xw: array<f32, XPT>;  // g (RMSNorm) or the up half (SwiGLU)
  for (var k = 0u; k < XPT; k++) {
    let i = min(li + k * WG, P.inDim - 1u);
    xv[k] = x[xb + i];
    if (P.prologue == 1u) { xw[k] = g[i]; }
    if (P.prologue == 2u) { xw[k] = x[xb + P.inDim + i]; }
  }
  let lane = li % LANES;
  let nBlocks = (P.rows + ROWS - 1u) / ROWS;
  var blk = wid.x + wid.y * nwg.x;
  let stride = nwg.x * nwg.y;
  var w0: array<WQuad, QPL>;
  var w1: array<WQuad, QPL>;
  var n0: array<WQuad, QPL>;
  var n1: array<WQuad, QPL>;
  // The first block. Rows past the end read the last row again (cached) and are not written;
  // quads past the row's end read its last quad and are not summed.
  {
    let r = blk * ROWS + 2u * (li / LANES);
    let b0 = min(r, P.rows - 1u) * P.inQuads;
    let b1 = min(r + 1u, P.rows - 1u) * P.inQuads;
    for (var k = 0u; k < QPL; k++) {
      let q = min(lane + k * LANES, P.inQuads - 1u);
      w0[k] = W[b0 + q];
      w1[k] = W[b1 + q];
    }
  }

  if (P.prologue == 1u) {
    var ss = 0.0;
    for (var k = 0u; k < XPT; k++) {
      if (li + k * WG < P.inDim) { ss += xv[k] * xv[k]; }
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
  for (var k = 0u; k < XPT; k++) {
    let i = li + k * WG;
    var v = 0.0;
    if (i < P.inDim) {
      v = xv[k];
      if (P.prologue == 1u) { v = v * scale * xw[k]; }
      if (P.prologue == 2u) { v = silu(v) * xw[k]; }
    }
    if (i < U) { u[i / 4u][i % 4u] = v; }
  }
  workgroupBarrier();

  loop {
    if (blk >= nBlocks) { break; }
    let r = blk * ROWS + 2u * (li / LANES);
    let nxt = blk + stride;
    if (nxt < nBlocks) {  // the next block's loads, in flight while this one is summed
      let rn = nxt * ROWS + 2u * (li / LANES);
      let c0 = min(rn, P.rows - 1u) * P.inQuads;
      let c1 = min(rn + 1u, P.rows - 1u) * P.inQuads;
      for (var k = 0u; k < QPL; k++) {
        let q = min(lane + k * LANES, P.inQuads - 1u);
        n0[k] = W[c0 + q];
        n1[k] = W[c1 + q];
      }
    }
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
    workgroupBarrier();  // red0/red1 are read before the next block writes them
    w0 = n0;
    w1 = n1;
    blk = nxt;
  }
}

fn finish(dotp: f32, yi: u32, r: u32) -> f32 {
  var v = dotp;
  if (P.hasBias != 0u) { v += bias[P.rowOffset + r]; }
  if (P.accumulate != 0u) { v += y[yi]; }
  let c = P.rowOffset + r;
  if (P.epilogue == 1u && c < P.convDi) { v = convStep(c, v); }
  return v;
}

// Channel c's conv output for the new input xc, then the state shift (slot j takes slot j + 1's
// input, the last slot takes xc): the same sums as conv_step.wgsl.
fn convStep(c: u32, xc: f32) -> f32 {
  let S = P.K - 1u;
  var acc = conv[P.convDi * P.K + c];
  for (var j = 0u; j < S; j++) { acc += conv[c * P.K + j] * cstate[j * P.convDi + c]; }
  acc += conv[c * P.K + S] * xc;
  for (var j = 0u; j + 1u < S; j++) { cstate[j * P.convDi + c] = cstate[(j + 1u) * P.convDi + c]; }
  if (S > 0u) { cstate[(S - 1u) * P.convDi + c] = xc; }
  return silu(acc);
}
