import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../src/model/load';
import { loadTokenizer } from '../src/model/tokenizer';
import { createCpuEngine } from '../src/cpu/engine';
import { packageRoot } from '../src/package-files';
import { argmax, logProb } from '../src/engine/sampling';

/**
 * What the CPU engine's int8 products cost the model: mean NLL and how often the most likely next
 * token stays the same, int8 against f32, on sequences of held-out code (the first files of each
 * repository over 3,000 bytes, joined). Needs a runtime with int8 products: Node 24 has them
 * (code-server's, measured), Node 20 does not.
 *   node out/bench/int8-quality.js --repos DIR [--seqs 6] [--len 1024]
 */
function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
}

function files(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) files(p, out);
    else if (/\.(ts|js|py|go)$/.test(e) && statSync(p).size > 3000) out.push(p);
  }
  return out;
}

async function main(): Promise<void> {
  const repos = arg('repos', '.device-data/eval-repos');
  const seqs = Number(arg('seqs', '6'));
  const len = Number(arg('len', '1024'));
  const settings = ['f32', 'int8'];
  const modelDir = path.join(packageRoot(), 'models', 'default');
  const model = await loadModel(modelDir);
  const tok = await loadTokenizer(modelDir, model.config.vocabSize);
  const sequences: number[][] = [];
  for (const repo of readdirSync(repos).sort()) {
    const fs = files(path.join(repos, repo));
    let ids: number[] = [];
    for (const f of fs) {
      ids = ids.concat(Array.from(tok.encode(readFileSync(f, 'utf8'))));
      if (ids.length >= len + 1) break;
    }
    if (ids.length >= len + 1) sequences.push(ids.slice(0, len + 1));
    if (sequences.length >= seqs) break;
  }
  const V = model.config.vocabSize;
  let base: { nll: number; top: number[][] } | undefined;
  for (const setting of settings) {
    const engine = createCpuEngine(model, { int8: setting === 'int8' });
    if (setting === 'int8' && !engine.deviceName.includes('int8')) throw new Error(`no int8 products on this runtime (${engine.deviceName}): run it with Node 24`);
    let nll = 0, n = 0, same = 0;
    const top: number[][] = [];
    for (const s of sequences) {
      const logits = await engine.prefill(s.slice(0, len), engine.newState(), { allLogits: true });
      const tops: number[] = [];
      for (let i = 0; i < len; i++) {
        nll -= logProb(logits, s[i + 1], i * V, V);
        n++;
        tops.push(argmax(logits.subarray(i * V, (i + 1) * V)));
      }
      top.push(tops);
    }
    await engine.dispose();
    if (base) base.top.forEach((t, j) => t.forEach((b, i) => (same += b === top[j][i] ? 1 : 0)));
    const row = { setting, device: engine.deviceName, sequences: sequences.length, tokens: n, nll: nll / n, sameTop1: base ? same / n : 1 };
    if (!base) base = { nll: nll / n, top };
    console.log(JSON.stringify(row));
  }
}

void main();
