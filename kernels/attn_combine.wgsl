// Merges the per-split partial attention results of attention.wgsl (flash-decoding):
// out = sum_s exp(m_s - M) acc_s / sum_s exp(m_s - M) l_s, with M the largest m_s.
struct Params {
  T: u32,
  H: u32,
  hd: u32,
  nSplit: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> part: array<f32>;  // [T, H, nSplit, hd + 2]
@group(0) @binding(2) var<storage, read_write> out: array<f32>;  // [T, H*hd]

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let h = wid.x;
  let t = wid.y;
  let base = (t * P.H + h) * P.nSplit * (P.hd + 2u);
  var M = -3.0e38;
  for (var s = 0u; s < P.nSplit; s++) {
    let b = base + s * (P.hd + 2u);
    if (part[b + 1u] > 0.0) { M = max(M, part[b]); }
  }
  var L = 0.0;
  for (var s = 0u; s < P.nSplit; s++) {
    let b = base + s * (P.hd + 2u);
    if (part[b + 1u] > 0.0) { L += exp(part[b] - M) * part[b + 1u]; }
  }
  for (var i = li; i < P.hd; i += 64u) {
    var a = 0.0;
    for (var s = 0u; s < P.nSplit; s++) {
      let b = base + s * (P.hd + 2u);
      if (part[b + 1u] > 0.0) { a += exp(part[b] - M) * part[b + 2u + i]; }
    }
    out[t * P.H * P.hd + h * P.hd + i] = a / L;
  }
}
