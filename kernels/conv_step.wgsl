// Mamba's causal depthwise conv1d + SiLU for 2-4 tokens (decoding), and the shift of the conv
// state past them, in one dispatch: one thread per channel owns that channel's column of the state
// ([K-1, Di], oldest first), so it can read the old inputs and then overwrite them itself.
// (Prompts use conv1d.wgsl + conv_state.wgsl: a thread per (channel, token) there. One token's
// conv runs in in_proj's matvec epilogue (matvec.wgsl, epilogue 1), which also shifts the state.)
struct Params {
  T: u32,
  Di: u32,
  K: u32,
  xzStride: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> xz: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;      // [Di, K] weights, then [Di] bias
@group(0) @binding(3) var<storage, read_write> state: array<f32>;  // [K-1, Di]
@group(0) @binding(4) var<storage, read_write> out: array<f32>;    // [T, Di]

// Input at position `src` relative to the first new token: the new x, or an old one from the state.
fn inputAt(c: u32, src: i32, S: i32) -> f32 {
  if (src >= 0) { return xz[u32(src) * P.xzStride + c]; }
  return state[u32(S + src) * P.Di + c];
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c = gid.x;
  if (c >= P.Di) { return; }
  let S = i32(P.K) - 1;
  for (var t = 0; t < i32(P.T); t++) {
    var acc = w[P.Di * P.K + c];
    for (var j = 0; j < i32(P.K); j++) {
      acc += w[c * P.K + u32(j)] * inputAt(c, t - S + j, S);
    }
    out[u32(t) * P.Di + c] = silu(acc);
  }
  // Shift: slot r takes input T - S + r; the slots read (r + T) lie above r, so ascending is safe.
  for (var r = 0; r < S; r++) {
    state[u32(r) * P.Di + c] = inputAt(c, i32(P.T) - S + r, S);
  }
}
