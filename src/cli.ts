import * as path from 'node:path';
import { packageRoot } from './package-files';
import { loadModel } from './model/load';
import { loadTokenizer } from './model/tokenizer';
import { describeConfig } from './model/config';
import { SambaError } from './model/errors';
import { createEngine, type Backend } from './backend/create';
import { generate } from './engine/generate';
import { completionStopIds } from './prompt/stop';
import { filePieces } from './prompt/file';
import { piecesToIds } from './prompt/pieces';
import { argmax } from './engine/sampling';
import type { Model } from './model/weights';
import { cliArgs, usageLine } from './cli-args';
import { EVAL_ARGS, EVAL_USAGE, evalOptionsFrom, runEval } from './eval/run';
import { quietDawn } from './process/quiet-stderr';
import { CompletionPipeline } from './completion/pipeline';
import { DEFAULT_CONFIDENCE, firstLineSure, MIN_SCORE } from './completion/confidence';
import { createDecoder } from './backend/decoder';
import { modelText } from './code/line-ends';

const USAGE = `usage: samba <command> [options]

commands:
  info                      the GPU adapter and the model
  generate --prompt TEXT    continue TEXT (streams to stdout); with --file PATH, as the start
                            of a file named PATH (the way the model reads files)
  complete --file PATH --prompt TEXT
                            the inline suggestion at the end of TEXT (the document before the
                            cursor; --suffix TEXT: after it), through the extension's completion
                            pipeline (prompt layout, healing, post-processing), no workspace
  logits --tokens 1,2,3     JSON {"logits": [[...], ...]}, one row per position
  bench                     prefill and decode speed
${EVAL_USAGE}

options:
  --model DIR               model folder (default: the embedded model in models/default)
  --backend auto|gpu|cpu    where to run (default auto: GPU if an adapter exists)
  --weights f16|f32|i8      how the GPU stores weights (default f16; f32 for exact parity; i8: int8, half of f16)
  --max-tokens N            tokens to generate (default 64)
  --temperature T --top-k K --top-p P --seed S   sampling (default greedy)
  --prompt-tokens N --decode-tokens N            bench sizes (default 512, 64)
  --context-tokens N        bench: the prompt read after N tokens already read (a new place: the attention's window full)
  -h, --help                this text`;

const OPTIONS = {
  model: { type: 'string' },
  backend: { type: 'string', default: 'auto', choices: ['auto', 'gpu', 'cpu'] },
  weights: { type: 'string', default: 'f16', choices: ['f16', 'f32', 'i8'] },
  prompt: { type: 'string' },
  file: { type: 'string' },
  suffix: { type: 'string' },
  tokens: { type: 'ints', min: 0, max: 2 ** 31 - 1 },
  'max-tokens': { type: 'int', default: 64, min: 1, max: 65536 },
  temperature: { type: 'number', default: 0, min: 0, max: 100 },
  'top-k': { type: 'int', default: 0, min: 0, max: 1 << 21 },
  'top-p': { type: 'number', default: 1, min: 0, max: 1 },
  seed: { type: 'int', default: 0, min: 0, max: Number.MAX_SAFE_INTEGER },
  'prompt-tokens': { type: 'int', default: 512, min: 1, max: 1 << 18 },
  'decode-tokens': { type: 'int', default: 64, min: 1, max: 65536 },
  'context-tokens': { type: 'int', default: 0, min: 0, max: 1 << 18 },
  ...EVAL_ARGS,
} as const;
const COMMANDS = ['info', 'generate', 'complete', 'logits', 'bench', 'eval'];

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = cliArgs(USAGE, OPTIONS, argv, true);
  const command = positionals[0];
  if (!command) {
    console.log(USAGE);
    return;
  }
  if (!COMMANDS.includes(command) || positionals.length > 1) {
    process.stderr.write(`error: ${COMMANDS.includes(command) ? `unexpected argument "${positionals[1]}"` : `unknown command "${command}" (commands: ${COMMANDS.join(', ')})`}
${usageLine(USAGE)}
(--help for all options)
`);
    process.exit(2);
  }
  const backend = values.backend as Backend;
  const weights = values.weights as 'f16' | 'f32' | 'i8';
  const modelDir = path.resolve(values.model ?? path.join(packageRoot(), 'models', 'default'));
  const model = await loadModel(modelDir);
  const engine = await createEngine(model, { backend, weights, onNotice: (m) => console.error(`notice: ${m}`) });
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
        const tokens = values.tokens;
        const flat = await engine.prefill(tokens, engine.newState({ capacity: tokens.length }), { allLogits: true });
        const V = model.config.vocabSize;
        const rows = tokens.map((_, i) => Array.from(flat.subarray(i * V, (i + 1) * V)));
        console.log(JSON.stringify({ logits: rows }));
        break;
      }
      case 'generate': {
        if (values.prompt === undefined) throw new SambaError('config', 'generate needs --prompt TEXT.');
        const tokenizer = await loadTokenizer(modelDir, model.config.vocabSize);
        // With --file, the prompt is the start of that file as the model reads files (filePieces).
        const prompt = values.file === undefined ? tokenizer.encode(values.prompt) : piecesToIds(tokenizer, filePieces(values.file, values.prompt));
        const maxTokens = values['max-tokens'];
        // A document ends at end-of-text or where the next file (or a FIM section) would begin.
        const stop = completionStopIds(tokenizer);
        const ids: number[] = [];
        let shown = '';
        const t0 = performance.now();
        process.stdout.write(values.prompt);
        const state = engine.newState({ capacity: prompt.length + maxTokens });
        for await (const id of generate(engine, prompt, state, {
          maxTokens,
          temperature: values.temperature,
          topK: values['top-k'],
          topP: values['top-p'],
          seed: values.seed,
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
      case 'complete': {
        if (values.prompt === undefined || values.file === undefined) throw new SambaError('config', "complete needs --file PATH (the document's path, e.g. src/config.go) and --prompt TEXT (the document before the cursor).");
        const tokenizer = await loadTokenizer(modelDir, model.config.vocabSize);
        const decoder = await createDecoder(engine, model);
        const pipeline = new CompletionPipeline(engine, decoder, tokenizer, { cache: false });
        const r = await pipeline.complete({ path: values.file, prefix: modelText(values.prompt), suffix: modelText(values.suffix ?? ''), limits: { maxTokens: values['max-tokens'] } });
        process.stdout.write(`${values.prompt}${r.text ?? ''}\n`);
        const sure = r.lineLogProb === undefined ? '' : ` (its first line's log-probability ${r.lineLogProb.toFixed(2)}: ${firstLineSure(r, MIN_SCORE[DEFAULT_CONFIDENCE]) ? 'typing shows it' : 'typing holds it back, Alt+\\ shows it'} at samba.completions.confidence "${DEFAULT_CONFIDENCE}")`;
        const what = r.text === undefined ? 'no suggestion (nothing worth showing)' : `the suggestion${sure}`;
        console.error(`[${what} after ${r.promptTokens} prompt tokens, ${r.generated} generated, in ${(r.ms / 1000).toFixed(2)} s on ${engine.backend}]`);
        await decoder?.dispose();
        break;
      }
      case 'bench': {
        const n = values['prompt-tokens'], m = values['decode-tokens'], c = values['context-tokens'];
        const V = model.config.vocabSize;
        const tokens = Array.from({ length: n }, (_, i) => (i * 7919) % V);
        const state = engine.newState({ capacity: c + n + m });
        await engine.prefill(tokens.slice(0, 8), engine.newState({ capacity: 8 })); // warm-up: pipelines, buffers
        // Untimed: what a new place's state has read before its prompt.
        if (c) await engine.prefill(Array.from({ length: c }, (_, i) => (i * 104729 + 13) % V), state);
        let t0 = performance.now();
        let logits = await engine.prefill(tokens, state);
        const prefillS = (performance.now() - t0) / 1000;
        t0 = performance.now();
        for (let i = 0; i < m; i++) logits = await engine.step(argmax(logits), state);
        const decodeS = (performance.now() - t0) / 1000;
        console.log(JSON.stringify({ backend: engine.backend, model: describeConfig(model.config), ...(c ? { contextTokens: c } : {}), promptTokens: n, prefillTokensPerS: n / prefillS, decodeTokens: m, decodeTokensPerS: m / decodeS, ...(engine.stepThreads ? { stepThreads: engine.stepThreads } : {}) }));
        break;
      }
      case 'eval': {
        const options = evalOptionsFrom({ ...values, seed: String(values.seed) });
        const tokenizer = await loadTokenizer(modelDir, model.config.vocabSize);
        await runEval(engine, tokenizer, options, (line) => console.log(JSON.stringify(line)), (s) => console.error(s));
        break;
      }
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

// Exit once what was written has left: stdout into a pipe is written asynchronously, and exiting at
// once cut `samba logits | ...` at 64 KiB.
void quietDawn().then((code) => (code === undefined ? main(process.argv.slice(2)) : process.exit(code))).then(
  () => process.stdout.write('', () => process.exit(0)),
  (e: unknown) => {
    console.error(e instanceof SambaError ? `error: ${e.message}` : e);
    process.exit(1);
  },
);
