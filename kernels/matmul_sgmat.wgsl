// Prompt matrix product on the GPU's matrix units (tensor cores) through Dawn's subgroup matrices
// (chromium_experimental_subgroup_matrix; src/gpu/ops.ts picks it only on a device created with that
// feature and an f16 -> f32 configuration of FMxFNxFK): y[t, rowOffset + r] (+)= W[r, :] . x[t, :]
// (+ bias), the Params and bindings of matmul_f32.wgsl (read that first). x and W are rounded to
// f16 into workgroup memory, the products summed in f32 by the matrix units.
// A TM-token x TN-row tile per workgroup of NSG subgroups of SG invocations; subgroup s computes a
// WM x WN part of it as (WM / FM) x (WN / FN) result matrices. Per step of TK inputs: the x tile
// [token][k] and the W tile [row][k] in f16, rows KP = TK + 8 apart (80 bytes: the 16-byte rows a
// matrix load reads from 8 neighbouring rows fall in different banks); double-buffered with the
// next step loaded into registers while this one computes, one barrier per step (as matmul_f32).
// x rows load as left matrices (row-major), W rows as right matrices read column-major (W^T).
// The results go through workgroup memory (cs, one FM x FN matrix per subgroup at a time) so that
// the edges, the bias and the accumulation are handled element by element; with ST = 1, a whole
// tile without bias goes straight to y (subgroupMatrixStore), accumulating onto y's own values
// loaded as the starting sums. Loops marked `// unroll` are repeated with literal indices when
// UNROLL = 1 (src/gpu/kernels.ts unrollLoops). src/gpu/ops.ts sgmatConsts sets the constants.
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

const FM: u32 = __FM__;           // the matrix configuration: M (tokens), N (rows), K (inputs)
const FN: u32 = __FN__;
const FK: u32 = __FK__;
const SG: u32 = __SG__;           // invocations per subgroup (the adapter's only subgroup size)
const TM: u32 = __TM__;           // tokens per tile
const TN: u32 = __TN__;           // rows per tile
const WM: u32 = __WM__;           // tokens per subgroup
const WN: u32 = __WN__;           // rows per subgroup
const TK: u32 = __TK__;           // inputs per step
const ST: u32 = __ST__;           // 1: whole tiles without bias stored straight to y
const KP: u32 = TK + 8u;          // f16s per tile row in workgroup memory
const MM: u32 = WM / FM;          // result matrices per subgroup, along tokens
const MN: u32 = WN / FN;          // and along rows
const KF: u32 = TK / FK;          // matrix steps per step
const SGM: u32 = TM / WM;         // subgroups along tokens
const NSG: u32 = SGM * (TN / WN); // subgroups per workgroup
const WG: u32 = NSG * SG;
const XV: u32 = TM * TK / 4u;     // vec4s of x per step
const XL: u32 = (XV + WG - 1u) / WG;
const QPS: u32 = TK / QE;         // weight quads per row per step
const WV: u32 = TN * QPS;
const WL: u32 = (WV + WG - 1u) / WG;
const XB: u32 = TM * KP;          // f16s per buffer
const WB: u32 = TN * KP;

alias Left = subgroup_matrix_left<f16, FK, FM>;
alias Right = subgroup_matrix_right<f16, FN, FK>;
alias Result = subgroup_matrix_result<f32, FN, FM>;

var<workgroup> xs: array<f16, 2u * XB>;
var<workgroup> ws: array<f16, 2u * WB>;
var<workgroup> cs: array<f32, NSG * FM * FN>;

// x[t, k..k+3], zeros outside the matrix.
fn xAt(t: u32, k: u32) -> vec4<f32> {
  if (t >= P.T || k >= P.inDim) { return vec4<f32>(0.0); }
  return x[(t * P.xStride + P.xOff + k) / 4u];
}

// Index in y of token t, row r (of the block).
fn yAt(t: u32, r: u32) -> u32 { return t * P.yStride + P.yOff + P.rowOffset + r; }

// y[t, r] = v (+ bias) (+ y), inside the matrix only.
fn put(t: u32, r: u32, v: f32) {
  if (t >= P.T || r >= P.rows) { return; }
  let o = r + P.rowOffset;
  let yi = t * P.yStride + P.yOff + o;
  var s = v;
  if (P.hasBias != 0u) { s += bias[o]; }
  if (P.accumulate != 0u) { s += y[yi]; }
  y[yi] = s;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32,
        @builtin(subgroup_id) sg: u32, @builtin(subgroup_invocation_id) lane: u32) {
  let n0 = wid.x * TN;
  let t0 = wid.y * TM;
  let wm0 = (sg % SGM) * WM;
  let wn0 = (sg / SGM) * WN;
  var acc: array<Result, MM * MN>;
  // A whole tile without bias (uniform: the workgroup's place and P only) skips workgroup memory.
  let whole = ST != 0u && P.hasBias == 0u && t0 + TM <= P.T && n0 + TN <= P.rows;
  for (var i = 0u; i < MM; i++) { // unroll
    for (var j = 0u; j < MN; j++) { // unroll
      if (whole && P.accumulate != 0u) {
        acc[i * MN + j] = subgroupMatrixLoad<Result, row_major>(&y, yAt(t0 + wm0 + i * FM, n0 + wn0 + j * FN), P.yStride);
      } else {
        acc[i * MN + j] = Result();
      }
    }
  }
  // Loads of this thread: x vec4 v = li + WG i is token v / (TK / 4), inputs 4 (v % (TK / 4)) + 0..3;
  // W quad v = li + WG i is row v / QPS, quad v % QPS of the step.
  var xr: array<vec4<f32>, XL>;
  var wr: array<WQuad, WL>;
  let steps = (P.inDim + TK - 1u) / TK;
  for (var i = 0u; i < XL; i++) {
    let v = li + WG * i;
    xr[i] = xAt(t0 + v / (TK / 4u), 4u * (v % (TK / 4u)));
  }
  for (var i = 0u; i < WL; i++) {
    let v = li + WG * i;
    let n = n0 + v / QPS;
    let q = v % QPS;
    if (v < WV && n < P.rows && q < P.inQuads) { wr[i] = W[n * P.inQuads + q]; }
  }
  for (var s = 0u; s < steps; s++) {
    let b = s % 2u;
    for (var i = 0u; i < XL; i++) {
      let v = li + WG * i;
      if (v < XV) {
        let p = b * XB + (v / (TK / 4u)) * KP + 4u * (v % (TK / 4u));
        let h = vec4<f16>(xr[i]);
        xs[p] = h.x;
        xs[p + 1u] = h.y;
        xs[p + 2u] = h.z;
        xs[p + 3u] = h.w;
      }
    }
    for (var i = 0u; i < WL; i++) {
      let v = li + WG * i;
      if (v < WV) {
        let r = v / QPS;
        let q = v % QPS;
        let n = n0 + r;
        let kq = s * QPS + q;
        var sc = 0.0;
        if (n < P.rows && kq < P.inQuads) { sc = wquadScale(n, kq, P.inQuads); }
        let p = b * WB + r * KP + q * QE;
        for (var j = 0u; j < QE / 4u; j++) {
          let h = vec4<f16>(wunit(wr[i], j) * sc);
          ws[p + 4u * j] = h.x;
          ws[p + 4u * j + 1u] = h.y;
          ws[p + 4u * j + 2u] = h.z;
          ws[p + 4u * j + 3u] = h.w;
        }
      }
    }
    // The stores of step s are visible, and every subgroup is past step s - 1's reads of buffer b.
    workgroupBarrier();
    // Prefetch the next step while this one computes.
    if (s + 1u < steps) {
      let k1 = (s + 1u) * TK;
      for (var i = 0u; i < XL; i++) {
        let v = li + WG * i;
        xr[i] = xAt(t0 + v / (TK / 4u), k1 + 4u * (v % (TK / 4u)));
      }
      for (var i = 0u; i < WL; i++) {
        let v = li + WG * i;
        let n = n0 + v / QPS;
        let q = (s + 1u) * QPS + v % QPS;
        if (v < WV && n < P.rows && q < P.inQuads) { wr[i] = W[n * P.inQuads + q]; }
      }
    }
    for (var q = 0u; q < KF; q++) { // unroll
      let kk = q * FK;
      var a: array<Left, MM>;
      for (var i = 0u; i < MM; i++) { // unroll
        a[i] = subgroupMatrixLoad<Left, row_major>(&xs, b * XB + (wm0 + i * FM) * KP + kk, KP);
      }
      for (var j = 0u; j < MN; j++) { // unroll
        let w = subgroupMatrixLoad<Right, col_major>(&ws, b * WB + (wn0 + j * FN) * KP + kk, KP);
        for (var i = 0u; i < MM; i++) { // unroll
          acc[i * MN + j] = subgroupMatrixMultiplyAccumulate(a[i], w, acc[i * MN + j]);
        }
      }
    }
  }
  if (whole) {
    for (var i = 0u; i < MM; i++) { // unroll
      for (var j = 0u; j < MN; j++) { // unroll
        subgroupMatrixStore<row_major>(&y, yAt(t0 + wm0 + i * FM, n0 + wn0 + j * FN), acc[i * MN + j], P.yStride);
      }
    }
  } else {
    // Each result matrix through cs: stored row-major, then written out element by element.
    let c0 = sg * FM * FN;
    for (var i = 0u; i < MM; i++) { // unroll
      for (var j = 0u; j < MN; j++) { // unroll
        subgroupMatrixStore<row_major>(&cs, c0, acc[i * MN + j], FN);
        workgroupBarrier();
        for (var e = lane; e < FM * FN; e += SG) {
          put(t0 + wm0 + i * FM + e / FN, n0 + wn0 + j * FN + e % FN, cs[c0 + e]);
        }
        workgroupBarrier();
      }
    }
  }
}
