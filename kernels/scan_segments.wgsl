// The selective scan's first pass over a long chunk cut into segments of S tokens (see scan.wgsl):
// each segment runs from h = 0, in parallel with the others, and keeps what the next pass needs to
// join them: h at its end, and its decay sum(dt) * A (h at the segment's start is scaled by exp of
// it on the way through). One thread per (channel, state index n), CH channels per workgroup, one
// workgroup row per segment (workgroup_id.y). NS (the state size N) and CH are set when the kernel
// text is composed.
const NS: u32 = __NS__u;
const CH: u32 = __CH__u;
const WG: u32 = CH * NS;
const TB: u32 = 16u;      // tokens per staged block

struct Params {
  T: u32,
  Di: u32,
  R: u32,          // dt rank: B starts at column R of dbc
  dbcStride: u32,  // R + 2N
  S: u32,          // tokens per segment
  G: u32,          // segments
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> xc: array<f32>;   // [T, Di] conv + silu output
@group(0) @binding(2) var<storage, read> dbc: array<f32>;  // [T, R + 2N]
@group(0) @binding(3) var<storage, read> dt: array<f32>;   // [T, Di] before softplus
@group(0) @binding(4) var<storage, read> A: array<f32>;    // [Di, N] = -exp(A_log)
@group(0) @binding(5) var<storage, read_write> segs: array<f32>;  // [2, G, Di, N]: h at each segment's end (from 0), then its decay

var<workgroup> dS: array<f32, TB * CH>;   // softplus(dt) [t][ch]
var<workgroup> xS: array<f32, TB * CH>;   // x [t][ch]
var<workgroup> bS: array<f32, TB * NS>;   // B [t][n]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let c0 = wid.x * CH;
  let g = wid.y;
  let ch = li / NS;
  let n = li % NS;
  let c = c0 + ch;
  let live = c < P.Di;
  let t0 = g * P.S;
  let t1 = min(P.T, t0 + P.S);
  var a = 0.0;
  if (live) { a = A[c * NS + n]; }
  var hs = 0.0;
  var dsum = 0.0;
  for (var tb = t0; tb < t1; tb += TB) {
    let nt = min(TB, t1 - tb);
    for (var i = li; i < TB * CH; i += WG) {
      let t = tb + i / CH;
      let cc = c0 + i % CH;
      if (t < t1 && cc < P.Di) {
        dS[i] = softplus(dt[t * P.Di + cc]);
        xS[i] = xc[t * P.Di + cc];
      }
    }
    for (var i = li; i < TB * NS; i += WG) {
      let t = tb + i / NS;
      if (t < t1) { bS[i] = dbc[t * P.dbcStride + P.R + i % NS]; }
    }
    workgroupBarrier();
    if (live) {
      for (var t = 0u; t < nt; t++) {
        let d = dS[t * CH + ch];
        hs = exp(d * a) * hs + d * bS[t * NS + n] * xS[t * CH + ch];
        dsum += d;
      }
    }
    workgroupBarrier();
  }
  if (live) {
    let at = (g * P.Di + c) * NS + n;
    segs[at] = hs;
    segs[P.G * P.Di * NS + at] = dsum * a;
  }
}
