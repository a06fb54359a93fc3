// Weight preamble, f16 storage packed two per u32 (element 2k in the low half, 2k+1 in the high
// half). Read with the core builtin unpack2x16float, so no shader-f16 feature is needed
// (the H100's Vulkan driver does not expose it through Dawn). Half the bytes of f32.
// Rows are padded to a multiple of 8 elements, so a row is also a whole number of quads
// (8 weights, one 16-byte load), which the decoding matvec reads.
alias WPair = u32;
alias WQuad = vec4<u32>;

fn wpair(p: WPair) -> vec2<f32> {
  return unpack2x16float(p);
}

// A quad is the decoding matvec's load unit: 16 bytes, QE elements; wunit(q, j) is elements
// 4j..4j+3 of it (j < QE / 4).
const QE: u32 = 8u;
fn wunit(q: WQuad, j: u32) -> vec4<f32> {
  if (j == 0u) { return vec4<f32>(unpack2x16float(q.x), unpack2x16float(q.y)); }
  return vec4<f32>(unpack2x16float(q.z), unpack2x16float(q.w));
}

// Pair kp of row n of W (inPairs pairs a row): the element of W that holds it, its values, and
// their scale; the scale of quad q of row r. Unscaled storage: one pair per element, scale 1.
fn wpairSlot(n: u32, kp: u32, inPairs: u32) -> u32 { return n * inPairs + kp; }
fn wpairOf(e: WPair, kp: u32) -> vec2<f32> { return unpack2x16float(e); }
fn wpairScale(n: u32, kp: u32, inPairs: u32) -> f32 { return 1.0; }
fn wquadScale(r: u32, q: u32, inQuads: u32) -> f32 { return 1.0; }
