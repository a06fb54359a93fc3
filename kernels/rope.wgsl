// Rotary position embedding, in place on the query and key heads of the fused qkv rows
// (rotate-half over the whole head, absolute positions). The inverse frequencies come from
// the host in f32 like PyTorch's; the angle is reduced to [-pi, pi] with a two-part 2*pi
// (Cody-Waite) because GPU sin/cos are only accurate near zero.
// Decoding one token (writeCache = 1) also stores the rotated key and the value in the
// ring-buffer cache here, saving kv_write's dispatch: attention reads this token's key from qkv,
// and the slot it overwrites held position pos0 - cap, outside any window (window <= cap).
struct Params {
  T: u32,
  heads: u32,     // H + G: query heads then key heads (values are not rotated)
  hd: u32,
  pos0: u32,      // absolute position of token 0 of this chunk
  qkvStride: u32,
  H: u32,
  cap: u32,
  writeCache: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> invFreq: array<f32>;  // [hd / 2]
@group(0) @binding(2) var<storage, read_write> qkv: array<f32>;
@group(0) @binding(3) var<storage, read_write> kc: array<f32>;  // [cap, G*hd]
@group(0) @binding(4) var<storage, read_write> vc: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let half = P.hd / 2u;
  let i = g.x;
  let head = g.y;
  let t = g.z;
  if (i >= half || head >= P.heads || t >= P.T) { return; }
  let angle = f32(P.pos0 + t) * invFreq[i];
  let k = round(angle * 0.15915494309189535);
  let r = (angle - k * 6.28125) - k * 0.0019353071795864769;
  let c = cos(r);
  let s = sin(r);
  let base = t * P.qkvStride + head * P.hd;
  let x1 = qkv[base + i];
  let x2 = qkv[base + i + half];
  let y1 = x1 * c - x2 * s;
  let y2 = x2 * c + x1 * s;
  qkv[base + i] = y1;
  qkv[base + i + half] = y2;
  if (P.writeCache != 0u && head >= P.H) {
    let kvDim = (P.heads - P.H) * P.hd;
    let dst = ((P.pos0 + t) % P.cap) * kvDim + (head - P.H) * P.hd;
    let v = base + kvDim;  // this key head's value, G heads further along the row
    kc[dst + i] = y1;
    kc[dst + i + half] = y2;
    vc[dst + i] = qkv[v + i];
    vc[dst + i + half] = qkv[v + i + half];
  }
}
