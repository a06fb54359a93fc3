// Weight preamble, f32 storage. Every weight row is padded to a multiple of 8 elements and read
// two elements at a time (pairs) or eight (quads), so the f32 and packed-f16 kernels share the
// same indexing.
alias WPair = vec2<f32>;
struct WQuad { lo: vec4<f32>, hi: vec4<f32> }

fn wpair(p: WPair) -> vec2<f32> {
  return p;
}

fn wquadLo(q: WQuad) -> vec4<f32> {
  return q.lo;
}
fn wquadHi(q: WQuad) -> vec4<f32> {
  return q.hi;
}
