// Prompt matrix product on subgroup matrices without staging the inputs in workgroup memory: the
// matrix loads read x and W straight from their storage buffers (the variant `+direct` of
// matmul_sgmat.wgsl; read that first). y[t, rowOffset + r] (+)= W[r, :] . x[t, :] (+ bias).
// x is the prompt chunk already in f16 (kernels/to_f16.wgsl: rows of P.xStride f16s, zeros past
// inDim and up to a whole tile of tokens, so token loads never leave the buffer); W is f16 storage
// (weights_f16.wgsl's pairs, bound here as the f16s they hold: row n at n * 8 * inQuads). Needs
// inDim a multiple of FK and rows >= FN (src/gpu/ops.ts checks, else matmul_sgmat runs): a row
// group past the last row reads the last FN rows instead, and its columns are written only from
// the group's own first row on. Each subgroup computes WM tokens x WN rows, per FK inputs MM left
// and MN right matrices loaded and MM x MN products summed; the workgroup's subgroups share the
// loads through the caches. The epilogue is matmul_sgmat's (ST: whole tiles straight to y).
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
@group(0) @binding(1) var<storage, read> x: array<f16>;
@group(0) @binding(2) var<storage, read> W: array<f16>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

const FM: u32 = __FM__;           // the matrix configuration: M (tokens), N (rows), K (inputs)
const FN: u32 = __FN__;
const FK: u32 = __FK__;
const SG: u32 = __SG__;           // invocations per subgroup
const TM: u32 = __TM__;           // tokens per tile
const TN: u32 = __TN__;           // rows per tile
const WM: u32 = __WM__;           // tokens per subgroup
const WN: u32 = __WN__;           // rows per subgroup
const TK: u32 = __TK__;           // inputs per loop step (KF matrix steps)
const ST: u32 = __ST__;           // 1: whole tiles without bias stored straight to y
const MM: u32 = WM / FM;
const MN: u32 = WN / FN;
const KF: u32 = TK / FK;
const SGM: u32 = TM / WM;
const NSG: u32 = SGM * (TN / WN);
const WG: u32 = NSG * SG;

alias Left = subgroup_matrix_left<f16, FK, FM>;
alias Right = subgroup_matrix_right<f16, FN, FK>;
alias Result = subgroup_matrix_result<f32, FN, FM>;

var<workgroup> cs: array<f32, NSG * FM * FN>;

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
  let ws = 8u * P.inQuads;        // f16s per row of W
  // First rows of this subgroup's row groups, kept inside W.
  var nb: array<u32, MN>;
  for (var j = 0u; j < MN; j++) { // unroll
    nb[j] = min(n0 + wn0 + j * FN, P.rows - FN);
  }
  var acc: array<Result, MM * MN>;
  let direct = ST != 0u && P.hasBias == 0u && t0 + TM <= P.T && n0 + TN <= P.rows;
  for (var i = 0u; i < MM; i++) { // unroll
    for (var j = 0u; j < MN; j++) { // unroll
      if (direct && P.accumulate != 0u) {
        acc[i * MN + j] = subgroupMatrixLoad<Result, row_major>(&y, yAt(t0 + wm0 + i * FM, n0 + wn0 + j * FN), P.yStride);
      } else {
        acc[i * MN + j] = Result();
      }
    }
  }
  for (var k0 = 0u; k0 < P.inDim; k0 += TK) {
    for (var q = 0u; q < KF; q++) { // unroll
      let k = k0 + q * FK;
      if (k < P.inDim) {
        var a: array<Left, MM>;
        for (var i = 0u; i < MM; i++) { // unroll
          a[i] = subgroupMatrixLoad<Left, row_major>(&x, (t0 + wm0 + i * FM) * P.xStride + k, P.xStride);
        }
        for (var j = 0u; j < MN; j++) { // unroll
          let w = subgroupMatrixLoad<Right, col_major>(&W, nb[j] * ws + k, ws);
          for (var i = 0u; i < MM; i++) { // unroll
            acc[i * MN + j] = subgroupMatrixMultiplyAccumulate(a[i], w, acc[i * MN + j]);
          }
        }
      }
    }
  }
  if (direct) {
    for (var i = 0u; i < MM; i++) { // unroll
      for (var j = 0u; j < MN; j++) { // unroll
        subgroupMatrixStore<row_major>(&y, yAt(t0 + wm0 + i * FM, n0 + wn0 + j * FN), acc[i * MN + j], P.yStride);
      }
    }
  } else {
    let c0 = sg * FM * FN;
    for (var i = 0u; i < MM; i++) { // unroll
      for (var j = 0u; j < MN; j++) { // unroll
        subgroupMatrixStore<row_major>(&cs, c0, acc[i * MN + j], FN);
        workgroupBarrier();
        // Column e % FN is row nb + e % FN; the group's own rows start at n0 + wn0 + j * FN.
        let n = n0 + wn0 + j * FN;
        for (var e = lane; e < FM * FN; e += SG) {
          let r = nb[j] + e % FN;
          if (r >= n) { put(t0 + wm0 + i * FM + e / FN, r, cs[c0 + e]); }
        }
        workgroupBarrier();
      }
    }
  }
}
