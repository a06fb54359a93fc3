// Writes a chunk's post-RoPE keys and values into the ring-buffer cache: absolute position p
// lives in slot p % cap. Runs after attention, which reads the chunk's own keys from qkv and
// older ones from the cache, so a chunk longer than the window does not overwrite keys that its
// own earlier queries still need. Only the last `cap` tokens of the chunk are kept.
struct Params {
  T: u32,
  H: u32,
  kvDim: u32,     // G * hd
  hd: u32,
  pos0: u32,
  cap: u32,
  qkvStride: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> qkv: array<f32>;
@group(0) @binding(2) var<storage, read_write> kc: array<f32>;  // [cap, G*hd]
@group(0) @binding(3) var<storage, read_write> vc: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.x;
  let t = g.y;
  if (i >= P.kvDim || t >= P.T || t + P.cap < P.T) { return; }
  let slot = (P.pos0 + t) % P.cap;
  let src = t * P.qkvStride + P.H * P.hd + i;
  kc[slot * P.kvDim + i] = qkv[src];
  vc[slot * P.kvDim + i] = qkv[src + P.kvDim];
}
