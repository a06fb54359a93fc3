import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { packageRoot } from './package-files';
import { loadModel } from './model/load';
import { loadTokenizer } from './model/tokenizer';
import { describeConfig } from './model/config';
import { SambaError } from './model/errors';
import { createEngine, type Backend } from './backend/create';
import { generate } from './engine/generate';
import { argmax } from './engine/sampling';
import type { Model } from './model/weights';
import { EVAL_ARGS, EVAL_USAGE, evalOptionsFrom, runEval } from './eval/run';

const USAGE = `samba <command> [options]

commands:
  info                      the GPU adapter and the model
  generate --prompt TEXT    continue TEXT (streams to stdout)
  logits --tokens 1,2,3     JSON {"logits": [[...], ...]}, one row per position
  bench                     prefill and decode speed
${EVAL_USAGE}

options:
  --model DIR               model folder (default: the embedded model in models/default)
  --backend auto|gpu|cpu    where to run (default auto: GPU if an adapter exists)
  --weights f16|f32|i8      how the GPU stores weights (default f16; f32 for exact parity; i8: int8, half of f16)
  --max-tokens N            tokens to generate (default 64)
  --temperature T --top-k K --top-p P --seed S   sampling (default greedy)
  --prompt-tokens N --decode-tokens N            bench sizes (default 512, 64)`;

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      weights: { type: 'string', default: 'f16' },
      prompt: { type: 'string' },
      tokens: { type: 'string' },
      'max-tokens': { type: 'string', default: '64' },
      temperature: { type: 'string', default: '0' },
      'top-k': { type: 'string', default: '0' },
      'top-p': { type: 'string', default: '1' },
      seed: { type: 'string', default: '0' },
      'prompt-tokens': { type: 'string', default: '512' },
      'decode-tokens': { type: 'string', default: '64' },
      help: { type: 'boolean', short: 'h' },
      ...EVAL_ARGS,
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  const backend = values.backend as Backend;
  if (!['auto', 'gpu', 'cpu'].includes(backend)) throw new SambaError('config', `--backend must be auto, gpu or cpu, not "${backend}".`);
  if (values.weights !== 'f16' && values.weights !== 'f32' && values.weights !== 'i8') throw new SambaError('config', `--weights must be f16, f32 or i8, not "${values.weights}".`);
  const num = (name: keyof typeof values): number => {
    const v = Number(values[name]);
    if (!Number.isFinite(v)) throw new SambaError('config', `--${name} must be a number, not "${values[name]}".`);
    return v;
  };
  const modelDir = path.resolve(values.model ?? path.join(packageRoot(), 'models', 'default'));
  const model = await loadModel(modelDir);
  const engine = await createEngine(model, { backend, weights: values.weights, onNotice: (m) => console.error(`notice: ${m}`) });
  try {
    switch (command) {
      case 'info':
        console.log(`engine:  ${engine.backend}: ${engine.deviceName}`);
        console.log(`model:   ${modelDir}`);
        console.log(`         ${describeConfig(model.config)}, ${(countParams(model) / 1e6).toFixed(2)}M parameters`);
        console.log(`         fingerprint ${model.fingerprint}`);
        break;
      case 'logits': {
        if (!values.tokens) throw new SambaError('config', 'logits needs --tokens, a comma-separated list of token ids such as 1,2,3.');
        const tokens = values.tokens.split(',').map((s) => Number(s.trim()));
        const flat = await engine.prefill(tokens, engine.newState({ capacity: tokens.length }), { allLogits: true });
        const V = model.config.vocabSize;
        const rows = tokens.map((_, i) => Array.from(flat.subarray(i * V, (i + 1) * V)));
        console.log(JSON.stringify({ logits: rows }));
        break;
      }
      case 'generate': {
        if (values.prompt === undefined) throw new SambaError('config', 'generate needs --prompt TEXT.');
        const tokenizer = await loadTokenizer(modelDir, model.config.vocabSize);
        const prompt = tokenizer.encode(values.prompt);
        const maxTokens = num('max-tokens');
        // A document ends at end-of-text or where the next file (or a FIM section) would begin.
        const stop = ['<|endoftext|>', '<|file|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>'].map((t) => tokenizer.specialId(t)).filter((id): id is number => id !== undefined);
        const ids: number[] = [];
        let shown = '';
        const t0 = performance.now();
        process.stdout.write(values.prompt);
        const state = engine.newState({ capacity: prompt.length + maxTokens });
        for await (const id of generate(engine, prompt, state, {
          maxTokens,
          temperature: num('temperature'),
          topK: num('top-k'),
          topP: num('top-p'),
          seed: num('seed'),
          stop,
        })) {
          ids.push(id);
          const text = tokenizer.decode(ids);
          process.stdout.write(text.slice(shown.length));
          shown = text;
        }
        const s = (performance.now() - t0) / 1000;
        console.error(`\n[${prompt.length} prompt + ${ids.length} generated tokens in ${s.toFixed(2)} s on ${engine.backend}]`);
        break;
      }
      case 'bench': {
        const n = num('prompt-tokens'), m = num('decode-tokens');
        const V = model.config.vocabSize;
        const tokens = Array.from({ length: n }, (_, i) => (i * 7919) % V);
        const state = engine.newState({ capacity: n + m });
        await engine.prefill(tokens.slice(0, 8), engine.newState({ capacity: 8 })); // warm-up: pipelines, buffers
        let t0 = performance.now();
        let logits = await engine.prefill(tokens, state);
        const prefillS = (performance.now() - t0) / 1000;
        t0 = performance.now();
        for (let i = 0; i < m; i++) logits = await engine.step(argmax(logits), state);
        const decodeS = (performance.now() - t0) / 1000;
        console.log(JSON.stringify({ backend: engine.backend, model: describeConfig(model.config), promptTokens: n, prefillTokensPerS: n / prefillS, decodeTokens: m, decodeTokensPerS: m / decodeS }));
        break;
      }
      case 'eval': {
        const options = evalOptionsFrom(values);
        const tokenizer = await loadTokenizer(modelDir, model.config.vocabSize);
        await runEval(engine, tokenizer, options, (line) => console.log(JSON.stringify(line)), (s) => console.error(s));
        break;
      }
      default:
        throw new SambaError('config', `Unknown command "${command}".\n\n${USAGE}`);
    }
  } finally {
    engine.dispose();
  }
}

function countParams(model: Model): number {
  const seen = new Set<Float32Array>();
  const walk = (o: unknown): number => {
    if (!o || typeof o !== 'object') return 0;
    const t = o as { data?: unknown };
    if (t.data instanceof Float32Array) {
      if (seen.has(t.data)) return 0;
      seen.add(t.data);
      return t.data.length;
    }
    return Object.values(o).reduce((a: number, v) => a + walk(v), 0);
  };
  return walk(model.weights);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof SambaError ? `error: ${e.message}` : e);
    process.exit(1);
  },
);
