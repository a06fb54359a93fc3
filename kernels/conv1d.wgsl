// Mamba's causal depthwise conv1d over a chunk of tokens, then SiLU, one thread per (channel,
// token). The K-1 inputs before the chunk come from the conv state ([K-1, Di], oldest first);
// conv_state.wgsl shifts the state afterwards (a separate dispatch, so that no thread here reads
// a state slot another has already overwritten). x is the first half of in_proj's output xz.
struct Params {
  T: u32,
  Di: u32,
  K: u32,
  xzStride: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> xz: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;      // [Di, K] weights, then [Di] bias
@group(0) @binding(3) var<storage, read> state: array<f32>;  // [K-1, Di]
@group(0) @binding(4) var<storage, read_write> out: array<f32>;    // [T, Di]

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let c = g.x;
  let t = g.y;
  if (c >= P.Di || t >= P.T) { return; }
  let S = i32(P.K) - 1;
  var acc = w[P.Di * P.K + c];
  for (var j = 0u; j < P.K; j++) {
    let src = i32(t) - S + i32(j);  // input position relative to the chunk start
    var v: f32;
    if (src >= 0) { v = xz[u32(src) * P.xzStride + c]; } else { v = state[u32(S + src) * P.Di + c]; }
    acc += w[c * P.K + j] * v;
  }
  out[t * P.Di + c] = silu(acc);
}
