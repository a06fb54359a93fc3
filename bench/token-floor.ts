// The fastest a decoded token can be on a GPU whose dispatch floor was measured (bench/dispatch-floor.ts):
// the token's chain of dependent dispatches as the engine issues them (f16 weights, f32 KV), each
// costed at the best measured time to read its bytes in one dispatch. No kernel of ours can beat it
// while a token is a chain of dispatches with a barrier between each.
// usage: node out/bench/token-floor.js --floor results/.../floor.jsonl [--context 65536] [--bandwidth 3.35]
import { readFileSync } from 'node:fs';
import { cliArgs } from '../src/cli-args';
import { SHAPES } from './random-model';

/** One dispatch of the chain: what it does, the kernel that does it, the bytes it reads. */
export type Dispatch = { name: string; kernel: string; bytes: number };
const F16 = 2, F32 = 4;

/**
 * The dispatches of one decoded token (batch 1) after `context` tokens, in the engine's order
 * (test/token-floor.test.ts holds it to what the engine records).
 */
export function chain(shape: Record<string, number | string>, context: number): Dispatch[] {
  const d = shape.hidden_size as number, V = shape.vocab_size as number, L = shape.num_hidden_layers as number;
  const H = shape.num_attention_heads as number, G = shape.num_key_value_heads as number, hd = shape.head_dim as number;
  const ff = shape.intermediate_size as number;
  const out: Dispatch[] = [{ name: 'embed', kernel: 'embed', bytes: d * F16 }];
  const matvec = (name: string, rows: number, cols: number) => out.push({ name, kernel: 'matvec', bytes: rows * cols * F16 });
  const mlp = () => {
    matvec('gate_up', 2 * ff, d);
    matvec('down', d, ff);
  };
  // The token at position `context` sees itself too; the keys split in runs of 64 (the engine's
  // default) and the splits are merged.
  const attention = (keys: number) => {
    matvec('qkv', (H + 2 * G) * hd, d);
    out.push({ name: 'attention', kernel: 'attention_decode', bytes: 2 * keys * G * hd * F32 });
    if (keys > 64) out.push({ name: 'attn_combine', kernel: 'attn_combine', bytes: 0 });
    matvec('o', d, H * hd);
  };
  for (let l = 0; l < L; l++) {
    if (shape.model_type === 'samba' && l % 2 === 0) {
      const di = (shape.expand as number) * d, R = shape.time_step_rank as number, N = shape.state_size as number;
      matvec('in_proj', 2 * di, d);
      matvec('x_proj', R + 2 * N, di);
      out.push({ name: 'scan_step', kernel: 'scan_step', bytes: di * R * F16 + 2 * di * N * F32 });
      matvec('out_proj', d, di);
    } else {
      attention(Math.min(context + 1, shape.model_type === 'samba' ? (shape.sliding_window as number) : Infinity));
    }
    mlp();
  }
  matvec('lm_head', V, d);
  out.push({ name: 'argmax', kernel: 'argmax', bytes: V * F32 });
  return out;
}

/** Best measured microseconds to read `bytes` in one dependent dispatch (piecewise linear). */
function floorOf(lines: Record<string, number | string>[]): (bytes: number) => number {
  const chainUs = Math.min(...lines.filter((l) => l.kind === 'chain').map((l) => l.usPerDispatch as number));
  const best = new Map<number, number>();
  for (const l of lines.filter((l) => l.kind === 'read')) {
    const b = (l.mib as number) * 2 ** 20;
    best.set(b, Math.min(best.get(b) ?? Infinity, l.usPerDispatch as number));
  }
  const pts: [number, number][] = [[0, chainUs], ...[...best].sort((a, b) => a[0] - b[0])];
  return (bytes) => {
    let i = 1;
    while (i < pts.length - 1 && pts[i][0] < bytes) i++;
    const [b0, t0] = pts[i - 1], [b1, t1] = pts[i];
    return Math.max(chainUs, t0 + ((t1 - t0) * (bytes - b0)) / (b1 - b0));
  };
}

const USAGE = `usage: node out/bench/token-floor.js --floor results/.../floor.jsonl [--context 65536] [--bandwidth 3.35]`;

function main(): void {
  const { values } = cliArgs(USAGE, {
    floor: { type: 'string' },
    context: { type: 'int', default: 65536, min: 1, max: 1 << 22 },
    bandwidth: { type: 'number', default: 3.35, min: 0.001, max: 1000 },
  });
  if (!values.floor) {
    process.stderr.write(`error: --floor FILE (the dispatch-floor lines of one GPU) is required\n${USAGE.split('\n')[0]}\n`);
    process.exit(2);
  }
  const lines = readFileSync(values.floor, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const floor = floorOf(lines);
  const context = Number(values.context), tbs = Number(values.bandwidth);
  for (const name of ['samba-421m', 'transformer-421m']) {
    const ds = chain(SHAPES[name] as Record<string, number | string>, context);
    const us = ds.reduce((s, x) => s + floor(x.bytes), 0);
    const bytes = ds.reduce((s, x) => s + x.bytes, 0);
    const weights = ds.filter((x) => x.name !== 'attention' && x.name !== 'argmax').reduce((s, x) => s + x.bytes, 0);
    const tokS = 1e6 / us;
    console.log(JSON.stringify({
      model: name, device: lines[0].device, context, dispatches: ds.length, mbPerToken: +(bytes / 1e6).toFixed(1), weightMb: +(weights / 1e6).toFixed(1),
      floorUsPerToken: +us.toFixed(1), floorTokensPerS: +tokS.toFixed(0),
      fractionOfBoundAllBytes: +((bytes * tokS) / (tbs * 1e12)).toFixed(3), fractionOfBoundWeights: +((weights * tokS) / (tbs * 1e12)).toFixed(3),
    }));
  }
}

if (require.main === module) main();
