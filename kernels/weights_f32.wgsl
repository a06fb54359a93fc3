// Weight preamble, f32 storage. Every weight row is padded to a multiple of 8 elements and read
// two elements at a time (pairs) or eight (quads), so the f32 and packed-f16 kernels share the
// same indexing.
alias WPair = vec2<f32>;
struct WQuad { lo: vec4<f32>, hi: vec4<f32> }

fn wpair(p: WPair) -> vec2<f32> {
  return p;
}

// A quad is the decoding matvec's load unit, QE elements; wunit(q, j) is elements 4j..4j+3 of it.
const QE: u32 = 8u;
fn wunit(q: WQuad, j: u32) -> vec4<f32> {
  if (j == 0u) { return q.lo; }
  return q.hi;
}

// Pair kp of row n of W (inPairs pairs a row): the element of W that holds it, its values, and
// their scale; the scale of quad q of row r. Unscaled storage: one pair per element, scale 1.
fn wpairSlot(n: u32, kp: u32, inPairs: u32) -> u32 { return n * inPairs + kp; }
fn wpairOf(e: WPair, kp: u32) -> vec2<f32> { return e; }
fn wpairScale(n: u32, kp: u32, inPairs: u32) -> f32 { return 1.0; }
fn wquadScale(r: u32, q: u32, inQuads: u32) -> f32 { return 1.0; }
