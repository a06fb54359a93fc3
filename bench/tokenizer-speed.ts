// Tokenizer throughput on real code: is the pure-JS tokenizer fast enough to read a large workspace?
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
  const tok = await loadTokenizer(values.model!, 1 << 30);
  const limit = Number(values['max-mb']) * 1e6;
  const texts: string[] = [];
  let bytes = 0;
  for (const f of codeFiles(values.files!)) {
    if (bytes >= limit) break;
    const t = readFileSync(f, 'utf8');
    texts.push(t);
    bytes += Buffer.byteLength(t);
  }
  const t0 = performance.now();
  let tokens = 0;
  for (const t of texts) tokens += tok.encode(t).length;
  const s = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ tokenizer: values.model, files: texts.length, mb: +(bytes / 1e6).toFixed(2), tokens, seconds: +s.toFixed(2), mbPerS: +(bytes / 1e6 / s).toFixed(2), tokensPerS: Math.round(tokens / s) }));
}

void main();
