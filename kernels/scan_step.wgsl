// Mamba's selective scan for one token (decoding), with dt_proj fused in:
//   dt = softplus(dt_proj(delta) + dt_bias)     (delta = the first R columns of x_proj's output)
//   h[n] = exp(dt * A[n]) * h[n] + dt * B[n] * x,   y = (C . h + D * x) * silu(z)
// NS threads per channel (N rounded up to a power of two), CH channels per workgroup: the threads
// of a channel share dt_proj's row and each owns one state entry, so every load is issued at once
// and both sums are short trees in workgroup memory. Prompts use dt_proj's matrix product and
// scan.wgsl.
const NS: u32 = __NS__u;
const CH: u32 = __CH__u;

struct Params {
  Di: u32,
  N: u32,
  R: u32,          // dt rank: B starts at column R of dbc, C at R + N
  rPairs: u32,     // padded row length of dt_proj's weight, in pairs
  xzStride: u32,   // z of channel c is xz[Di + c]
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> xc: array<f32>;     // [Di] conv + silu output
@group(0) @binding(2) var<storage, read> dbc: array<f32>;    // [R + 2N]
@group(0) @binding(3) var<storage, read> dtW: array<WPair>;  // [Di, R] dt_proj weight
@group(0) @binding(4) var<storage, read> dtBias: array<f32>; // [Di]
@group(0) @binding(5) var<storage, read> A: array<f32>;      // [Di, N] = -exp(A_log)
@group(0) @binding(6) var<storage, read> Dskip: array<f32>;  // [Di]
@group(0) @binding(7) var<storage, read> xz: array<f32>;     // [2 Di]
@group(0) @binding(8) var<storage, read_write> h: array<f32>;  // [Di, N] state
@group(0) @binding(9) var<storage, read_write> y: array<f32>;  // [Di]

var<workgroup> part: array<f32, CH * NS>;

// Sum of part over the NS threads of channel slot cl (all threads call it: it has barriers).
fn channelSum(li: u32, n: u32, cl: u32) -> f32 {
  workgroupBarrier();
  for (var s = NS / 2u; s > 0u; s /= 2u) {
    if (n < s) { part[li] += part[li + s]; }
    workgroupBarrier();
  }
  let total = part[cl * NS];
  workgroupBarrier();  // read before part is written again
  return total;
}

@compute @workgroup_size(CH * NS)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let n = li % NS;
  let cl = li / NS;
  let c = min(wid.x * CH + cl, P.Di - 1u);  // past the end: a copy of the last channel, not written
  let live = wid.x * CH + cl < P.Di && n < P.N;
  let k = c * P.N + min(n, P.N - 1u);
  let hOld = h[k];
  let a = A[k];
  let bn = dbc[P.R + min(n, P.N - 1u)];
  let cn = dbc[P.R + P.N + min(n, P.N - 1u)];
  let xv = xc[c];
  var raw = 0.0;
  for (var q = n; q < P.rPairs; q += NS) {
    let w = wpair(dtW[c * P.rPairs + q]);
    let i = 2u * q;
    if (i < P.R) { raw += w.x * dbc[i]; }
    if (i + 1u < P.R) { raw += w.y * dbc[i + 1u]; }
  }
  part[li] = raw;
  let dt = softplus(channelSum(li, n, cl) + dtBias[c]);
  let hn = exp(dt * a) * hOld + dt * bn * xv;
  if (live) { h[k] = hn; }
  part[li] = select(0.0, cn * hn, live);
  let ch = channelSum(li, n, cl);
  if (live && n == 0u) { y[c] = (ch + Dskip[c] * xv) * silu(xz[P.Di + c]); }
}
