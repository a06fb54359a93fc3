// Causal (sliding-window) attention for prompts, flash-attention style: one workgroup per tile
// of 64 queries of one head, looping over tiles of 64 keys, so each key and value read serves
// 64 queries. Same layout and contract as attention.wgsl (which serves decoding): GQA, keys of
// this chunk from the RoPE'd qkv rows, older ones from the ring-buffer cache.
// Per key tile: S = Q K^T (16x16 threads, 4 queries x 4 keys each, head dims 16 at a time
// through workgroup memory), the online softmax (row max and sum across the 16 threads of a row
// through workgroup memory), then O = O * corr + P V with P in workgroup memory and V streamed
// VK keys at a time; each thread owns 4 query rows x HDP/16 output dims in registers.
// HD (head_dim) is set when the kernel is composed; HDP is HD rounded up to a multiple of 64.
const HD: u32 = __HD__u;
const HDP: u32 = ((HD + 63u) / 64u) * 64u;
const DV: u32 = HDP / 64u;      // vec4s of output dims per thread and row
const VK: u32 = 2048u / HDP;    // keys per staged block of V
const QR: u32 = 17u;            // vec4s per row of q/k tiles (16 + padding)

struct Params {
  T: u32,
  H: u32,
  G: u32,
  hd: u32,
  pos0: u32,
  cap: u32,
  window: u32,    // a query sees itself and window - 1 earlier tokens
  qkvStride: u32,
  scale: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> qkv: array<f32>;
@group(0) @binding(2) var<storage, read> kc: array<f32>;  // [cap, G*hd]
@group(0) @binding(3) var<storage, read> vc: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;  // [T, H*hd]

// Phase 1: q tile [16 dims][64 queries] at 0, k tile [16 dims][64 keys] at 16 * QR.
// Phase 3: v block [VK keys][HDP dims].
var<workgroup> kv: array<vec4<f32>, 544>;
var<workgroup> ps: array<vec4<f32>, 64 * QR>;  // P [key][query]
var<workgroup> red: array<vec4<f32>, 256>;     // row partials [ty][tx], 4 rows each

fn readK(j: u32, g: u32, i: u32) -> f32 {
  if (j >= P.pos0) { return qkv[(j - P.pos0) * P.qkvStride + (P.H + g) * P.hd + i]; }
  return kc[(j % P.cap) * P.G * P.hd + g * P.hd + i];
}

fn readV(j: u32, g: u32, i: u32) -> f32 {
  if (j >= P.pos0) { return qkv[(j - P.pos0) * P.qkvStride + (P.H + P.G + g) * P.hd + i]; }
  return vc[(j % P.cap) * P.G * P.hd + g * P.hd + i];
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let q0 = wid.x * 64u;
  let h = wid.y;
  let g = h / (P.H / P.G);
  let tx = lid.x;
  let ty = lid.y;
  let pFirst = P.pos0 + q0;
  let pLast = P.pos0 + min(q0 + 63u, P.T - 1u);
  var lo = 0u;
  if (pFirst + 1u > P.window) { lo = pFirst + 1u - P.window; }

  var m: array<f32, 4>;
  var l: array<f32, 4>;
  var o: array<vec4<f32>, 4u * DV>;  // [row i][dim vec4 jj]
  for (var i = 0u; i < 4u; i++) { m[i] = -3.0e38; }

  for (var kb = lo; kb <= pLast; kb += 64u) {
    // ---- S = Q K^T for queries ty*4+i, keys tx*4+j ----
    var s: array<vec4<f32>, 4>;
    for (var i = 0u; i < 4u; i++) { s[i] = vec4<f32>(0.0); }  // explicit: once per tile
    for (var d0 = 0u; d0 < P.hd; d0 += 16u) {
      workgroupBarrier();
      for (var r = 0u; r < 4u; r++) {
        let idx = li + 256u * r;
        let row = idx / 16u;  // query or key within the tile
        let d = idx % 16u;
        var qv = 0.0;
        var kv_ = 0.0;
        if (d0 + d < P.hd) {
          if (q0 + row < P.T) { qv = qkv[(q0 + row) * P.qkvStride + h * P.hd + d0 + d]; }
          if (kb + row <= pLast) { kv_ = readK(kb + row, g, d0 + d); }
        }
        kv[d * QR + row / 4u][row % 4u] = qv;
        kv[16u * QR + d * QR + row / 4u][row % 4u] = kv_;
      }
      workgroupBarrier();
      for (var d = 0u; d < 16u; d++) {
        let a = kv[d * QR + ty];
        let b = kv[16u * QR + d * QR + tx];
        for (var i = 0u; i < 4u; i++) { s[i] = fma(vec4<f32>(a[i]), b, s[i]); }
      }
    }
    // ---- online softmax over this tile's keys ----
    var rmax = vec4<f32>(-3.0e38);
    for (var i = 0u; i < 4u; i++) {
      let p = pFirst + ty * 4u + i;
      for (var j = 0u; j < 4u; j++) {
        let k = kb + tx * 4u + j;
        let ok = k <= p && p - k < P.window;
        s[i][j] = select(-3.0e38, s[i][j] * P.scale, ok);
        rmax[i] = max(rmax[i], s[i][j]);
      }
    }
    red[li] = rmax;
    workgroupBarrier();
    var tmax = vec4<f32>(-3.0e38);
    for (var k = 0u; k < 16u; k++) { tmax = max(tmax, red[ty * 16u + k]); }
    var corr: array<f32, 4>;
    var rsum = vec4<f32>(0.0);
    var pv: array<vec4<f32>, 4>;  // [key j][row i]
    for (var i = 0u; i < 4u; i++) {
      let mNew = max(m[i], tmax[i]);
      corr[i] = exp(m[i] - mNew);
      m[i] = mNew;
      for (var j = 0u; j < 4u; j++) {
        var e = 0.0;
        if (s[i][j] > -3.0e38) { e = exp(s[i][j] - mNew); }
        pv[j][i] = e;
        rsum[i] += e;
      }
    }
    workgroupBarrier();
    red[li] = rsum;
    for (var j = 0u; j < 4u; j++) { ps[(tx * 4u + j) * QR + ty] = pv[j]; }
    workgroupBarrier();
    var tsum = vec4<f32>(0.0);
    for (var k = 0u; k < 16u; k++) { tsum += red[ty * 16u + k]; }
    for (var i = 0u; i < 4u; i++) {
      l[i] = l[i] * corr[i] + tsum[i];
      for (var jj = 0u; jj < DV; jj++) { o[i * DV + jj] *= corr[i]; }
    }
    // ---- O += P V, V through workgroup memory VK keys at a time ----
    for (var v0 = 0u; v0 < 64u; v0 += VK) {
      workgroupBarrier();
      for (var idx = li; idx < VK * HDP; idx += 256u) {
        let k = idx / HDP;
        let d = idx % HDP;
        var v = 0.0;
        if (d < P.hd && kb + v0 + k <= pLast) { v = readV(kb + v0 + k, g, d); }
        kv[k * (HDP / 4u) + d / 4u][d % 4u] = v;
      }
      workgroupBarrier();
      for (var k = 0u; k < VK; k++) {
        let a = ps[(v0 + k) * QR + ty];
        for (var jj = 0u; jj < DV; jj++) {
          let b = kv[k * (HDP / 4u) + tx + 16u * jj];
          for (var i = 0u; i < 4u; i++) { o[i * DV + jj] = fma(vec4<f32>(a[i]), b, o[i * DV + jj]); }
        }
      }
    }
  }
  for (var i = 0u; i < 4u; i++) {
    let t = q0 + ty * 4u + i;
    if (t >= P.T) { continue; }
    for (var jj = 0u; jj < DV; jj++) {
      for (var e = 0u; e < 4u; e++) {
        let d = (tx + 16u * jj) * 4u + e;
        if (d < P.hd) { out[t * P.H * P.hd + h * P.hd + d] = o[i * DV + jj][e] / l[i]; }
      }
    }
  }
}
