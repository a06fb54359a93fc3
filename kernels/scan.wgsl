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
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> xc: array<f32>;   // [T, Di] conv + silu output
@group(0) @binding(2) var<storage, read> dbc: array<f32>;  // [T, R + 2N]
@group(0) @binding(3) var<storage, read> dt: array<f32>;   // [T, Di] before softplus
@group(0) @binding(4) var<storage, read> A: array<f32>;    // [Di, N] = -exp(A_log)
@group(0) @binding(5) var<storage, read> Dskip: array<f32>;  // [Di]
@group(0) @binding(6) var<storage, read> xz: array<f32>;   // [T, 2 Di]
@group(0) @binding(7) var<storage, read_write> h: array<f32>;  // [Di, N] state
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
  let ch = li / NS;
  let n = li % NS;
  let c = c0 + ch;
  let live = c < P.Di;
  var hs = 0.0;
  var a = 0.0;
  if (live) {
    hs = h[c * NS + n];
    a = A[c * NS + n];
  }
  var si = 0u;
  var stop = 0xffffffffu;
  if (P.nStops > 0u) { stop = stops[0]; }
  for (var tb = 0u; tb < P.T; tb += TB) {
    let nt = min(TB, P.T - tb);
    for (var i = li; i < TB * CH; i += WG) {
      let t = tb + i / CH;
      let cc = c0 + i % CH;
      if (t < P.T && cc < P.Di) {
        dS[i] = softplus(dt[t * P.Di + cc]);
        xS[i] = xc[t * P.Di + cc];
      }
    }
    for (var i = li; i < TB * NS; i += WG) {
      let t = tb + i / NS;
      if (t < P.T) {
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
  if (live) { h[c * NS + n] = hs; }
}
