// Weight preamble, int8 storage (src/model/quantize.ts): rows padded to groups of 32 weights, each
// group one f32 scale in Ws (w = scale * q, q in -127..127); four weights per u32, element 4k in
// the lowest byte. A quad (the matvec's 16-byte load unit) holds 16 weights: twice f16's.
// Only the matrix kernels (matvec, linear_tiled) read int8; src/gpu/kernels.ts gives Ws its binding.
alias WPair = u32;        // four weights: two pairs
alias WQuad = vec4<u32>;

@group(0) @binding(__WSB__) var<storage, read> Ws: array<f32>;

// Bytes 0-3 of u as signed integers.
fn i8x4(u: u32) -> vec4<f32> {
  let v = bitcast<i32>(u);
  return vec4<f32>(f32(extractBits(v, 0u, 8u)), f32(extractBits(v, 8u, 8u)), f32(extractBits(v, 16u, 8u)), f32(extractBits(v, 24u, 8u)));
}

// Elements 4j..4j+3 of a quad (QE elements), unscaled: wquadScale gives the scale.
const QE: u32 = 16u;
fn wunit(q: WQuad, j: u32) -> vec4<f32> { return i8x4(q[j]); }

// Pair kp of row n of W (inPairs pairs a row): the element of W that holds it, its values, and
// their scale; the scale of quad q of row r.
fn wpairSlot(n: u32, kp: u32, inPairs: u32) -> u32 { return n * (inPairs / 2u) + kp / 2u; }
fn wpairOf(e: WPair, kp: u32) -> vec2<f32> {
  let v = bitcast<i32>(e);
  let at = (kp % 2u) * 16u;
  return vec2<f32>(f32(extractBits(v, at, 8u)), f32(extractBits(v, at + 8u, 8u)));
}
fn wpairScale(n: u32, kp: u32, inPairs: u32) -> f32 { return Ws[n * (inPairs / 16u) + kp / 16u]; }
fn wquadScale(r: u32, q: u32, inQuads: u32) -> f32 { return Ws[r * (inQuads / 2u) + q / 2u]; }
