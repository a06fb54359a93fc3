// What choosing the in-window context block costs (src/completion/context-block.ts) on a synthetic
// workspace of N files (TypeScript, Python and Go modules importing each other):
//  - building the per-file indexes (ContextIndex from nothing), and re-indexing one changed file,
//  - one block per request at random cursors, p50/p95, with a count of tokens by characters (our
//    own cost) and with the model's tokenizer (what the extension pays),
//  - buildContextBlock called again with the same Map (the functional form's re-sync).
// usage: node out/bench/context-block-speed.js [--files 1000] [--requests 200] [--budget 1024] [--model DIR]
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { ContextIndex, buildContextBlock } from '../src/completion/context-block';
import { loadTokenizer } from '../src/model/tokenizer';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '1000' },
    requests: { type: 'string', default: '200' },
    budget: { type: 'string', default: '1024' },
    model: { type: 'string', default: path.resolve(__dirname, '../../models/default') },
  },
});

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(14);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length) ** 1 | 0];
/** A vocabulary with a Zipf-like use: a few words everywhere, most rare. */
const WORDS = Array.from({ length: 3000 }, (_, i) => ['user', 'order', 'item', 'cache', 'price', 'total', 'config', 'request', 'reply', 'store', 'event', 'token', 'parse', 'format', 'value', 'index'][i % 16] + (i < 16 ? '' : String(i)));
const word = () => WORDS[Math.floor(WORDS.length * rand() ** 3)];
const camel = (w: string) => w[0].toUpperCase() + w.slice(1);

function tsFile(i: number, n: number): string {
  const deps = Array.from({ length: 3 }, () => Math.floor(rand() * n));
  const lines = deps.map((d) => `import { fn${d}a, Service${d} } from '../m${d % 20}/f${d}';`);
  lines.push('', `export interface Shape${i} {`, ...Array.from({ length: 6 }, () => `  ${word()}: ${pick(['string', 'number', 'boolean', `Shape${deps[0]}`])};`), '}', '');
  lines.push(`export class Service${i} {`, `  private readonly ${word()} = new Map<string, number>();`);
  for (let m = 0; m < 6; m++) {
    lines.push(`  ${word()}${m}(${word()}: string, ${word()}: number): number {`);
    for (let k = 0; k < 8; k++) lines.push(`    const ${word()}${k} = ${word()}(${word()}, fn${pick(deps)}a(${word()})) + this.${word()}.size;`);
    lines.push(`    return ${word()}7;`, '  }', '');
  }
  lines.push('}', '');
  for (const s of ['a', 'b']) {
    lines.push(`export function fn${i}${s}(${word()}: string): number {`, ...Array.from({ length: 10 }, () => `  ${word()} = new Service${pick(deps)}().${word()}${Math.floor(rand() * 6)}(${word()}, ${Math.floor(rand() * 100)});`), '  return 0;', '}', '');
  }
  return lines.join('\n');
}

function pyFile(i: number, n: number): string {
  const deps = Array.from({ length: 3 }, () => Math.floor(rand() * n));
  const lines = deps.map((d) => `from pkg.p${d % 10}.f${d} import Service${d}, fn_${d}`);
  lines.push('', '', `class Service${i}:`, `    def __init__(self, ${word()}):`, `        self.${word()} = ${word()}`, '');
  for (let m = 0; m < 6; m++) {
    lines.push(`    def ${word()}_${m}(self, ${word()}, ${word()}=None):`, ...Array.from({ length: 8 }, () => `        ${word()} = fn_${pick(deps)}(${word()}, self.${word()})`), `        return ${word()}`, '');
  }
  lines.push('', `def fn_${i}(${word()}, ${word()}):`, ...Array.from({ length: 10 }, () => `    ${word()} = Service${pick(deps)}(${word()}).${word()}_${Math.floor(rand() * 6)}(${word()})`), '    return None', '');
  return lines.join('\n');
}

function goFile(i: number, n: number): string {
  const deps = [...new Set(Array.from({ length: 3 }, () => Math.floor(rand() * 10)))].filter((d) => d !== i % 10);
  const lines = [`package p${i % 10}`, '', 'import (', '\t"fmt"', ...deps.map((d) => `\t"example.com/synth/p${d}"`), ')', ''];
  lines.push(`type ${camel(word())}${i} struct {`, ...Array.from({ length: 6 }, () => `\t${camel(word())} ${pick(['string', 'int', 'bool'])}`), '}', '');
  for (let m = 0; m < 6; m++) {
    lines.push(`func ${camel(word())}${i}x${m}(${word()} string) int {`, ...Array.from({ length: 8 }, () => `\t${word()} := p${pick(deps)}.${camel(word())}${Math.floor(rand() * n)}x${Math.floor(rand() * 6)}(${word()})`), `\tfmt.Println(${word()})`, '\treturn 0', '}', '');
  }
  return lines.join('\n');
}

const n = Number(values.files);
const files = new Map<string, string>();
files.set('go/go.mod', 'module example.com/synth\n\ngo 1.22\n');
for (let i = 0; files.size < n; i++) {
  const kind = i % 10;
  if (kind < 7) files.set(`src/m${i % 20}/f${i}.ts`, tsFile(i, n));
  else if (kind < 9) files.set(`pkg/p${i % 10}/f${i}.py`, pyFile(i, n));
  else files.set(`go/p${i % 10}/f${i}.go`, goFile(i, n));
}
const bytes = [...files.values()].reduce((a, t) => a + t.length, 0);
const lineCount = [...files.values()].reduce((a, t) => a + t.split('\n').length, 0);

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
/** CPU time of this process since `c0`, in ms: on a shared machine it moves less than the wall clock. */
const cpuMs = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const pct = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor((p / 100) * a.length))];

void (async () => {
  const tok = await loadTokenizer(values.model, 1 << 20);
  let t0 = process.hrtime.bigint();
  let c0 = process.cpuUsage();
  const index = new ContextIndex(files);
  // The first request also builds the inverted index of similar windows: count it with the build.
  index.block({ path: 'none.ts', text: 'x', cursorLine: 0, budgetTokens: 1, countTokens: (s) => s.length });
  const buildMs = ms(t0);
  const buildCpuMs = cpuMs(c0);

  const paths = [...files.keys()].filter((p) => !p.endsWith('go.mod'));
  const requests = Array.from({ length: Number(values.requests) }, () => {
    const p = pick(paths);
    const text = files.get(p)!;
    return { path: p, text, cursorLine: Math.floor(rand() * text.split('\n').length) };
  });
  const budgetTokens = Number(values.budget);
  const run = (countTokens: (s: string) => number) => {
    const times: number[] = [];
    const cpu: number[] = [];
    let snippets = 0;
    const whys: Record<string, number> = {};
    for (const r of requests) {
      const t = process.hrtime.bigint();
      const c = process.cpuUsage();
      const out = index.block({ ...r, budgetTokens, countTokens });
      times.push(ms(t));
      cpu.push(cpuMs(c));
      snippets += out.length;
      for (const s of out) whys[s.why] = (whys[s.why] ?? 0) + 1;
    }
    return { p50: +pct(times, 50).toFixed(2), p95: +pct(times, 95).toFixed(2), cpuP50: +pct(cpu, 50).toFixed(2), cpuP95: +pct(cpu, 95).toFixed(2), snippetsPerBlock: +(snippets / requests.length).toFixed(1), whys };
  };
  run((s) => Math.ceil(s.length / 3)); // warm-up
  const byChars = run((s) => Math.ceil(s.length / 3));
  const tokens = (s: string) => tok.encode(s).length;
  const byTokenizer = run(tokens);
  const byTokenizerAgain = run(tokens); // the same requests: counts kept by the index

  const one = paths[0];
  const edits: number[] = [];
  for (let k = 0; k < 20; k++) {
    t0 = process.hrtime.bigint();
    index.update(one, files.get(one)! + `\n// edit ${k}\n`);
    edits.push(ms(t0));
  }

  buildContextBlock({ ...requests[0], files, budgetTokens, countTokens: (s) => s.length });
  const resync: number[] = [];
  for (const r of requests.slice(0, 50)) {
    t0 = process.hrtime.bigint();
    buildContextBlock({ ...r, files, budgetTokens, countTokens: (s) => Math.ceil(s.length / 3) });
    resync.push(ms(t0));
  }

  console.log(
    JSON.stringify({
      files: files.size,
      mb: +(bytes / 1e6).toFixed(2),
      lines: lineCount,
      budgetTokens,
      indexBuildMs: +buildMs.toFixed(0),
      indexBuildCpuMs: +buildCpuMs.toFixed(0),
      loadAverage: +loadavg()[0].toFixed(1),
      updateOneFileMsP50: +pct(edits, 50).toFixed(2),
      blockMs: { countByChars: byChars, tokenizerFirst: byTokenizer, tokenizerCached: byTokenizerAgain },
      buildContextBlockSameMapMs: { p50: +pct(resync, 50).toFixed(2), p95: +pct(resync, 95).toFixed(2) },
    }),
  );
})();
