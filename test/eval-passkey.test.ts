import * as assert from 'node:assert/strict';
import { loadTiny, type Tiny } from './helpers/workspace';
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

  it('a trial decodes greedily after the question and checks the digits', async () => {
    const p = buildPasskeyPrompt(tiny.tokenizer, 300, 0.5, '12345', sentenceFiller(tiny.tokenizer));
    const r = await runPasskeyTrial(tiny.engine, tiny.tokenizer, p, 4, 64);
    assert.equal(typeof r.answer, 'string');
    assert.equal(r.correct, r.answer.includes('12345'));
    const again = await runPasskeyTrial(tiny.engine, tiny.tokenizer, p, 4, 300);
    assert.equal(again.answer, r.answer, 'chunking does not change the answer');
  });
});
