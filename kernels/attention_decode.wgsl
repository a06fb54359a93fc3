// Attention of a few query tokens (decoding, T <= 4) over a long key range, GQA-aware
// flash-decoding. One workgroup per (KV head g, group of up to 4 of its query heads, key split,
// query token): the keys and values of head g are read from memory once for the whole group
// (4 query heads per KV head read 4x less than one workgroup per query head), and the key range
// is split so that enough workgroups stream memory at once; attn_combine.wgsl merges the splits.
// Keys of this chunk come from the RoPE'd qkv rows, older ones from the ring-buffer cache
// (position p in slot p % cap), as in attention.wgsl.
// Per block of 64 keys:
//   1. K block -> workgroup memory, coalesced vec4 loads (consecutive threads read consecutive
//      16 bytes of one key row), 64 head dims at a time (17 KiB of workgroup memory: lavapipe
//      allows 32 KiB in all, and a smaller footprint lets more workgroups share an SM).
//   2. One thread per (key, query row) dots its key with the (pre-scaled) query.
//   3. Block max per row from workgroup memory, online-softmax correction, P -> workgroup memory.
//   4. P V: thread (dims vec4 c, key slot kp) reads V rows directly (coalesced vec4) for keys
//      kp, kp + KP, ... (loaded at the start of the block) and keeps the 4 rows' outputs in
//      named registers o0..o3.
// Row sums stay per thread and the KP key slots' outputs are added once at the end.
// Per-thread arrays are indexed only in loops of a constant trip count, which unroll into
// registers (otherwise they go to slow local memory on NVIDIA).
// Needs head_dim % 4 == 0 and <= 256 (the engine uses attention.wgsl otherwise).
const HD: u32 = __HD__u;
const NL: u32 = HD / 4u;                   // vec4s per key row
const KD: u32 = min(NL, 16u);              // vec4s of each key staged at a time (64 dims)
const NKS: u32 = (NL + KD - 1u) / KD;      // K stages per block: 2 for head_dim 128
const QP: u32 = NKS * KD;                  // vec4s per staged query row (zero padded)
const KPITCH: u32 = KD | 1u;               // odd row pitch: conflict-free reads of 8 key rows
const KB: u32 = 64u;                       // keys per block
const KI: u32 = (KB * KD + 255u) / 256u;   // K staging loads per thread and stage
// Lanes of the P V phase: NL rounded up to a power of two (at least 4, so a slot has keys).
const NLP: u32 = select(select(select(select(64u, 32u, NL <= 32u), 16u, NL <= 16u), 8u, NL <= 8u), 4u, NL <= 4u);
const KP: u32 = 256u / NLP;                // key slots of the P V phase
const KSZ: u32 = max(KB * KPITCH, 1024u);  // also holds the 256 threads' 4 output rows at the end
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
  nSplit: u32,
  splitLen: u32,  // keys per split (a multiple of 64 when nSplit > 1)
  R: u32,         // query heads per KV head (H / G)
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> qkv: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> kc: array<vec4<f32>>;  // [cap, G*hd]
@group(0) @binding(3) var<storage, read> vc: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> out: array<vec4<f32>>;   // [T, H*hd]
// Partials (nSplit > 1): acc [T, H, nSplit, hd], then (max, sum) pairs [T, H, nSplit].
@group(0) @binding(5) var<storage, read_write> part: array<vec4<f32>>;

var<workgroup> qs: array<vec4<f32>, 4u * QP>;  // 4 query rows, scaled by scale * log2 e
var<workgroup> ks: array<vec4<f32>, KSZ>;      // K block [key][KPITCH]; at the end outputs
var<workgroup> sc: array<vec4<f32>, 64>;       // scores [row][key], at the end row-sum shares
var<workgroup> ps: array<vec4<f32>, KB>;       // P [key][row]
var<workgroup> cs: vec4<f32>;                  // per-row correction, at the end row max

// Cache slot of key kb + k, given slot0 = kb % cap: the cached keys of one block span fewer than
// cap positions, so one conditional subtraction replaces a modulo per load.
fn slot(slot0: u32, k: u32) -> u32 {
  let s = slot0 + k;
  return select(s, s - P.cap, s >= P.cap);
}

// Key/value kb + k (absolute position), dims 4*d4..4*d4+3 of KV head g.
fn readK(kb: u32, slot0: u32, k: u32, g: u32, d4: u32) -> vec4<f32> {
  let j = kb + k;
  if (j >= P.pos0) { return qkv[((j - P.pos0) * P.qkvStride + (P.H + g) * HD) / 4u + d4]; }
  return kc[(slot(slot0, k) * P.G + g) * NL + d4];
}

fn readV(kb: u32, slot0: u32, k: u32, g: u32, d4: u32) -> vec4<f32> {
  let j = kb + k;
  if (j >= P.pos0) { return qkv[((j - P.pos0) * P.qkvStride + (P.H + P.G + g) * HD) / 4u + d4]; }
  return vc[(slot(slot0, k) * P.G + g) * NL + d4];
}

fn hmax(v: vec4<f32>) -> f32 { return max(max(v.x, v.y), max(v.z, v.w)); }
fn hsum(v: vec4<f32>) -> f32 { return (v.x + v.y) + (v.z + v.w); }

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let RG = (P.R + 3u) / 4u;
  let g = wid.x / RG;
  let r0 = (wid.x % RG) * 4u;  // first query head of the group, relative to g * R
  let sp = wid.y;
  let t = wid.z;
  let p = P.pos0 + t;
  var lo = 0u;
  if (p + 1u > P.window) { lo = p + 1u - P.window; }
  let first = lo + sp * P.splitLen;  // this split's keys: [first, last], all visible to p
  let last = min(p, first + P.splitLen - 1u);

  let scale2 = P.scale * LOG2E;  // scores in log2 units: exp(x) = exp2(x * log2 e)
  for (var i = li; i < 4u * QP; i += 256u) {
    let r = i / QP;
    let c = i % QP;
    var q = vec4<f32>(0.0);
    if (r0 + r < P.R && c < NL) { q = qkv[(t * P.qkvStride + (g * P.R + r0 + r) * HD) / 4u + c] * scale2; }
    qs[i] = q;
  }

  let key = li % KB;  // scores: key and query row of this thread
  let row = li / KB;
  let c = li % NLP;   // P V: dims vec4 and key slot of this thread
  let kp = li / NLP;
  var m = -3.0e38;    // running max of row `row` (the same in all its threads)
  var lt = 0.0;       // this thread's share of that row's running sum
  var o0 = vec4<f32>(0.0);
  var o1 = vec4<f32>(0.0);
  var o2 = vec4<f32>(0.0);
  var o3 = vec4<f32>(0.0);

  for (var kb = first; kb <= last; kb += KB) {
    let slot0 = kb % P.cap;  // cache slot of key kb
    // This thread's values of the block (step 4), loaded first so they arrive while the keys
    // are staged and scored: one memory latency per block instead of two.
    var vv: array<vec4<f32>, KB / KP>;
    for (var i = 0u; i < KB / KP; i++) {
      let k = kp + KP * i;
      var v = vec4<f32>(0.0);
      if (c < NL && kb + k <= last) { v = readV(kb, slot0, k, g, c); }
      vv[i] = v;
    }
    var s = 0.0;
    for (var st = 0u; st < NKS; st++) {
      workgroupBarrier();  // previous reads of ks done
      for (var i = 0u; i < KI; i++) {
        let idx = li + 256u * i;
        if (idx < KB * KD) {
          let kk = idx / KD;
          let cc = idx % KD;
          var kv = vec4<f32>(0.0);
          if (kb + kk <= last && st * KD + cc < NL) { kv = readK(kb, slot0, kk, g, st * KD + cc); }
          ks[kk * KPITCH + cc] = kv;
        }
      }
      workgroupBarrier();
      for (var cc = 0u; cc < KD; cc++) {
        s += dot(qs[row * QP + st * KD + cc], ks[key * KPITCH + cc]);
      }
    }
    // The block's first key is <= last, so every row's block max is finite and masked keys
    // get exp2(-3e38 - m) = 0.
    if (kb + key > last) { s = -3.0e38; }
    sc[row * 16u + key / 4u][key % 4u] = s;
    workgroupBarrier();
    var bm = sc[row * 16u];
    for (var i = 1u; i < 16u; i++) { bm = max(bm, sc[row * 16u + i]); }
    let mNew = max(m, hmax(bm));
    let corr = exp2(m - mNew);
    m = mNew;
    let e = exp2(s - mNew);
    lt = lt * corr + e;
    ps[key][row] = e;
    if (key == 0u) { cs[row] = corr; }
    workgroupBarrier();
    let cr = cs;
    o0 *= cr.x;
    o1 *= cr.y;
    o2 *= cr.z;
    o3 *= cr.w;
    for (var i = 0u; i < KB / KP; i++) {
      let v = vv[i];
      let pk = ps[kp + KP * i];
      o0 = fma(vec4<f32>(pk.x), v, o0);
      o1 = fma(vec4<f32>(pk.y), v, o1);
      o2 = fma(vec4<f32>(pk.z), v, o2);
      o3 = fma(vec4<f32>(pk.w), v, o3);
    }
  }

  // Add up the key slots' outputs and the row sums. An empty split (first > last) gives
  // zeros and a sum of 0, which attn_combine skips.
  workgroupBarrier();
  ks[li * 4u] = o0;
  ks[li * 4u + 1u] = o1;
  ks[li * 4u + 2u] = o2;
  ks[li * 4u + 3u] = o3;
  sc[row * 16u + key / 4u][key % 4u] = lt;
  if (key == 0u) { cs[row] = m; }
  workgroupBarrier();
  if (li >= 4u * NLP) { return; }
  let r = li / NLP;
  let d4 = li % NLP;
  if (r0 + r >= P.R || d4 >= NL) { return; }
  var a = vec4<f32>(0.0);
  for (var k = 0u; k < KP; k++) { a += ks[(k * NLP + d4) * 4u + r]; }
  var l4 = vec4<f32>(0.0);
  for (var i = 0u; i < 16u; i++) { l4 += sc[r * 16u + i]; }
  let L = hsum(l4);
  let h = g * P.R + r0 + r;
  if (P.nSplit == 1u) {
    out[(t * P.H + h) * NL + d4] = a / L;
    return;
  }
  let rec = (t * P.H + h) * P.nSplit + sp;
  part[rec * NL + d4] = a;
  if (d4 == 0u) {
    let sv = P.T * P.H * P.nSplit * NL + rec / 2u;
    let sc2 = (rec % 2u) * 2u;
    part[sv][sc2] = cs[r];
    part[sv][sc2 + 1u] = L;
  }
}
