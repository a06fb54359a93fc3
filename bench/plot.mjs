#!/usr/bin/env node
// Throughput-versus-length curves of the speed benchmarks, as PNG images for the documentation.
//
// usage: node bench/plot.mjs [--results bench/results] [--out docs/images]
//                            [--models samba-421m,transformer-421m] [--device h200]
//                            [--svg]   (also keep the .svg files next to the .png files)
//
// Reads every JSON line under --results (recursively) that bench/engine-speed.ts or
// training/bench_torch.py wrote (fields model, kind, tokens / context, tokensPerS, stateBytes,
// device, and optional version and engine), keeps the lines of the chosen models on one machine,
// and for each (model, engine) and figure (prefill, decode) keeps one version: of those that measured
// the most lengths, the one whose lines come last,
// files read in name order (the names begin with the date) and lines in file order. Then draws
//   prefill-throughput.png  prefill tokens/s by prompt length
//   decode-throughput.png   decode tokens/s by context length (greedy loop on the GPU, and with
//                           the logits read back every token)
//   state-memory.png        bytes held by the state (Samba: recurrent state + SWA window;
//                           transformer: KV cache) by length
// with a log-scale x axis, as SVG, rendered to PNG by headless Chromium (playwright-core).
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    results: { type: 'string', default: 'bench/results' },
    out: { type: 'string', default: 'docs/images' },
    models: { type: 'string', default: 'samba-421m,transformer-421m' },
    device: { type: 'string' },
    svg: { type: 'boolean', default: false },
  },
});
const MODELS = opt.models.split(',');

// ------------------------------------------------------------------------------------------
// Reading the results
// ------------------------------------------------------------------------------------------

function jsonlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...jsonlFiles(p));
    else if (name.endsWith('.jsonl')) out.push(p);
  }
  return out;
}

/** "nvidia nvidia-h200 NVIDIA: 580..." -> "NVIDIA H200"; "NVIDIA H200" (PyTorch's name) -> same. */
function machineName(device = '') {
  const d = device.toLowerCase();
  const m = d.match(/\b(h100|h200|a100|l40s|l4|b200|gh200)\b/);
  if (m) return `NVIDIA ${m[1].toUpperCase()}`;
  if (d.includes('llvmpipe')) return 'lavapipe (CPU)';
  if (d.includes('cpu')) return 'CPU';
  return device.split(' ').slice(0, 2).join(' ') || 'unknown';
}

const lines = [];
let order = 0;
for (const file of jsonlFiles(opt.results)) {
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (!text.trim()) continue;
    let r;
    try {
      r = JSON.parse(text);
    } catch {
      continue;
    }
    if (!MODELS.includes(r.model) || typeof r.tokensPerS !== 'number') continue;
    // engine-speed's lines (which carry stateBytes) and PyTorch's; not decode-profile's.
    if (!['prefill', 'decode', 'decode-argmax', 'decode-gpu'].includes(r.kind) || (!r.engine && r.stateBytes === undefined)) continue;
    r.engine ??= 'samba-code';
    r.version ??= relative(opt.results, file);
    r.machine = machineName(r.device);
    r.file = relative(opt.results, file);
    r.order = order++;
    lines.push(r);
  }
}
if (!lines.length) throw new Error(`no lines for ${MODELS.join(', ')} under ${opt.results}`);

// The machine: as asked, else the one of the newest line of the engine.
const machine = opt.device
  ? machineName(opt.device)
  : lines.filter((r) => r.engine === 'samba-code').at(-1)?.machine ?? lines.at(-1).machine;
const onMachine = lines.filter((r) => r.machine === machine);

// Per (model, engine) and figure, the newest of the versions that measured the most lengths: a
// later round may measure fewer (decoding only, or fewer prompt lengths).
const figureOf = (r) => (r.kind === 'prefill' ? 'prefill' : 'decode');
const lengths = new Map(); // key -> version -> Set of x
for (const r of onMachine) {
  const key = `${r.model}|${r.engine}|${figureOf(r)}`;
  if (!lengths.has(key)) lengths.set(key, new Map());
  const byVersion = lengths.get(key);
  if (!byVersion.has(r.version)) byVersion.set(r.version, new Set());
  byVersion.get(r.version).add(r.kind === 'prefill' ? r.tokens : r.context);
}
const newest = new Map();
for (const [key, byVersion] of lengths) {
  let best;
  for (const [version, xs] of byVersion) if (!best || xs.size >= best[1]) best = [version, xs.size]; // versions in line order
  newest.set(key, best[0]);
}
const chosen = onMachine.filter((r) => newest.get(`${r.model}|${r.engine}|${figureOf(r)}`) === r.version);
const sources = [...new Set(chosen.map((r) => r.file))];

// ------------------------------------------------------------------------------------------
// Series
// ------------------------------------------------------------------------------------------

const STYLE = {
  'samba-421m|samba-code': { color: '#1f77b4', label: 'Samba-421M, our engine' },
  'transformer-421m|samba-code': { color: '#d62728', label: 'GQA Transformer-421M, our engine' },
  'samba-421m|pytorch-eager': { color: '#6baed6', label: 'Samba-421M, PyTorch eager', dash: '7 4' },
  'transformer-421m|pytorch-eager': { color: '#fc9272', label: 'Transformer-421M, PyTorch eager', dash: '7 4' },
  'samba-421m|pytorch-compile': { color: '#08519c', label: 'Samba-421M, PyTorch torch.compile', dash: '2 3' },
  'transformer-421m|pytorch-compile': { color: '#a50f15', label: 'Transformer-421M, PyTorch torch.compile', dash: '2 3' },
};
const styleOf = (key) => STYLE[key] ?? { color: '#555', label: key.replace('|', ', ') };

/** Points {x, y} of one (model, engine) from the chosen lines; the last line wins at equal x. */
function series(filter, xOf, yOf) {
  const out = new Map();
  for (const r of chosen.filter(filter)) {
    const key = `${r.model}|${r.engine}`;
    if (!out.has(key)) out.set(key, new Map());
    out.get(key).set(xOf(r), yOf(r));
  }
  return [...out].map(([key, pts]) => ({
    key,
    ...styleOf(key),
    points: [...pts].map(([x, y]) => ({ x, y })).sort((a, b) => a.x - b.x),
  }));
}

// Decode lines carry the context at which decoding started after a prefill of n tokens
// (decode: n; decode-argmax: n + m; decode-gpu: n + 2m, m = 32): plot them at n.
const decodeAt = (r) => r.context - (r.kind === 'decode-gpu' ? 2 * r.tokens : r.kind === 'decode-argmax' ? r.tokens : 0);

// ------------------------------------------------------------------------------------------
// SVG chart
// ------------------------------------------------------------------------------------------

const fmtLen = (n) => (n >= 1024 && n % 1024 === 0 ? `${n / 1024}K` : String(n));
function fmtNum(v) {
  if (v >= 1e9) return `${+(v / 1e9).toPrecision(3)}G`;
  if (v >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (v >= 1e3) return `${+(v / 1e3).toPrecision(3)}K`;
  if (v >= 100) return Math.round(v).toLocaleString('en-US');
  return String(+v.toPrecision(3));
}
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceStep(span, n = 6) {
  const raw = span / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw);
}

/**
 * chart({title, subtitle, xLabel, yLabel, yLog, yFmt, series, notes}) -> SVG text.
 * x axis log2, ticks at the lengths present; y linear from 0 (or log10).
 */
function chart({ title, subtitle, xLabel, yLabel, yLog = false, yFmt = fmtNum, series: ss, notes = [], labelPoints = true }) {
  const W = 1100;
  const cols = Math.max(...ss.map((s) => s.label.length)) * 8 + 60 < (W - 140) / 2 ? 2 : 1;
  const legendRows = Math.ceil(ss.length / cols);
  const M = { left: 100, right: 40, top: 86, bottom: 80 + 24 * legendRows + 12 + 18 * notes.length };
  const H = M.top + 470 + M.bottom;
  const pw = W - M.left - M.right, ph = H - M.top - M.bottom;
  const xs = [...new Set(ss.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const ys = ss.flatMap((s) => s.points.map((p) => p.y));
  const x0 = Math.log2(xs[0]) - 0.35, x1 = Math.log2(xs.at(-1)) + 0.35;
  const X = (x) => M.left + ((Math.log2(x) - x0) / (x1 - x0)) * pw;
  let Y, yTicks;
  if (yLog) {
    const lo = Math.floor(Math.log10(Math.min(...ys)) - 0.05), hi = Math.ceil(Math.log10(Math.max(...ys)) + 0.05);
    Y = (y) => M.top + ph - ((Math.log10(y) - lo) / (hi - lo)) * ph;
    yTicks = [];
    for (let e = lo; e <= hi; e++) for (const m of [1, 2, 5]) if (e + Math.log10(m) <= hi) yTicks.push(m * 10 ** e);
  } else {
    const top = Math.max(...ys) * 1.12;
    const step = niceStep(top);
    const yMax = Math.ceil(top / step) * step;
    Y = (y) => M.top + ph - (y / yMax) * ph;
    yTicks = [];
    for (let v = 0; v <= yMax + step / 2; v += step) yTicks.push(v);
  }
  const o = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif">`);
  o.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  o.push(`<text x="${W / 2}" y="34" text-anchor="middle" font-size="23" font-weight="bold">${esc(title)}</text>`);
  o.push(`<text x="${W / 2}" y="62" text-anchor="middle" font-size="15" fill="#444">${esc(subtitle)}</text>`);
  // grid and ticks
  for (const v of yTicks) {
    const y = Y(v);
    o.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${y}" y2="${y}" stroke="#e3e3e3"/>`);
    o.push(`<text x="${M.left - 10}" y="${y + 5}" text-anchor="end" font-size="14" fill="#333">${esc(yFmt(v))}</text>`);
  }
  for (const x of xs) {
    const px = X(x);
    o.push(`<line x1="${px}" x2="${px}" y1="${M.top}" y2="${M.top + ph}" stroke="#eeeeee"/>`);
    o.push(`<text x="${px}" y="${M.top + ph + 22}" text-anchor="middle" font-size="14" fill="#333">${fmtLen(x)}</text>`);
  }
  o.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  o.push(`<text x="${M.left + pw / 2}" y="${M.top + ph + 52}" text-anchor="middle" font-size="16">${esc(xLabel)}</text>`);
  o.push(`<text transform="translate(26 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="16">${esc(yLabel)}</text>`);
  notes.forEach((n, i) => o.push(`<text x="${M.left}" y="${M.top + ph + 80 + 24 * legendRows + 14 + 18 * i}" font-size="12.5" fill="#555">${esc(n)}</text>`));
  // series
  const labels = [];
  for (const s of ss) {
    const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join(' ');
    o.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="3" ${s.dash ? `stroke-dasharray="${s.dash}"` : ''}/>`);
    for (const p of s.points) {
      o.push(`<circle cx="${X(p.x).toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="5" fill="${s.color}" stroke="white" stroke-width="1.5"/>`);
      if (labelPoints) labels.push({ x: p.x, y: Y(p.y) + 4.5, text: yFmt(p.y), color: s.color });
    }
  }
  // value labels right of the points: at each x, pushed apart vertically so that none overlaps another
  for (const x of xs) {
    const at = labels.filter((l) => l.x === x).sort((a, b) => a.y - b.y);
    for (let i = 1; i < at.length; i++) at[i].y = Math.max(at[i].y, at[i - 1].y + 14);
    for (const l of at) {
      o.push(`<rect x="${(X(x) + 7).toFixed(1)}" y="${(l.y - 12).toFixed(1)}" width="${l.text.length * 7.6 + 4}" height="15" fill="white" fill-opacity="0.9"/>`);
      o.push(`<text x="${(X(x) + 9).toFixed(1)}" y="${l.y.toFixed(1)}" font-size="13" fill="${l.color}" stroke="white" stroke-width="3" paint-order="stroke">${esc(l.text)}</text>`);
    }
  }
  // legend below the x axis label, in two columns if the labels are short enough
  ss.forEach((s, i) => {
    const lx = M.left + (i % cols) * (pw / 2), y = M.top + ph + 86 + Math.floor(i / cols) * 24;
    o.push(`<line x1="${lx}" x2="${lx + 36}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="3" ${s.dash ? `stroke-dasharray="${s.dash}"` : ''}/>`);
    o.push(`<circle cx="${lx + 18}" cy="${y}" r="4.5" fill="${s.color}"/>`);
    o.push(`<text x="${lx + 44}" y="${y + 5}" font-size="14.5">${esc(s.label)}</text>`);
  });
  o.push('</svg>');
  return o.join('\n');
}

// ------------------------------------------------------------------------------------------
// The three charts
// ------------------------------------------------------------------------------------------

const setup = 'our engine: WebGPU (Dawn, Vulkan); random weights, f16 storage, batch 1';
// Source files, a few per note line so the line fits the chart's width.
const src = [];
for (const [i, f] of sources.entries()) {
  const item = `bench/results/${f}${i === sources.length - 1 ? '.' : ','}`;
  if (!src.length || src.at(-1).length + item.length > 140) src.push(i === 0 ? `Source: ${item}` : item);
  else src[src.length - 1] += ` ${item}`;
}
const charts = [];

const prefill = series((r) => r.kind === 'prefill', (r) => r.tokens, (r) => r.tokensPerS);
if (prefill.length) {
  const ratioNotes = ratioNote(prefill, 'Samba / Transformer prefill');
  charts.push({
    name: 'prefill-throughput',
    svg: chart({
      title: `Prefill throughput by prompt length, ${machine}`,
      subtitle: `${setup}; one prompt of N tokens from an empty state`,
      xLabel: 'prompt length (tokens, log scale)',
      yLabel: 'prefill throughput (tokens/s)',
      series: prefill,
      notes: [...ratioNotes, ...missingNote(prefill), ...src],
    }),
  });
}

const decode = [
  ...series((r) => r.kind === 'decode-gpu', decodeAt, (r) => r.tokensPerS).map((s) => ({ ...s, label: `${s.label}, greedy loop on the GPU` })),
  ...series((r) => r.kind === 'decode' && r.engine === 'samba-code', decodeAt, (r) => r.tokensPerS).map((s) => ({
    ...s,
    label: `${s.label}, logits read back per token`,
    dash: '8 5',
    color: s.color === '#1f77b4' ? '#7fb2da' : '#ee8e8f',
  })),
  ...series((r) => r.kind === 'decode' && r.engine !== 'samba-code', decodeAt, (r) => r.tokensPerS),
];
if (decode.length) {
  const gpu = decode.filter((s) => s.label.endsWith('on the GPU'));
  const generated = [...new Set(chosen.filter((r) => r.kind === 'decode-gpu' && r.engine === 'samba-code').map((r) => r.tokens))].join(' or ');
  charts.push({
    name: 'decode-throughput',
    svg: chart({
      title: `Decode throughput by context length, ${machine}`,
      subtitle: `${setup}; ${generated} tokens generated after a prompt of N tokens`,
      xLabel: 'context length (tokens, log scale)',
      yLabel: 'decode throughput (tokens/s, log scale)',
      yLog: true,
      series: decode,
      notes: [...ratioNote(gpu, 'Samba / Transformer decode (greedy loop on the GPU)'), ...src],
    }),
  });
}

const mem = series((r) => r.kind === 'prefill' && r.engine === 'samba-code' && r.stateBytes > 0, (r) => r.tokens, (r) => r.stateBytes).map((s) => ({
  ...s,
  label: s.key.startsWith('samba')
    ? 'Samba-421M: 6 Mamba states + 6 SWA caches of 2,048 slots'
    : 'Transformer-421M: KV cache of 12 layers x 4 KV heads',
}));
if (mem.length) {
  const gb = (v) => (v >= 1e9 ? `${+(v / 1e9).toPrecision(3)} GB` : `${+(v / 1e6).toPrecision(3)} MB`);
  charts.push({
    name: 'state-memory',
    svg: chart({
      title: `Memory held by the state by length, ${machine}`,
      subtitle: 'f32 state (recurrent state and KV cache), batch 1; weights not included',
      xLabel: 'context length (tokens, log scale)',
      yLabel: 'state memory (bytes, log scale)',
      yLog: true,
      yFmt: gb,
      series: mem,
      notes: [...src],
    }),
  });
}

function missingNote(ss) {
  const xs = [...new Set(ss.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const out = [];
  for (const s of ss) {
    const miss = xs.filter((x) => !s.points.some((p) => p.x === x));
    if (miss.length) out.push(`${s.label}: not measured at ${miss.map(fmtLen).join(', ')}.`);
  }
  return out;
}

function ratioNote(ss, what) {
  const a = ss.find((s) => s.key === 'samba-421m|samba-code');
  const b = ss.find((s) => s.key === 'transformer-421m|samba-code');
  if (!a || !b) return [];
  const parts = [];
  for (const p of a.points) {
    const q = b.points.find((t) => t.x === p.x);
    if (q) parts.push(`${fmtLen(p.x)}: ${(p.y / q.y).toFixed(2)}x`);
  }
  return parts.length ? [`${what}, our engine: ${parts.join(', ')}.`] : [];
}

// ------------------------------------------------------------------------------------------
// Rendering
// ------------------------------------------------------------------------------------------

const { chromium } = await import('playwright-core');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  mkdirSync(opt.out, { recursive: true });
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const c of charts) {
    if (opt.svg) writeFileSync(join(opt.out, `${c.name}.svg`), c.svg + '\n');
    await page.setContent(`<!doctype html><html><body style="margin:0;background:white">${c.svg}</body></html>`);
    const el = await page.$('svg');
    const file = join(opt.out, `${c.name}.png`);
    await el.screenshot({ path: file });
    console.log(`${file}: ${c.name}, ${machine}`);
  }
} finally {
  await browser.close();
}
for (const [k, v] of newest) console.log(`  ${k.replaceAll("|", " / ")}: version "${v}"`);
