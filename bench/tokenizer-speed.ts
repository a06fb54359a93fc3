// Tokenizer throughput on real code: is the tokenizer fast enough to read a large workspace?
// Times @huggingface/tokenizers (the library) and the encoder the extension uses (src/model/bpe.ts)
// on the same texts, alternating, and counts the texts whose ids differ (must be 0).
// usage: node out/bench/tokenizer-speed.js [--model DIR] [--files DIR] [--max-mb N]
import { cliArgs } from '../src/cli-args';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { loadTokenizer } from '../src/model/tokenizer';

function codeFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) codeFiles(p, out);
    else if (/\.(ts|js|py|go|rs)$/.test(e.name) && statSync(p).size < 2_000_000) out.push(p);
  }
  return out;
}

const USAGE = `usage: node out/bench/tokenizer-speed.js [--model DIR] [--files DIR] [--max-mb N]`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    model: { type: 'string', default: 'test/fixtures/samba-tiny' },
    files: { type: 'string', default: 'node_modules/typescript/lib' },
    'max-mb': { type: 'number', default: 16, min: 0.001, max: 4096 },
  });
  const sides = { library: await loadTokenizer(values.model!, 1 << 30, { library: true }), fast: await loadTokenizer(values.model!, 1 << 30) };
  const limit = Number(values['max-mb']) * 1e6;
  const texts: string[] = [];
  let bytes = 0;
  for (const f of codeFiles(values.files!)) {
    if (bytes >= limit) break;
    const t = readFileSync(f, 'utf8');
    texts.push(t);
    bytes += Buffer.byteLength(t);
  }
  const ids: Record<string, number[][]> = {};
  const result: Record<string, unknown> = { tokenizer: values.model, files: texts.length, mb: +(bytes / 1e6).toFixed(2) };
  // Two rounds, alternating; the fast side's first round starts with an empty word cache (a cold read), its second with a warm one.
  for (const round of [1, 2]) {
    for (const [name, tok] of Object.entries(sides)) {
      const t0 = performance.now();
      const out = texts.map((t) => tok.encode(t));
      const s = (performance.now() - t0) / 1000;
      const tokens = out.reduce((n, x) => n + x.length, 0);
      ids[name] = out;
      result[`${name}${round}`] = { tokens, seconds: +s.toFixed(3), mbPerS: +(bytes / 1e6 / s).toFixed(2), tokensPerS: Math.round(tokens / s) };
    }
  }
  result.textsDiffering = texts.filter((_, i) => ids.library[i].length !== ids.fast[i].length || ids.library[i].some((x, k) => x !== ids.fast[i][k])).length;
  console.log(JSON.stringify(result));
}

void main();
