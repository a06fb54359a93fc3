// Weight preamble, f16 storage packed two per u32 (element 2k in the low half, 2k+1 in the high
// half). Read with the core builtin unpack2x16float, so no shader-f16 feature is needed
// (the H100's Vulkan driver does not expose it through Dawn). Half the bytes of f32.
alias WPair = u32;

fn wpair(p: WPair) -> vec2<f32> {
  return unpack2x16float(p);
}
