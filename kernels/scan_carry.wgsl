// The selective scan's second pass over a segmented chunk (scan_segments.wgsl): joins the segments
// in order. Segment g starts from hIn[g] (the state for g = 0); h after it is exp(decay[g]) times
// that plus its own end from 0. The state gets h after the last segment. One thread per (channel, n).
struct Params {
  DiN: u32,  // Di * N
  G: u32,    // segments
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> segs: array<f32>;        // [2, G, Di, N]: ends from 0, decays
@group(0) @binding(2) var<storage, read_write> h: array<f32>;     // [Di, N] the state: in, then out
@group(0) @binding(3) var<storage, read_write> hIn: array<f32>;   // [G, Di, N] each segment's start

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= P.DiN) { return; }
  var hs = h[i];
  for (var g = 0u; g < P.G; g++) {
    hIn[g * P.DiN + i] = hs;
    hs = exp(segs[(P.G + g) * P.DiN + i]) * hs + segs[g * P.DiN + i];
  }
  h[i] = hs;
}
