// RMSNorm, one workgroup per token: out[t] = x[t] * rsqrt(mean(x^2) + eps) * w, in f32 like the
// reference. Prompts only: decoding folds the norm into matvec.wgsl's prologue.
struct Params {
  T: u32,
  d: u32,
  eps: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

const WG: u32 = 256u;
var<workgroup> part: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let t = wid.x;
  let src = t * P.d;
  var s = 0.0;
  for (var i = li; i < P.d; i += WG) {
    let v = x[src + i];
    s += v * v;
  }
  part[li] = s;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (li < stride) { part[li] += part[li + stride]; }
    workgroupBarrier();
  }
  let inv = inverseSqrt(part[0] / f32(P.d) + P.eps);
  let dst = t * P.d;
  for (var i = li; i < P.d; i += WG) {
    out[dst + i] = x[src + i] * inv * w[i];
  }
}
