// Mamba's selective scan over a chunk of tokens, one thread per channel with its N states in
// registers (a sequential loop over time; parallel over channels). Fused per token:
// dt = softplus(dt_raw) (dt_proj bias already added), h = exp(dt*A) h + dt*B*x,
// y = C.h + D*x, then the gate y * silu(z). h is loaded from and stored back to the state.
// NS (the state size N) is substituted when the kernel text is composed.
const NS: u32 = __NS__u;

struct Params {
  T: u32,
  Di: u32,
  R: u32,          // dt rank: B starts at column R of dbc, C at R + N
  dbcStride: u32,  // R + 2N
  xzStride: u32,   // 2 * Di: z of token t, channel c is xz[t * xzStride + Di + c]
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

@compute @workgroup_size(32)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let c = g.x;
  if (c >= P.Di) { return; }
  var hs: array<f32, NS>;
  var a: array<f32, NS>;
  for (var n = 0u; n < NS; n++) {
    hs[n] = h[c * NS + n];
    a[n] = A[c * NS + n];
  }
  let dskip = Dskip[c];
  for (var t = 0u; t < P.T; t++) {
    let d = softplus(dt[t * P.Di + c]);
    let xv = xc[t * P.Di + c];
    let row = t * P.dbcStride + P.R;
    var acc = 0.0;
    for (var n = 0u; n < NS; n++) {
      hs[n] = exp(d * a[n]) * hs[n] + d * dbc[row + n] * xv;
      acc += dbc[row + NS + n] * hs[n];
    }
    acc += dskip * xv;
    y[t * P.Di + c] = acc * silu(xz[t * P.xzStride + P.Di + c]);
  }
  for (var n = 0u; n < NS; n++) { h[c * NS + n] = hs[n]; }
}
