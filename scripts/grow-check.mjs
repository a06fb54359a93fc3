// Checks that training/grow.py kept the function: the logits of a source model and its grown copy,
// through our own engine (the path the extension runs), on real text. Needs `npm run build` (out/).
// usage: node scripts/grow-check.mjs SRC_DIR GROWN_DIR [--backend cpu|gpu] [--weights f32|f16|i8]
//          [--file PATH] [--tokens N] [--decode N]
// Prints one JSON line: max |logit diff| over the prompt's positions (prefill) and over N greedy
// decode steps (step path), and in how many positions the argmax agrees.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import cjsLoad from '../out/src/model/load.js';
import cjsTok from '../out/src/model/tokenizer.js';
import cjsCreate from '../out/src/backend/create.js';
import cjsSampling from '../out/src/engine/sampling.js';

const { loadModel } = cjsLoad;
const { loadTokenizer } = cjsTok;
const { createEngine } = cjsCreate;
const { argmax } = cjsSampling;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    backend: { type: 'string', default: 'cpu' },
    weights: { type: 'string', default: 'f32' },
    file: { type: 'string', default: 'src/completion/pipeline.ts' },
    tokens: { type: 'string', default: '300' },
    decode: { type: 'string', default: '16' },
  },
});
if (positionals.length !== 2) {
  console.error('usage: node scripts/grow-check.mjs SRC_DIR GROWN_DIR [--backend cpu|gpu] [--weights f32|f16|i8] [--file PATH] [--tokens N] [--decode N]');
  process.exit(2);
}
const [srcDir, grownDir] = positionals;
const nTok = Number(values.tokens), nDec = Number(values.decode);

const src = await loadModel(srcDir);
const grown = await loadModel(grownDir);
const tokenizer = await loadTokenizer(srcDir, src.config.vocabSize);
const tokens = tokenizer.encode(readFileSync(values.file, 'utf8')).slice(0, nTok);
const V = src.config.vocabSize;

async function run(model) {
  const engine = await createEngine(model, { backend: values.backend, weights: values.weights });
  const state = engine.newState({ capacity: tokens.length + nDec + 1 });
  const prefill = Float32Array.from(await engine.prefill(tokens, state, { allLogits: true }));
  // Decode: both models are fed the source's greedy tokens (given below), so the rows line up.
  return { engine, state, prefill, device: engine.deviceName };
}

const a = await run(src), b = await run(grown);
let maxPrefill = 0, agreePrefill = 0;
for (let t = 0; t < tokens.length; t++) {
  const ra = a.prefill.subarray(t * V, (t + 1) * V), rb = b.prefill.subarray(t * V, (t + 1) * V);
  for (let i = 0; i < V; i++) maxPrefill = Math.max(maxPrefill, Math.abs(ra[i] - rb[i]));
  if (argmax(ra) === argmax(rb)) agreePrefill++;
}
let maxDecode = 0, agreeDecode = 0;
let next = argmax(a.prefill.subarray((tokens.length - 1) * V));
const decoded = [];
for (let s = 0; s < nDec; s++) {
  decoded.push(next);
  const la = await a.engine.step(next, a.state), lb = await b.engine.step(next, b.state);
  for (let i = 0; i < V; i++) maxDecode = Math.max(maxDecode, Math.abs(la[i] - lb[i]));
  if (argmax(la) === argmax(lb)) agreeDecode++;
  next = argmax(la);
}
let scale = 0;
for (let i = 0; i < a.prefill.length; i++) scale = Math.max(scale, Math.abs(a.prefill[i]));
console.log(JSON.stringify({
  backend: values.backend, weights: values.weights, device: a.device, file: values.file,
  positions: tokens.length, maxAbsDiffPrefill: +maxPrefill.toExponential(3), argmaxAgreePrefill: agreePrefill,
  decodeSteps: nDec, maxAbsDiffDecode: +maxDecode.toExponential(3), argmaxAgreeDecode: agreeDecode,
  maxAbsLogit: +scale.toFixed(2), greedy: tokenizer.decode(decoded),
}));
a.engine.dispose();
b.engine.dispose();
process.exit(0);
