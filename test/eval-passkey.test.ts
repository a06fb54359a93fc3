import * as assert from 'node:assert/strict';
import { loadTiny, type Tiny } from './helpers/workspace';
import { generate } from '../src/engine/generate';
import { buildPasskeyPrompt, codeFiller, keyLine, passkeys, QUESTION, runPasskeyTrial, sentenceFiller, FILLER_SENTENCE } from '../src/eval/passkey';

describe('eval: passkey retrieval', () => {
  let tiny: Tiny;
  before(async () => (tiny = await loadTiny()));

  it('keys: five digits, seeded', () => {
    const k = passkeys(20, 4);
    assert.deepEqual(k, passkeys(20, 4));
    assert.notDeepEqual(k, passkeys(20, 5));
    assert.ok(k.every((x) => /^\d{5}$/.test(x)));
  });

  it('prompt: exact length, the key line at the depth, the question last', () => {
    const { tokenizer } = tiny;
    let lastAt = 0;
    for (const depth of [0.1, 0.5, 0.9]) {
      const p = buildPasskeyPrompt(tokenizer, 1024, depth, '48213', sentenceFiller(tokenizer));
      assert.equal(p.tokens.length, 1024);
      assert.equal(p.tokens[0], tokenizer.specialId('<|file|>'));
      const text = tokenizer.decode(p.tokens);
      assert.ok(text.endsWith(`\n${QUESTION}`));
      assert.equal(text.split(keyLine('48213')).length, 2, 'the key line appears once');
      assert.ok(text.includes(FILLER_SENTENCE));
      assert.ok(Math.abs(p.depth - depth) < 0.05, `depth ${p.depth} for ${depth}`);
      assert.ok(p.keyAt > lastAt);
      lastAt = p.keyAt;
      assert.ok(tokenizer.decode(p.tokens.slice(p.keyAt)).startsWith(`\n${keyLine('48213')}`));
    }
    const code = codeFiller(tokenizer, ['const a = 1;\nconst b = 2;\n']);
    const p = buildPasskeyPrompt(tokenizer, 512, 0.5, '11111', code);
    assert.equal(p.tokens.length, 512);
    assert.ok(tokenizer.decode(p.tokens).includes('const b = 2;\n'));
    assert.throws(() => buildPasskeyPrompt(tokenizer, 20, 0.5, '11111', code), /too short/);
  });

  it('a trial answers with the greedy continuation of the prompt and scores it against the key', async () => {
    const { engine, tokenizer } = tiny;
    const p = buildPasskeyPrompt(tokenizer, 300, 0.5, '12345', sentenceFiller(tokenizer));
    const r = await runPasskeyTrial(engine, tokenizer, p, 4, 64);
    // The answer is what the extension's greedy decoding (generate, temperature 0) writes after the prompt.
    const state = engine.newState({ capacity: 400 });
    const ids: number[] = [];
    for await (const id of generate(engine, p.tokens, state, { maxTokens: 4, temperature: 0 })) ids.push(id);
    engine.release(state);
    assert.equal(r.answer, tokenizer.decode(ids));
    assert.ok(r.answer.length > 0);
    // Scored against the prompt's key: a key the answer holds passes, one it does not hold fails.
    assert.equal((await runPasskeyTrial(engine, tokenizer, { ...p, key: r.answer.slice(0, 2) }, 4, 64)).correct, true);
    assert.equal((await runPasskeyTrial(engine, tokenizer, { ...p, key: `${r.answer}0` }, 4, 64)).correct, false);
    const again = await runPasskeyTrial(engine, tokenizer, p, 4, 300);
    assert.equal(again.answer, r.answer, 'chunking does not change the answer');
  });
});
