// Matrix-vector products for decoding (T <= 4 tokens, one per workgroup z):
//   y[t, rowOffset + r] = W[r, :] . u[t, :] (+ bias[r]) (+ y[t, rowOffset + r]: the residual add)
// where u is x itself or a transform of x fused in here, saving a dispatch per use:
//   prologue 1, RMSNorm:  u = x * rsqrt(mean(x^2) + eps) * g   (a block's pre-norm)
//   prologue 2, SwiGLU:   u = silu(x[0:n]) * x[n:2n]           (x = the fused gate|up output)
// and an epilogue may transform y's rows as they are written:
//   epilogue 1, Mamba's conv (in_proj, one token): row c < convDi is channel c's x; it becomes
//                         silu(conv1d(state, x) + b) and x shifts into the conv state. The thread
//                         that makes row c owns channel c's state, so nothing else touches it.
//   epilogue 2, RoPE (qkv): a thread's two rows are a query or key row and its rotation partner
//                         half a head further, so it rotates them itself; for one token it also
//                         writes the key and value to the ring-buffer cache (slot pos % cap: the
//                         position it overwrites, pos - cap, is outside any window).
// Decoding reads W once in a short dispatch whose time is mostly its chain of latencies (launch,
// memory, reductions: int8's half the bytes measured no faster, bench/RESULTS.md), so loads must
// start early and never stop: a workgroup builds u once (its inputs loaded into registers first),
// then walks row blocks of ROWS rows (every nwg-th block), each group of LANES threads owning two
// rows. A thread holds its QPL quads (16-byte loads: QE weights, 8 in f16, 16 in int8 with their
// scales) of each row in registers (a constant count, so the loops unroll) and loads the next
// block's before it sums the current one. LANES and the grid are chosen per matrix by the engine.
// W is one row block of a possibly split weight.
const LANES: u32 = __LANES__u;
const QPL: u32 = __QPL__u;            // quads per lane: ceil(inQuads / LANES)
const WG: u32 = __WG__u;
const ROWS: u32 = 2u * (WG / LANES);  // rows per workgroup
const UQ: u32 = __UQ__u;              // capacity of u in vec4s (the model's widest input)
const XPT: u32 = __XPT__u;            // input elements per thread: ceil(QE * inQuads / WG)

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
  epilogue: u32,   // 0 none, 1 conv, 2 RoPE
  convDi: u32,     // conv channels (epilogue 1)
  K: u32,          // conv taps (epilogue 1)
  pos0: u32,       // position of token 0 (epilogue 2)
  H: u32,          // query heads, then G key heads and G value heads (epilogue 2)
  G: u32,
  hd: u32,
  cap: u32,        // cache slots (epilogue 2)
  writeCache: u32, // epilogue 2: also write the key and value to the cache
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> W: array<WQuad>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read> g: array<f32>;
@group(0) @binding(5) var<storage, read_write> y: array<f32>;
// The epilogue's table and state (small dummies when unused):
//   conv: weights [convDi, K] then the bias [convDi]; the conv state [K-1, convDi], oldest first.
//   RoPE: inverse frequencies [hd / 2]; the key cache and the value cache [cap, G * hd].
@group(0) @binding(6) var<storage, read> epTable: array<f32>;
@group(0) @binding(7) var<storage, read_write> epStateA: array<f32>;
@group(0) @binding(8) var<storage, read_write> epStateB: array<f32>;

var<workgroup> u: array<vec4<f32>, UQ>;
var<workgroup> red0: array<f32, WG>;
var<workgroup> red1: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let xb = wid.z * P.xStride + P.xOff;
  var scale = 1.0;
  let U = QE * P.inQuads;  // u's length: the input padded to whole quads (zeros past inDim)
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
  var c0: array<f32, QPL>;  // the quads' scales (int8 storage; 1 otherwise)
  var c1: array<f32, QPL>;
  var m0: array<f32, QPL>;
  var m1: array<f32, QPL>;
  loadRows(blk, li, &w0, &w1, &c0, &c1);

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
    let rr = pairRows(blk, li);
    let nxt = blk + stride;
    if (nxt < nBlocks) { loadRows(nxt, li, &n0, &n1, &m0, &m1); }  // in flight while this block is summed
    var s0 = 0.0;
    var s1 = 0.0;
    for (var k = 0u; k < QPL; k++) {
      let q = lane + k * LANES;
      if (q < P.inQuads) {
        var d0 = 0.0;
        var d1 = 0.0;
        for (var j = 0u; j < QE / 4u; j++) {
          let uj = u[(QE / 4u) * q + j];
          d0 += dot(wunit(w0[k], j), uj);
          d1 += dot(wunit(w1[k], j), uj);
        }
        s0 += d0 * c0[k];
        s1 += d1 * c1[k];
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
      if (P.epilogue == 2u) {
        if (rr.y < P.rows) { ropeStep(rr.x, red0[li], red1[li], yb, wid.z); }
      } else {
        if (rr.x < P.rows) { y[yb + rr.x] = finish(red0[li], yb + rr.x, rr.x); }
        if (rr.y < P.rows) { y[yb + rr.y] = finish(red1[li], yb + rr.y, rr.y); }
      }
    }
    workgroupBarrier();  // red0/red1 are read before the next block writes them
    w0 = n0;
    w1 = n1;
    c0 = m0;
    c1 = m1;
    blk = nxt;
  }
}

// This thread's quads of its two rows in row block blk, and their scales. Rows past the end read
// the last row again (cached) and are not written; quads past the row's end read its last quad
// and are not summed.
fn loadRows(blk: u32, li: u32, a: ptr<function, array<WQuad, QPL>>, b: ptr<function, array<WQuad, QPL>>,
            sa: ptr<function, array<f32, QPL>>, sb: ptr<function, array<f32, QPL>>) {
  let rr = pairRows(blk, li);
  let ra = min(rr.x, P.rows - 1u);
  let rb = min(rr.y, P.rows - 1u);
  for (var k = 0u; k < QPL; k++) {
    let q = min(li % LANES + k * LANES, P.inQuads - 1u);
    (*a)[k] = W[ra * P.inQuads + q];
    (*b)[k] = W[rb * P.inQuads + q];
    (*sa)[k] = wquadScale(ra, q, P.inQuads);
    (*sb)[k] = wquadScale(rb, q, P.inQuads);
  }
}

// The two rows of lane group li / LANES in row block blk: adjacent rows, or for the RoPE
// epilogue a row and its rotation partner half a head further.
fn pairRows(blk: u32, li: u32) -> vec2<u32> {
  let p = blk * (ROWS / 2u) + li / LANES;
  if (P.epilogue == 2u) {
    let half = P.hd / 2u;
    let r = (p / half) * P.hd + p % half;
    return vec2<u32>(r, r + half);
  }
  return vec2<u32>(2u * p, 2u * p + 1u);
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
  var acc = epTable[P.convDi * P.K + c];
  for (var j = 0u; j < S; j++) { acc += epTable[c * P.K + j] * epStateA[j * P.convDi + c]; }
  acc += epTable[c * P.K + S] * xc;
  for (var j = 0u; j + 1u < S; j++) { epStateA[j * P.convDi + c] = epStateA[(j + 1u) * P.convDi + c]; }
  if (S > 0u) { epStateA[(S - 1u) * P.convDi + c] = xc; }
  return silu(acc);
}

// Rows r0 (dim i of head h) and r0 + hd/2 of token t: rotated if h is a query or key head, then
// written; for one token, keys and values also go to the cache.
fn ropeStep(r0: u32, dot0: f32, dot1: f32, yb: u32, t: u32) {
  let half = P.hd / 2u;
  let h = r0 / P.hd;
  let i = r0 % P.hd;
  var v0 = finish(dot0, yb + r0, r0);
  var v1 = finish(dot1, yb + r0 + half, r0 + half);
  if (h < P.H + P.G) {
    let cs = ropeCosSin(f32(P.pos0 + t) * epTable[i]);
    let r = v0 * cs.x - v1 * cs.y;
    v1 = v1 * cs.x + v0 * cs.y;
    v0 = r;
  }
  y[yb + r0] = v0;
  y[yb + r0 + half] = v1;
  if (P.writeCache != 0u && h >= P.H) {
    let kvDim = P.G * P.hd;
    let slot = (P.pos0 + t) % P.cap;
    if (h < P.H + P.G) {
      let d = slot * kvDim + (h - P.H) * P.hd + i;
      epStateA[d] = v0;
      epStateA[d + half] = v1;
    } else {
      let d = slot * kvDim + (h - P.H - P.G) * P.hd + i;
      epStateB[d] = v0;
      epStateB[d + half] = v1;
    }
  }
}
