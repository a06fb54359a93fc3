// x in f16 for matmul_sgmat_direct.wgsl: out[t, k] = f16(x[t * xStride + xOff + k]) for k < inDim,
// zero for inDim <= k < outStride and for T <= t < Tpad (whole tiles of tokens, so the matrix
// loads never read past the buffer). Two f16s per u32 (pack2x16float: element 2i in the low half,
// as array<f16> reads it), so no shader-f16 here. One thread per pair, grid (pairs / 64, Tpad).
struct Params {
  T: u32,
  inDim: u32,
  xStride: u32,
  xOff: u32,
  outStride: u32,           // f16s per row of out, even
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;

fn at(t: u32, k: u32) -> f32 {
  if (t >= P.T || k >= P.inDim) { return 0.0; }
  return x[t * P.xStride + P.xOff + k];
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let p = g.x;
  let t = g.y;
  if (2u * p >= P.outStride) { return; }
  out[(t * P.outStride) / 2u + p] = pack2x16float(vec2<f32>(at(t, 2u * p), at(t, 2u * p + 1u)));
}
