// Merges the per-split partial results of attention_decode.wgsl (flash-decoding):
// out = sum_s 2^(m_s - M) acc_s / sum_s 2^(m_s - M) l_s, M the largest m_s of a non-empty split
// (maxima are in log2 units). One workgroup per (query head, token). 256 threads = 32 lanes of
// dims (vec4s c and c + 32) x 8 groups of splits, each group summing every 8th split with
// coalesced vec4 loads, four at a time; the groups are added in workgroup memory at the end.
struct Params {
  T: u32,
  H: u32,
  hd: u32,
  nSplit: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
// acc [T, H, nSplit, hd], then (max, sum) pairs [T, H, nSplit].
@group(0) @binding(1) var<storage, read> part: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4<f32>>;  // [T, H*hd]

var<workgroup> red: array<f32, 256>;
var<workgroup> w: array<f32, 256>;
var<workgroup> acc: array<vec4<f32>, 512>;

// (max, sum) of partial record `rec`.
fn stat(rec: u32) -> vec2<f32> {
  let v = part[P.T * P.H * P.nSplit * (P.hd / 4u) + rec / 2u];
  return select(v.xy, v.zw, rec % 2u == 1u);
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let h = wid.x;
  let t = wid.y;
  let NL = P.hd / 4u;
  let base = (t * P.H + h) * P.nSplit;
  var mx = -3.0e38;
  for (var s = li; s < P.nSplit; s += 256u) {
    let st = stat(base + s);
    if (st.y > 0.0) { mx = max(mx, st.x); }
  }
  red[li] = mx;
  workgroupBarrier();
  for (var stride = 128u; stride > 0u; stride /= 2u) {
    if (li < stride) { red[li] = max(red[li], red[li + stride]); }
    workgroupBarrier();
  }
  let M = red[0];
  workgroupBarrier();

  let c = li % 32u;
  let sg = li / 32u;
  var L = 0.0;
  // Dims vec4 c (a*) and c + 32 (b*); four accumulators each so that four loads are in flight.
  var a0 = vec4<f32>(0.0);
  var a1 = vec4<f32>(0.0);
  var a2 = vec4<f32>(0.0);
  var a3 = vec4<f32>(0.0);
  var b0 = vec4<f32>(0.0);
  var b1 = vec4<f32>(0.0);
  var b2 = vec4<f32>(0.0);
  var b3 = vec4<f32>(0.0);
  let hasA = c < NL;
  let hasB = c + 32u < NL;
  for (var s0 = 0u; s0 < P.nSplit; s0 += 256u) {
    var ww = 0.0;
    if (s0 + li < P.nSplit) {
      let st = stat(base + s0 + li);
      if (st.y > 0.0) {
        ww = exp2(st.x - M);
        L += ww * st.y;
      }
    }
    w[li] = ww;
    workgroupBarrier();
    let n = min(256u, P.nSplit - s0);
    var k = sg;
    for (; k + 24u < n; k += 32u) {
      let r0 = (base + s0 + k) * NL + c;
      let r1 = r0 + 8u * NL;
      let r2 = r0 + 16u * NL;
      let r3 = r0 + 24u * NL;
      if (hasA) {
        a0 = fma(vec4<f32>(w[k]), part[r0], a0);
        a1 = fma(vec4<f32>(w[k + 8u]), part[r1], a1);
        a2 = fma(vec4<f32>(w[k + 16u]), part[r2], a2);
        a3 = fma(vec4<f32>(w[k + 24u]), part[r3], a3);
      }
      if (hasB) {
        b0 = fma(vec4<f32>(w[k]), part[r0 + 32u], b0);
        b1 = fma(vec4<f32>(w[k + 8u]), part[r1 + 32u], b1);
        b2 = fma(vec4<f32>(w[k + 16u]), part[r2 + 32u], b2);
        b3 = fma(vec4<f32>(w[k + 24u]), part[r3 + 32u], b3);
      }
    }
    for (; k < n; k += 8u) {
      let r0 = (base + s0 + k) * NL + c;
      if (hasA) { a0 = fma(vec4<f32>(w[k]), part[r0], a0); }
      if (hasB) { b0 = fma(vec4<f32>(w[k]), part[r0 + 32u], b0); }
    }
    workgroupBarrier();
  }
  red[li] = L;
  acc[li] = (a0 + a1) + (a2 + a3);
  acc[256u + li] = (b0 + b1) + (b2 + b3);
  workgroupBarrier();
  for (var stride = 128u; stride > 0u; stride /= 2u) {
    if (li < stride) { red[li] += red[li + stride]; }
    workgroupBarrier();
  }
  if (li >= NL) { return; }
  // li is a dims vec4 (< 64): lane li % 32, half li / 32.
  let off = (li / 32u) * 256u + li % 32u;
  var sum = vec4<f32>(0.0);
  for (var g = 0u; g < 8u; g++) { sum += acc[off + g * 32u]; }
  out[(t * P.H + h) * NL + li] = sum / red[0];
}
