// Linear layer, matrix-vector path (decode: one or a few tokens). y[t, rowOffset + r] =
// sum_i W[r, i] * x[t, i] (+ bias) (+ y itself: the residual add is fused here).
// Memory bound: 32 lanes stream one weight row, 8 rows per workgroup, a tree reduction at the end.
// W is one row block of a possibly split weight (rows of this block, rowOffset its first row).
struct Params {
  T: u32,
  inDim: u32,
  inPairs: u32,    // padded row length of W, in pairs
  rows: u32,
  rowOffset: u32,
  xStride: u32,    // x row t starts at t * xStride + xOff (lets a kernel read a slice, e.g. delta)
  xOff: u32,
  yStride: u32,
  yOff: u32,
  accumulate: u32, // 1: y += W x (residual add)
  hasBias: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> W: array<WPair>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

const LANES: u32 = 32u;
const ROWS: u32 = 8u;
var<workgroup> part: array<f32, 256>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let lane = li % LANES;
  let row = (wid.x + wid.y * nwg.x) * ROWS + li / LANES;
  let t = wid.z;
  var s = 0.0;
  if (row < P.rows) {
    let wb = row * P.inPairs;
    let xb = t * P.xStride + P.xOff;
    for (var kp = lane; kp < P.inPairs; kp += LANES) {
      let w = wpair(W[wb + kp]);
      let i = 2u * kp;
      s += w.x * x[xb + i];
      if (i + 1u < P.inDim) { s += w.y * x[xb + i + 1u]; }
    }
  }
  part[li] = s;
  workgroupBarrier();
  for (var stride = LANES / 2u; stride > 0u; stride /= 2u) {
    if (lane < stride) { part[li] += part[li + stride]; }
    workgroupBarrier();
  }
  if (lane == 0u && row < P.rows) {
    let o = row + P.rowOffset;
    let yi = t * P.yStride + P.yOff + o;
    var v = part[li];
    if (P.hasBias != 0u) { v += bias[o]; }
    if (P.accumulate != 0u) { v += y[yi]; }
    y[yi] = v;
  }
}
