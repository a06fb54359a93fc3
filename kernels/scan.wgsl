// Mamba's selective scan over a chunk of tokens. One thread per (channel, state index n), CH
// channels per workgroup, so Di * N recurrences run in parallel; time stays a sequential loop
// inside the chunk. Per token: dt = softplus(dt_raw) (dt_proj bias already added),
// h = exp(dt*A) h + dt*B*x, y = C.h + D*x, then the gate y * silu(z).
// Blocks of TB tokens are staged in workgroup memory first (dt, x of the workgroup's channels,
// B and C), so the sequential loop reads no global memory; the products C[n] h[n] go to
// workgroup memory and are summed over n per (token, channel) after each block.
// h is loaded from and stored back to the state; it is also written to hOut after each of the
// nStops token counts in `stops` (states taken inside a long pass: Engine.read). NS (the state size N) and CH are set when the
// kernel text is composed.
// A long chunk is cut into G segments of S tokens, one workgroup row each (workgroup_id.y), so
// G times as many threads share the sequential loop: `h` is then [G, Di, N], each segment's start
// (scan_segments.wgsl and scan_carry.wgsl computed them, and the state's end), and is only read.
const NS: u32 = __NS__u;
const CH: u32 = __CH__u;  // channels per workgroup; CH * NS threads
const WG: u32 = CH * NS;
const TB: u32 = 16u;      // tokens per staged block
const PS: u32 = NS + 1u;  // padded row of the products (bank conflicts)

struct Params {
  T: u32,
  Di: u32,
  R: u32,          // dt rank: B starts at column R of dbc, C at R + N
  dbcStride: u32,  // R + 2N
  xzStride: u32,   // 2 * Di: z of token t, channel c is xz[t * xzStride + Di + c]
  nStops: u32,     // entries of stops
  S: u32,          // tokens per segment (T: one segment)
  G: u32,          // segments
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> xc: array<f32>;   // [T, Di] conv + silu output
@group(0) @binding(2) var<storage, read> dbc: array<f32>;  // [T, R + 2N]
@group(0) @binding(3) var<storage, read> dt: array<f32>;   // [T, Di] before softplus
@group(0) @binding(4) var<storage, read> A: array<f32>;    // [Di, N] = -exp(A_log)
@group(0) @binding(5) var<storage, read> Dskip: array<f32>;  // [Di]
@group(0) @binding(6) var<storage, read> xz: array<f32>;   // [T, 2 Di]
@group(0) @binding(7) var<storage, read_write> h: array<f32>;  // [Di, N] state; [G, Di, N] segments' starts when G > 1
@group(0) @binding(8) var<storage, read_write> y: array<f32>;  // [T, Di]
@group(0) @binding(9) var<storage, read> stops: array<u32>;     // [nStops] increasing, in 1..T
@group(0) @binding(10) var<storage, read_write> hOut: array<f32>;  // [nStops, Di, N]

var<workgroup> dS: array<f32, TB * CH>;   // softplus(dt) [t][ch]
var<workgroup> xS: array<f32, TB * CH>;   // x [t][ch]
var<workgroup> bS: array<f32, TB * NS>;   // B [t][n]
var<workgroup> cS: array<f32, TB * NS>;   // C [t][n]
var<workgroup> pS: array<f32, TB * CH * PS>;  // C[n] h[n] [t][ch][n]

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
  var hs = 0.0;
  var a = 0.0;
  if (live) {
    hs = h[(g * P.Di + c) * NS + n];
    a = A[c * NS + n];
  }
  // The first stop after this segment's start.
  var si = 0u;
  while (si < P.nStops && stops[si] <= t0) { si++; }
  var stop = 0xffffffffu;
  if (si < P.nStops) { stop = stops[si]; }
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
      if (t < t1) {
        let row = t * P.dbcStride + P.R + i % NS;
        bS[i] = dbc[row];
        cS[i] = dbc[row + NS];
      }
    }
    workgroupBarrier();
    if (live) {
      for (var t = 0u; t < nt; t++) {
        let d = dS[t * CH + ch];
        hs = exp(d * a) * hs + d * bS[t * NS + n] * xS[t * CH + ch];
        pS[(t * CH + ch) * PS + n] = cS[t * NS + n] * hs;
        if (tb + t + 1u == stop) {
          hOut[(si * P.Di + c) * NS + n] = hs;
          si++;
          stop = 0xffffffffu;
          if (si < P.nStops) { stop = stops[si]; }
        }
      }
    }
    workgroupBarrier();
    for (var i = li; i < nt * CH; i += WG) {
      let t = i / CH;
      let cc = c0 + i % CH;
      if (cc < P.Di) {
        var acc = 0.0;
        for (var k = 0u; k < NS; k++) { acc += pS[i * PS + k]; }
        let tt = tb + t;
        acc += Dskip[cc] * xS[i];
        y[tt * P.Di + cc] = acc * silu(xz[tt * P.xzStride + P.Di + cc]);
      }
    }
    workgroupBarrier();
  }
  if (live && P.G == 1u) { h[c * NS + n] = hs; }
}
