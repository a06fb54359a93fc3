// Linear layer, tiled path (prefill: many tokens). Same contract as linear_vec.wgsl.
// A 64-token x 64-row output tile per workgroup, 16x16 threads with 4x4 outputs each; the x and
// W tiles go through workgroup memory 16 input elements at a time, so each weight element read
// from memory serves 64 tokens.
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

const TM: u32 = 64u;  // tokens per tile
const TN: u32 = 64u;  // rows per tile
const TK: u32 = 16u;  // input elements per step (8 pairs)
var<workgroup> xs: array<array<f32, TM>, TK>;  // [k][token]
var<workgroup> ws: array<array<f32, TN>, TK>;  // [k][row]

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let n0 = wid.x * TN;
  let t0 = wid.y * TM;
  var acc: array<f32, 16>;
  for (var k0 = 0u; k0 < P.inDim; k0 += TK) {
    // x tile: 64 tokens x 16 elements, 4 per thread.
    for (var j = 0u; j < 4u; j++) {
      let idx = li + j * 256u;
      let tt = idx / TK;
      let kk = idx % TK;
      var v = 0.0;
      if (t0 + tt < P.T && k0 + kk < P.inDim) { v = x[(t0 + tt) * P.xStride + P.xOff + k0 + kk]; }
      xs[kk][tt] = v;
    }
    // W tile: 64 rows x 8 pairs, 2 per thread.
    for (var j = 0u; j < 2u; j++) {
      let idx = li + j * 256u;
      let nn = idx / (TK / 2u);
      let kp = idx % (TK / 2u);
      var w = vec2<f32>(0.0);
      if (n0 + nn < P.rows && k0 / 2u + kp < P.inPairs) { w = wpair(W[(n0 + nn) * P.inPairs + k0 / 2u + kp]); }
      ws[2u * kp][nn] = w.x;
      ws[2u * kp + 1u][nn] = w.y;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var a: array<f32, 4>;
      var b: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        a[i] = xs[kk][lid.y + 16u * i];
        b[i] = ws[kk][lid.x + 16u * i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) { acc[i * 4u + j] += a[i] * b[j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let t = t0 + lid.y + 16u * i;
    for (var j = 0u; j < 4u; j++) {
      let r = n0 + lid.x + 16u * j;
      if (t < P.T && r < P.rows) {
        let o = r + P.rowOffset;
        let yi = t * P.yStride + P.yOff + o;
        var v = acc[i * 4u + j];
        if (P.hasBias != 0u) { v += bias[o]; }
        if (P.accumulate != 0u) { v += y[yi]; }
        y[yi] = v;
      }
    }
  }
}
