import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as path from 'node:path';
import { loadModel } from '../src/model/load';
import { loadTokenizer } from '../src/model/tokenizer';
import { createEngine } from '../src/backend/create';
import { FIXTURES } from './helpers/fixtures';

const MODEL = path.resolve(__dirname, '../../models/default');

interface DefaultReference {
  readonly text: string;
  readonly tokens: number[];
  /** Per position: top-5 [id, logit]. */
  readonly logits_top: [number, number][][];
  readonly logits: number[][];
  readonly logits_positions: number[];
}

/**
 * The shipped model, run by our engines on a real code snippet, against PyTorch (training/samba.py)
 * on the same F16 weights: the full logits of the last positions, and the top-5 everywhere.
 */
describe('the embedded default model matches PyTorch on real code', () => {
  // Kept gzipped: the tracked files' budget (training writes it plain; training/runs/default-v2/README.md).
  const ref = JSON.parse(gunzipSync(readFileSync(path.join(FIXTURES, 'default-model-reference.json.gz'))).toString('utf8')) as DefaultReference;

  it('the tokenizer encodes the snippet as PyTorch did', async () => {
    const model = await loadModel(MODEL);
    const tok = await loadTokenizer(MODEL, model.config.vocabSize);
    assert.deepEqual(tok.encode(ref.text), ref.tokens);
  });

  for (const backend of ['cpu', 'gpu'] as const) {
    it(`${backend} engine`, async () => {
      const model = await loadModel(MODEL);
      const engine = await createEngine(model, { backend, weights: 'f16' });
      try {
        const V = model.config.vocabSize;
        const logits = await engine.prefill(ref.tokens, engine.newState(), { allLogits: true });
        let full = 0;
        ref.logits_positions.forEach((t, k) => ref.logits[k].forEach((v, i) => (full = Math.max(full, Math.abs(logits[t * V + i] - v)))));
        let top = 0;
        let topAgree = 0;
        ref.logits_top.forEach((row, t) => {
          for (const [id, v] of row) top = Math.max(top, Math.abs(logits[t * V + id] - v));
          const ours = logits.subarray(t * V, (t + 1) * V);
          if (ours.indexOf(Math.max(...ours)) === row[0][0]) topAgree++;
        });
        console.log(`      ${backend} (${engine.deviceName}): max |diff| ${full.toExponential(2)} over last ${ref.logits_positions.length} positions' full logits, ${top.toExponential(2)} over every position's top-5; argmax agrees at ${topAgree}/${ref.tokens.length}`);
        assert.ok(full < 1e-4, `full logits differ by ${full}`);
        assert.ok(top < 1e-4, `top-5 logits differ by ${top}`);
      } finally {
        engine.dispose();
      }
    });
  }
});
