// SwiGLU's pointwise part: h = silu(gate) * up. gate and up come from one fused projection
// (rows 0..F gate, F..2F up), so gu is [T, 2F].
struct Params {
  T: u32,
  F: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> gu: array<f32>;
@group(0) @binding(2) var<storage, read_write> h: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.x;
  let t = g.y;
  if (i >= P.F || t >= P.T) { return; }
  let b = t * 2u * P.F;
  h[t * P.F + i] = silu(gu[b + i]) * gu[b + P.F + i];
}
