// Causal attention of one query token and one head per workgroup, over the keys in its window
// (sliding window; full attention is window = capacity), GQA: query head h reads key/value head
// h / (H / G). Keys of this chunk are read from the (RoPE'd) qkv rows, older keys from the
// ring-buffer cache (position p in slot p % cap). 64 keys per step: each thread scores one key,
// then an online softmax (running max and sum) rescales the accumulated output, so any number
// of keys takes one pass. head_dim <= 256.
// The engine runs it only for head dims that are not a multiple of 4 (prompts and decoding,
// nSplit = 1, output written directly); attention_tiled.wgsl and attention_decode.wgsl (vec4
// loads) serve the others. The keys can also be split into nSplit ranges (grid z), each writing
// its partial (max, sum, output) to `part` as [T, H, nSplit, hd + 2]; note that
// attn_combine.wgsl now reads attention_decode.wgsl's layout, not this one.
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
  splitLen: u32,  // keys per split (a multiple of 64)
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> qkv: array<f32>;
@group(0) @binding(2) var<storage, read> kc: array<f32>;  // [cap, G*hd]
@group(0) @binding(3) var<storage, read> vc: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;  // [T, H*hd]
@group(0) @binding(5) var<storage, read_write> part: array<f32>; // [T, H, nSplit, hd + 2]

const WG: u32 = 64u;
const MAXHD: u32 = 256u;
var<workgroup> qs: array<f32, MAXHD>;
var<workgroup> ps: array<f32, WG>;
var<workgroup> red: array<f32, WG>;

// Where key/value j (absolute position) lives: chunk rows or cache slots.
fn kvIndex(j: u32, g: u32, isValue: bool) -> u32 {
  let kvDim = P.G * P.hd;
  if (j >= P.pos0) {
    var col = (P.H + g) * P.hd;
    if (isValue) { col += kvDim; }
    return (j - P.pos0) * P.qkvStride + col;
  }
  return (j % P.cap) * kvDim + g * P.hd;
}

fn readK(j: u32, g: u32, i: u32) -> f32 {
  if (j >= P.pos0) { return qkv[kvIndex(j, g, false) + i]; }
  return kc[kvIndex(j, g, false) + i];
}

fn readV(j: u32, g: u32, i: u32) -> f32 {
  if (j >= P.pos0) { return qkv[kvIndex(j, g, true) + i]; }
  return vc[kvIndex(j, g, true) + i];
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let h = wid.x;
  let t = wid.y;
  let g = h / (P.H / P.G);
  let p = P.pos0 + t;
  var lo = 0u;
  if (p + 1u > P.window) { lo = p + 1u - P.window; }
  let sp = wid.z;
  let first = lo + sp * P.splitLen;  // this split's keys: [first, last]
  let last = min(p, first + P.splitLen - 1u);
  for (var i = li; i < P.hd; i += WG) { qs[i] = qkv[t * P.qkvStride + h * P.hd + i]; }
  workgroupBarrier();

  var m = -3.0e38;  // running max (same in every thread)
  var l = 0.0;            // running sum of exp
  var acc: array<f32, 4>; // output dims li, li + 64, ...
  for (var j0 = first; j0 <= last; j0 += WG) {
    let j = j0 + li;
    var s = -3.0e38;
    if (j <= last) {
      var dot = 0.0;
      for (var i = 0u; i < P.hd; i++) { dot += qs[i] * readK(j, g, i); }
      s = dot * P.scale;
    }
    red[li] = s;
    workgroupBarrier();
    for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
      if (li < stride) { red[li] = max(red[li], red[li + stride]); }
      workgroupBarrier();
    }
    let mNew = max(m, red[0]);
    let corr = exp(m - mNew);
    var e = 0.0;
    if (j <= last) { e = exp(s - mNew); }
    workgroupBarrier();
    ps[li] = e;
    red[li] = e;
    workgroupBarrier();
    for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
      if (li < stride) { red[li] += red[li + stride]; }
      workgroupBarrier();
    }
    l = l * corr + red[0];
    m = mNew;
    let nKeys = min(WG, last + 1u - j0);
    for (var k = 0u; k < 4u; k++) {
      let i = li + k * WG;
      if (i < P.hd) {
        var a = acc[k] * corr;
        for (var jj = 0u; jj < nKeys; jj++) { a += ps[jj] * readV(j0 + jj, g, i); }
        acc[k] = a;
      }
    }
    workgroupBarrier();
  }
  if (P.nSplit == 1u) {
    for (var k = 0u; k < 4u; k++) {
      let i = li + k * WG;
      if (i < P.hd) { out[t * P.H * P.hd + h * P.hd + i] = acc[k] / l; }
    }
    return;
  }
  // Partial result; an empty split (first > last) leaves l = 0 and is ignored by the merge.
  let pb = ((t * P.H + h) * P.nSplit + sp) * (P.hd + 2u);
  if (li == 0u) {
    part[pb] = m;
    part[pb + 1u] = l;
  }
  for (var k = 0u; k < 4u; k++) {
    let i = li + k * WG;
    if (i < P.hd) { part[pb + 2u + i] = acc[k]; }
  }
}
