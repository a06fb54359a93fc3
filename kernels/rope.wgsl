// Rotary position embedding, in place on the query and key heads of the fused qkv rows
// (rotate-half over the whole head, absolute positions), for prompts; decoding rotates in the
// qkv matvec's epilogue (matvec.wgsl). The inverse frequencies come from the host in f32 like
// PyTorch's.
struct Params {
  T: u32,
  heads: u32,     // H + G: query heads then key heads (values are not rotated)
  hd: u32,
  pos0: u32,      // absolute position of token 0 of this chunk
  qkvStride: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> invFreq: array<f32>;  // [hd / 2]
@group(0) @binding(2) var<storage, read_write> qkv: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let half = P.hd / 2u;
  let i = g.x;
  let head = g.y;
  let t = g.z;
  if (i >= half || head >= P.heads || t >= P.T) { return; }
  let cs = ropeCosSin(f32(P.pos0 + t) * invFreq[i]);
  let base = t * P.qkvStride + head * P.hd;
  let x1 = qkv[base + i];
  let x2 = qkv[base + i + half];
  qkv[base + i] = x1 * cs.x - x2 * cs.y;
  qkv[base + i + half] = x2 * cs.x + x1 * cs.y;
}
