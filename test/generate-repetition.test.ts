import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { LocalAssistant } from '../src/assistant/local-assistant';
import { continueFrom } from '../src/engine/generate';
import { ANSWER_REPETITION, LoopGuard, penalize } from '../src/engine/repetition';
import { createEngine } from '../src/backend/create';
import { loadModel } from '../src/model/load';
import { loadTokenizer, type Tokenizer } from '../src/model/tokenizer';
import { filePlan } from '../src/summarize/prompt';
import { FIXTURES } from './helpers/fixtures';
import { logitsRow, scriptedEngine } from './helpers/scripted-engine';
import { loadTiny } from './helpers/workspace';

const DEFAULT_MODEL = path.resolve(__dirname, '../../models/default');
const LOOP = 'The limiter hands the RateLimiter hands the RateLimiter hands the RateLimiter hands the RateLimiter hands the RateLimiter';

/** Runs `text`'s tokens through a guard; returns the text kept and what was shown before the end. */
function guardText(tokenizer: Tokenizer, text: string, o = ANSWER_REPETITION): { kept: string; shown: string; cut: boolean } {
  const guard = new LoopGuard(o);
  const ids = tokenizer.encode(text);
  for (let i = 0; i < ids.length; i++) {
    const keep = guard.push(ids[i], tokenizer.decode(ids.slice(0, i + 1)));
    if (keep !== undefined) return { kept: tokenizer.decode(ids.slice(0, keep)), shown: tokenizer.decode(ids.slice(0, guard.settled)), cut: true };
  }
  // What the model would have said (the tokenizer's decoding tidies some spaces). A character
  // split across tokens decodes as U+FFFD until its last byte: the stream waits for it.
  return { kept: tokenizer.decode(ids), shown: tokenizer.decode(ids.slice(0, guard.settled)).replace(/\uFFFD+$/, ''), cut: false };
}

/** Token n-grams of `ids` that occur `times` times or more. */
function repeatedNgrams(ids: readonly number[], n: number, times: number): string[] {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= ids.length; i++) {
    const k = ids.slice(i, i + n).join(',');
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].filter(([, c]) => c >= times).map(([k]) => k);
}

describe('repetition: answers and summaries do not loop', function () {
  this.timeout(300_000);

  describe('the loop guard (default tokenizer)', () => {
    let tokenizer: Tokenizer;
    before(async () => {
      tokenizer = await loadTokenizer(DEFAULT_MODEL, 16384);
    });

    it('cuts "hands the RateLimiter hands the RateLimiter ..." where the repetition began', () => {
      const r = guardText(tokenizer, LOOP);
      assert.ok(r.cut);
      assert.equal(r.kept, 'The limiter hands the RateLimiter');
      assert.ok(r.kept.startsWith(r.shown), 'nothing that was cut had been shown');
    });

    it('cuts a line that repeats the line before it', () => {
      const lines = 'Splits the lines into passages.\n\nThe list of lines is the same as the first line,\nthe list of lines is the same as the first line,\nthe list of lines is the same as the first line,\n';
      assert.equal(guardText(tokenizer, lines, { ...ANSWER_REPETITION, ngram: 0 }).kept.trimEnd(), 'Splits the lines into passages.\n\nThe list of lines is the same as the first line,\nthe list of lines is the same as the first line,');
      // Two equal lines in a row (the n-gram rule off, so only the line rule can see them).
      const bullets = 'Exports:\n- `slugify` turns text into a slug\n- `slugify` turns text into a slug\n- more';
      assert.equal(guardText(tokenizer, bullets, { ...ANSWER_REPETITION, ngram: 0 }).kept.trimEnd(), 'Exports:\n- `slugify` turns text into a slug');
    });

    it('cuts a line of marks alone that comes a third time in a row (json5 answer: "[:]" 128 times)', () => {
      const r = guardText(tokenizer, `In parse.js, lines 173-212:\n\n${'[:]\n'.repeat(128)}`);
      assert.ok(r.cut);
      assert.equal(r.kept.trimEnd(), 'In parse.js, lines 173-212:\n\n[:]');
      assert.ok(r.kept.startsWith(r.shown));
      assert.equal(guardText(tokenizer, 'if (a) {\n  if (b) {\n  }\n  }\n}\n').cut, false, 'two in a row is code');
    });

    it('keeps text whose repeats are not back to back: prose, markdown, code', () => {
      const read = (rel: string) => readFileSync(path.join(__dirname, '../..', rel), 'utf8');
      // Each repeats 4-token n-grams three times and more ('US-NY': 0.04, 'US-CA': ...), none in a row.
      const texts = ['README.md', 'docs/model-format.md', 'test/fixtures/qa-workspace/src/pricing/tax.ts', 'test/fixtures/qa-workspace/src/logger.ts', 'src/qa/bm25.ts'].map(read);
      for (const text of [...texts, '}\n}\n', 'a\n\n\nb\n', 'const zeros = [0, 0, 0, 0, 0, 0, 0, 0];\n| --- | --- | --- | --- |\n']) {
        const r = guardText(tokenizer, text);
        assert.equal(r.cut, false, text);
        assert.ok(r.kept.startsWith(r.shown) && r.kept.length - r.shown.length < 40, 'all but the last tokens are shown');
      }
    });

    it('holds back only what a cut could still remove', () => {
      const text = 'Returns the shipping cost of an order, free above the threshold.';
      const ids = tokenizer.encode(text);
      const guard = new LoopGuard();
      ids.forEach((t, i) => guard.push(t, tokenizer.decode(ids.slice(0, i + 1))));
      assert.equal(guard.settled, ids.length - (ANSWER_REPETITION.ngram - 1), 'the last n-1 tokens wait');
    });
  });

  describe('the repetition penalty in the generation loop (tiny engine, scripted logits)', () => {
    it('divides positive logits and multiplies negative ones, of recent tokens only', () => {
      assert.deepEqual([...penalize(new Float32Array([6, -1, 2]), [0, 1], 1.2)].map((x) => +x.toFixed(4)), [5, -1.2, 2]);
    });

    it('turns a greedy repeat into the next best token, over the last `penaltyWindow` tokens', async () => {
      const tiny = await loadTiny();
      const V = tiny.engine.model.config.vocabSize;
      // Token 10 is always best, 11 and 12 close behind: greedy says 10 10 10 ...
      const engine = scriptedEngine(tiny.engine, () => logitsRow(V, { 10: 5, 11: 4.5, 12: 4.4 }));
      const run = async (repetitionPenalty: number, penaltyWindow: number) => {
        const state = engine.newState();
        const out: number[] = [];
        for await (const t of continueFrom(engine, await engine.prefill([1, 2, 3], state), state, { maxTokens: 7, repetitionPenalty, penaltyWindow })) out.push(t);
        engine.release(state);
        return out.join(' ');
      };
      assert.equal(await run(1, 64), '10 10 10 10 10 10 10');
      assert.equal(await run(1.2, 1), '10 11 10 11 10 11 10');
      assert.equal(await run(1.2, 2), '10 11 12 10 11 12 10');
      assert.equal(await run(1.2, 64), '10 11 12 10 10 10 10');
    });
  });

  describe('LocalAssistant.stream through the real loop (tiny engine, scripted logits)', () => {
    /** An assistant whose model says `text` token by token, as a model that loops would. */
    async function saying(text: string) {
      const tiny = await loadTiny();
      const V = tiny.engine.model.config.vocabSize;
      const ids = tiny.tokenizer.encode(text);
      const engine = scriptedEngine(tiny.engine, (k) => logitsRow(V, { [ids[Math.min(k, ids.length - 1)]]: 8 }));
      return { assistant: new LocalAssistant({ engine, tokenizer: tiny.tokenizer, files: new Map() }), ids, tokenizer: tiny.tokenizer };
    }
    const ask = { prompt: [['text', 'Summarize:\n']] as [['text', string]], useWorkspace: false };

    it('stops the loop, trims the repeated tail, and streams exactly the kept text', async () => {
      const { assistant, ids } = await saying(LOOP);
      const deltas: string[] = [];
      const r = await assistant.stream({ ...ask, maxTokens: ids.length }, (d) => deltas.push(d), new AbortController().signal);
      assert.equal(r.stopped, 'loop');
      assert.equal(r.text, 'The limiter hands the RateLimiter');
      assert.equal(deltas.join(''), r.text, 'the stream never showed what was cut');
      // The guard and the penalty off: the model's loop comes through whole.
      const raw = await assistant.stream({ ...ask, maxTokens: ids.length, repetition: { penalty: 1, ngram: 0, lines: false } }, () => {}, new AbortController().signal);
      assert.equal(raw.text, LOOP);
      assert.equal(raw.stopped, 'max');
    });

    it('a line repeated line after line is cut after its first time', async () => {
      const text = 'Splits the lines into a list of lines.\nof the lines, and the second line of the lines\nof the lines, and the second line of the lines\nof the lines, and the second line';
      const { assistant, ids } = await saying(text);
      const deltas: string[] = [];
      const r = await assistant.stream({ ...ask, maxTokens: ids.length, repetition: { ngram: 0 } }, (d) => deltas.push(d), new AbortController().signal);
      assert.equal(r.stopped, 'loop');
      assert.equal(r.text, 'Splits the lines into a list of lines.\nof the lines, and the second line of the lines\n');
      assert.equal(deltas.join(''), r.text);
    });

    it('text that does not repeat streams whole, ending as the model ends', async () => {
      const text = 'Returns the shipping cost in cents: free above the threshold, else a flat rate.';
      const { assistant, ids } = await saying(text);
      const deltas: string[] = [];
      const r = await assistant.stream({ ...ask, maxTokens: ids.length }, (d) => deltas.push(d), new AbortController().signal);
      assert.equal(r.text, text);
      assert.equal(r.stopped, 'max');
      assert.equal(deltas.join(''), text);
    });
  });

  describe('the default model (models/default, CPU reference)', () => {
    // Both files' summaries fall into a loop under plain greedy decoding (v1 weights: "Returns the
    // centers of the centers of the centers ...", "Creates a `T` from a `T` from a `T` from a `T`.").
    for (const file of ['src/shipping.ts', 'src/inventory.ts']) {
      it(`summarizes ${file} without repeating a 4-token n-gram three times or a line twice`, async () => {
        const model = await loadModel(DEFAULT_MODEL);
        const tokenizer = await loadTokenizer(DEFAULT_MODEL, model.config.vocabSize);
        const engine = await createEngine(model, { backend: 'cpu' });
        try {
          const assistant = new LocalAssistant({ engine, tokenizer, files: new Map() });
          const [overview] = filePlan(file, readFileSync(path.join(FIXTURES, 'qa-workspace', file), 'utf8'), []);
          const r = await assistant.stream({ prompt: overview.model!.prompt, maxTokens: 160, useWorkspace: false }, () => {}, new AbortController().signal);
          console.log(`      ${file} (${r.stopped}): ${JSON.stringify(r.text)}`);
          assert.ok(r.text.trim().length > 0, 'a summary');
          assert.deepEqual(repeatedNgrams(tokenizer.encode(r.text), 4, 3).map((k) => tokenizer.decode(k.split(',').map(Number))), []);
          const lines = r.text.split('\n').filter((l) => l.trim());
          assert.ok(lines.every((l, i) => i === 0 || l !== lines[i - 1]), 'a line repeats');
        } finally {
          await engine.dispose();
        }
      });
    }
  });
});
