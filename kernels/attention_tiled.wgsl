// Causal (sliding-window) attention for prompts, flash-attention style: one workgroup per tile
// of 64 queries of one head, looping over tiles of 64 keys, so each key and value read serves
// 64 queries. Same layout and contract as attention.wgsl: GQA, keys of this chunk from the
// RoPE'd qkv rows, older ones from the ring-buffer cache. Key tiles start at the first key the
// tile's first query can see and end at its last query, so tiles wholly outside the window or
// after the diagonal are never visited.
// Per key tile: S = Q K^T (16x16 threads, each 4 queries x 4 keys, head dims 16 at a time through
// workgroup memory), the online softmax (row max across the 16 threads of a row through
// workgroup memory), then O = O * corr + P V with P in workgroup memory and V staged VK keys at a
// time; each thread owns 4 query rows x 4*DV output dims.
// Everything a thread holds is a named vector (s0..s3, o0a..o3d, m, l), never an array indexed in
// a loop: on Tint -> SPIR-V -> NVIDIA those go to local memory (slower: bench/RESULTS.md).
// The per-DV variants are `if (DV >= ..)` on a constant, folded away by the compiler.
// Needs head_dim % 4 == 0 (vec4 loads; the engine uses attention.wgsl otherwise), head_dim <= 256.
// Global loads for the next stage are issued before the current stage computes (software
// pipelining, as in linear_tiled.wgsl): each stage, Q/K or V, is two vec4 per thread.
const HD: u32 = __HD__u;
const DV: u32 = select(select(4u, 2u, HD <= 128u), 1u, HD <= 64u);  // vec4s of dims per thread and row
const HDP: u32 = 64u * DV;      // head dims padded: 16 threads x DV vec4
const H4: u32 = HDP / 4u;       // vec4s per staged V row
const VK: u32 = 2048u / HDP;    // keys per staged block of V (2 vec4 per thread)
const QR: u32 = 17u;            // vec4s per row of q/k/p tiles (16 + 1 padding against bank conflicts)
const KOFF: u32 = 16u * QR;     // k tile after the q tile
const LOG2E: f32 = 1.4426950408889634;

struct Params {
  T: u32,
  H: u32,
  G: u32,
  hd: u32,
  pos0: u32,
  cap: u32,
  window: u32,    // a query sees itself and window - 1 earlier tokens
  qkvStride: u32,
  scale: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> qkv: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> kc: array<vec4<f32>>;  // [cap, G*hd]
@group(0) @binding(3) var<storage, read> vc: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> out: array<vec4<f32>>;  // [T, H*hd]

// S stages: q tile [16 dims][64 queries] at 0, k tile [16 dims][64 keys] at KOFF, keys permuted
// so that vec4 tx holds keys tx, tx+16, tx+32, tx+48 (conflict-free stores of P below).
// V stages: v block [VK keys][H4 vec4s] = 512 vec4s.
var<workgroup> kv: array<vec4<f32>, 544>;
var<workgroup> ps: array<vec4<f32>, 64 * QR>;  // P [key][query vec4]
var<workgroup> red: array<vec4<f32>, 256>;     // row partials [ty][tx], 4 rows each

// Cache slot of key kb + k, given slot0 = kb % cap: cached keys of one tile span fewer than cap
// positions, so one conditional subtraction replaces a modulo per load.
fn slot(slot0: u32, k: u32) -> u32 {
  let s = slot0 + k;
  return select(s, s - P.cap, s >= P.cap);
}

// Key/value kb + k (absolute position), dims 4*d4..4*d4+3 of KV head g; slot0 = kb % cap.
fn readK(kb: u32, slot0: u32, k: u32, g: u32, d4: u32) -> vec4<f32> {
  let j = kb + k;
  if (j >= P.pos0) { return qkv[((j - P.pos0) * P.qkvStride + (P.H + g) * HD) / 4u + d4]; }
  return kc[(slot(slot0, k) * P.G + g) * (HD / 4u) + d4];
}

fn readV(kb: u32, slot0: u32, k: u32, g: u32, d4: u32) -> vec4<f32> {
  let j = kb + k;
  if (j >= P.pos0) { return qkv[((j - P.pos0) * P.qkvStride + (P.H + P.G + g) * HD) / 4u + d4]; }
  return vc[(slot(slot0, k) * P.G + g) * (HD / 4u) + d4];
}

// One stage's global loads, held in registers until the stage before has been computed.
struct Stage {
  a: vec4<f32>,
  b: vec4<f32>,
}

// Q and K stage: thread li loads query/key row li / 4, dims d0 + 4 (li % 4) .. + 3.
fn loadQK(li: u32, q0: u32, h: u32, g: u32, kb: u32, slot0: u32, kLast: u32, d0: u32) -> Stage {
  var r = Stage(vec4<f32>(0.0), vec4<f32>(0.0));
  let row = li / 4u;
  let d4 = d0 / 4u + li % 4u;
  if (d4 < HD / 4u) {
    if (q0 + row < P.T) { r.a = qkv[((q0 + row) * P.qkvStride + h * HD) / 4u + d4]; }
    if (kb + row <= kLast) { r.b = readK(kb, slot0, row, g, d4); }
  }
  return r;
}

// V stage: thread li loads vec4s li and li + 256 of the [VK][H4] block at key kb + v0.
fn loadV(li: u32, g: u32, kb: u32, slot0: u32, kLast: u32, v0: u32) -> Stage {
  var r = Stage(vec4<f32>(0.0), vec4<f32>(0.0));
  let d4 = li % H4;  // same for li + 256 (H4 divides 256)
  if (d4 < HD / 4u) {
    let k = v0 + li / H4;
    if (kb + k <= kLast) { r.a = readV(kb, slot0, k, g, d4); }
    if (kb + k + 256u / H4 <= kLast) { r.b = readV(kb, slot0, k + 256u / H4, g, d4); }
  }
  return r;
}

fn storeQK(li: u32, st: Stage) {
  let row = li / 4u;
  let d = (li % 4u) * 4u;
  let qv = row / 4u;
  let qc = row % 4u;
  kv[d * QR + qv][qc] = st.a.x;
  kv[(d + 1u) * QR + qv][qc] = st.a.y;
  kv[(d + 2u) * QR + qv][qc] = st.a.z;
  kv[(d + 3u) * QR + qv][qc] = st.a.w;
  let kvv = KOFF + row % 16u;
  let kcomp = row / 16u;
  kv[kvv + d * QR][kcomp] = st.b.x;
  kv[kvv + (d + 1u) * QR][kcomp] = st.b.y;
  kv[kvv + (d + 2u) * QR][kcomp] = st.b.z;
  kv[kvv + (d + 3u) * QR][kcomp] = st.b.w;
}

fn hmax(v: vec4<f32>) -> f32 { return max(max(v.x, v.y), max(v.z, v.w)); }
fn hsum(v: vec4<f32>) -> f32 { return (v.x + v.y) + (v.z + v.w); }

// Scores of one query row (absolute position p) against keys kj, in log2 units; masked -> -3e38.
fn masked(s: vec4<f32>, p: u32, kj: vec4<u32>, scale2: f32) -> vec4<f32> {
  let pv = vec4<u32>(p);
  let ok = (kj <= pv) & ((pv - kj) < vec4<u32>(P.window));
  return select(vec4<f32>(-3.0e38), s * scale2, ok);
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  // Grid (H, query tiles), last tile first: the tiles with the most keys start first.
  let h = wid.x;
  let q0 = (P.T + 63u) / 64u * 64u - 64u - wid.y * 64u;
  let g = h / (P.H / P.G);
  let tx = lid.x;
  let ty = lid.y;
  let pFirst = P.pos0 + q0;
  let pLast = P.pos0 + min(q0 + 63u, P.T - 1u);
  var lo = 0u;
  if (pFirst + 1u > P.window) { lo = pFirst + 1u - P.window; }
  let scale2 = P.scale * LOG2E;  // exp(x) = exp2(x * log2 e)
  let p0 = pFirst + ty * 4u;    // this thread's query rows p0 .. p0 + 3

  var m = vec4<f32>(-3.0e38);  // running row max (log2 units), rows p0 .. p0 + 3
  var l = vec4<f32>(0.0);      // this thread's share of the running row sums (its keys only)
  var o0a = vec4<f32>(0.0);    // o<row><dim vec4 tx + 16 * (a, b, c, d)>
  var o1a = vec4<f32>(0.0);
  var o2a = vec4<f32>(0.0);
  var o3a = vec4<f32>(0.0);
  var o0b = vec4<f32>(0.0);
  var o1b = vec4<f32>(0.0);
  var o2b = vec4<f32>(0.0);
  var o3b = vec4<f32>(0.0);
  var o0c = vec4<f32>(0.0);
  var o1c = vec4<f32>(0.0);
  var o2c = vec4<f32>(0.0);
  var o3c = vec4<f32>(0.0);
  var o0d = vec4<f32>(0.0);
  var o1d = vec4<f32>(0.0);
  var o2d = vec4<f32>(0.0);
  var o3d = vec4<f32>(0.0);

  var st = loadQK(li, q0, h, g, lo, lo % P.cap, pLast, 0u);
  for (var kb = lo; kb <= pLast; kb += 64u) {
    let slot0 = kb % P.cap;  // cache slot of key kb
    // ---- S = Q K^T: s<i> = query p0 + i against keys kb + tx + 16 * (0, 1, 2, 3) ----
    var s0 = vec4<f32>(0.0);
    var s1 = vec4<f32>(0.0);
    var s2 = vec4<f32>(0.0);
    var s3 = vec4<f32>(0.0);
    for (var d0 = 0u; d0 < HD; d0 += 16u) {
      workgroupBarrier();  // the previous stage's reads of kv are done
      storeQK(li, st);
      workgroupBarrier();
      if (d0 + 16u < HD) {
        st = loadQK(li, q0, h, g, kb, slot0, pLast, d0 + 16u);
      } else {
        st = loadV(li, g, kb, slot0, pLast, 0u);
      }
      for (var d = 0u; d < 16u; d++) {
        let a = kv[d * QR + ty];
        let b = kv[KOFF + d * QR + tx];
        s0 = fma(vec4<f32>(a.x), b, s0);
        s1 = fma(vec4<f32>(a.y), b, s1);
        s2 = fma(vec4<f32>(a.z), b, s2);
        s3 = fma(vec4<f32>(a.w), b, s3);
      }
    }
    // ---- online softmax over this tile's keys ----
    // Every row has a visible key in the first tile (key lo + row, or key 0), so m is finite
    // from then on and masked scores give exp2(-3e38 - m) = 0.
    let kj = vec4<u32>(kb + tx) + vec4<u32>(0u, 16u, 32u, 48u);
    s0 = masked(s0, p0, kj, scale2);
    s1 = masked(s1, p0 + 1u, kj, scale2);
    s2 = masked(s2, p0 + 2u, kj, scale2);
    s3 = masked(s3, p0 + 3u, kj, scale2);
    red[li] = vec4<f32>(hmax(s0), hmax(s1), hmax(s2), hmax(s3));
    workgroupBarrier();
    var tmax = red[ty * 16u];
    for (var k = 1u; k < 16u; k++) { tmax = max(tmax, red[ty * 16u + k]); }
    let mNew = max(m, tmax);
    let corr = exp2(m - mNew);
    m = mNew;
    let e0 = exp2(s0 - vec4<f32>(mNew.x));
    let e1 = exp2(s1 - vec4<f32>(mNew.y));
    let e2 = exp2(s2 - vec4<f32>(mNew.z));
    let e3 = exp2(s3 - vec4<f32>(mNew.w));
    // Row sums stay per thread (the correction is the same for all threads of a row) and are
    // added across the row once at the end.
    l = l * corr + vec4<f32>(hsum(e0), hsum(e1), hsum(e2), hsum(e3));
    // P [key][query vec4]: key tx + 16 j gets the j-th components of e0..e3.
    ps[tx * QR + ty] = vec4<f32>(e0.x, e1.x, e2.x, e3.x);
    ps[(tx + 16u) * QR + ty] = vec4<f32>(e0.y, e1.y, e2.y, e3.y);
    ps[(tx + 32u) * QR + ty] = vec4<f32>(e0.z, e1.z, e2.z, e3.z);
    ps[(tx + 48u) * QR + ty] = vec4<f32>(e0.w, e1.w, e2.w, e3.w);
    o0a *= corr.x;
    o1a *= corr.y;
    o2a *= corr.z;
    o3a *= corr.w;
    if (DV >= 2u) {
      o0b *= corr.x;
      o1b *= corr.y;
      o2b *= corr.z;
      o3b *= corr.w;
    }
    if (DV >= 4u) {
      o0c *= corr.x;
      o1c *= corr.y;
      o2c *= corr.z;
      o3c *= corr.w;
      o0d *= corr.x;
      o1d *= corr.y;
      o2d *= corr.z;
      o3d *= corr.w;
    }
    // ---- O += P V, V staged VK keys at a time ----
    for (var v0 = 0u; v0 < 64u; v0 += VK) {
      workgroupBarrier();  // reads of kv (previous stage) done; P written
      kv[li] = st.a;
      kv[li + 256u] = st.b;
      workgroupBarrier();
      if (v0 + VK < 64u) {
        st = loadV(li, g, kb, slot0, pLast, v0 + VK);
      } else if (kb + 64u <= pLast) {
        st = loadQK(li, q0, h, g, kb + 64u, (kb + 64u) % P.cap, pLast, 0u);
      }
      for (var k = 0u; k < VK; k++) {
        let a = ps[(v0 + k) * QR + ty];
        let base = k * H4 + tx;
        let b0 = kv[base];
        o0a = fma(vec4<f32>(a.x), b0, o0a);
        o1a = fma(vec4<f32>(a.y), b0, o1a);
        o2a = fma(vec4<f32>(a.z), b0, o2a);
        o3a = fma(vec4<f32>(a.w), b0, o3a);
        if (DV >= 2u) {
          let b1 = kv[base + 16u];
          o0b = fma(vec4<f32>(a.x), b1, o0b);
          o1b = fma(vec4<f32>(a.y), b1, o1b);
          o2b = fma(vec4<f32>(a.z), b1, o2b);
          o3b = fma(vec4<f32>(a.w), b1, o3b);
        }
        if (DV >= 4u) {
          let b2 = kv[base + 32u];
          let b3 = kv[base + 48u];
          o0c = fma(vec4<f32>(a.x), b2, o0c);
          o1c = fma(vec4<f32>(a.y), b2, o1c);
          o2c = fma(vec4<f32>(a.z), b2, o2c);
          o3c = fma(vec4<f32>(a.w), b2, o3c);
          o0d = fma(vec4<f32>(a.x), b3, o0d);
          o1d = fma(vec4<f32>(a.y), b3, o1d);
          o2d = fma(vec4<f32>(a.z), b3, o2d);
          o3d = fma(vec4<f32>(a.w), b3, o3d);
        }
      }
    }
  }
  // Row sums across the 16 threads of each row.
  workgroupBarrier();
  red[li] = l;
  workgroupBarrier();
  var lt = red[ty * 16u];
  for (var k = 1u; k < 16u; k++) { lt += red[ty * 16u + k]; }
  let inv = 1.0 / lt;
  let t0 = q0 + ty * 4u;
  let rowV = P.H * HD / 4u;  // vec4s per output row
  let col = h * HD / 4u + tx;
  if (t0 < P.T) { put(t0 * rowV + col, o0a * inv.x, o0b * inv.x, o0c * inv.x, o0d * inv.x, tx); }
  if (t0 + 1u < P.T) { put((t0 + 1u) * rowV + col, o1a * inv.y, o1b * inv.y, o1c * inv.y, o1d * inv.y, tx); }
  if (t0 + 2u < P.T) { put((t0 + 2u) * rowV + col, o2a * inv.z, o2b * inv.z, o2c * inv.z, o2d * inv.z, tx); }
  if (t0 + 3u < P.T) { put((t0 + 3u) * rowV + col, o3a * inv.w, o3b * inv.w, o3c * inv.w, o3d * inv.w, tx); }
}

// One output row's dims of this thread: vec4s tx + 16 * (0, 1, 2, 3), inside the head only.
fn put(i: u32, a: vec4<f32>, b: vec4<f32>, c: vec4<f32>, d: vec4<f32>, tx: u32) {
  if (tx < HD / 4u) { out[i] = a; }
  if (DV >= 2u && tx + 16u < HD / 4u) { out[i + 16u] = b; }
  if (DV >= 4u) {
    if (tx + 32u < HD / 4u) { out[i + 32u] = c; }
    if (tx + 48u < HD / 4u) { out[i + 48u] = d; }
  }
}
