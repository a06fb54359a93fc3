// Embedding lookup: out[t, :] = E[tokens[t], :]. The embedding may be split into row blocks
// (a big vocabulary exceeds one storage binding); each block is one dispatch and writes only
// the tokens whose id falls into its rows.
struct Params {
  T: u32,
  d: u32,
  dPairs: u32,    // padded row length of E in pairs
  rowStart: u32,  // first vocabulary row held by this block
  rows: u32,      // rows in this block
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> tokens: array<u32>;
@group(0) @binding(2) var<storage, read> E: array<WPair>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let kp = g.x;
  let t = g.y;
  if (2u * kp >= P.d || t >= P.T) { return; }
  let tok = tokens[t];
  if (tok < P.rowStart || tok >= P.rowStart + P.rows) { return; }
  let w = wpair(E[(tok - P.rowStart) * P.dPairs + kp]);
  let o = t * P.d + 2u * kp;
  out[o] = w.x;
  if (2u * kp + 1u < P.d) { out[o + 1u] = w.y; }
}
