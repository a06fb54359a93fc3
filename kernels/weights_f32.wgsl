// Weight preamble, f32 storage. Every weight row is padded to an even length and read two
// elements at a time, so the f32 and packed-f16 kernels share the same indexing.
alias WPair = vec2<f32>;

fn wpair(p: WPair) -> vec2<f32> {
  return p;
}
