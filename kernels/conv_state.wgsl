// Shifts Mamba's conv state ([K-1, Di], oldest first) past a chunk of T tokens, after conv1d.wgsl
// has read it: slot r then holds input T-S+r (S = K-1), from the chunk's x (first half of xz)
// or, for short chunks, from an older slot. One thread per channel.
struct Params {
  T: u32,
  Di: u32,
  K: u32,
  xzStride: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> xz: array<f32>;
@group(0) @binding(2) var<storage, read_write> state: array<f32>;  // [K-1, Di]

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let c = g.x;
  if (c >= P.Di) { return; }
  let S = i32(P.K) - 1;
  // Slots read (r + T) are above r, so ascending is safe.
  for (var r = 0; r < S; r++) {
    let src = i32(P.T) - S + r;
    if (src >= 0) {
      state[u32(r) * P.Di + c] = xz[u32(src) * P.xzStride + c];
    } else {
      state[u32(r) * P.Di + c] = state[(u32(r) + P.T) * P.Di + c];
    }
  }
}
