import * as assert from 'node:assert/strict';
import { complete } from '../src/completion/complete';
import { PromptSession } from '../src/completion/prompt';
import { PrefixWindows, promptPieces } from '../src/completion/pipeline';
import { postprocess } from '../src/completion/postprocess';
import { WorkspaceContext } from '../src/workspace/context';
import { loadTiny } from './helpers/workspace';
import { createGpuEngine } from '../src/gpu/engine';
import type { Engine } from '../src/engine/engine';

describe('completion generate stage (mechanics; the tiny model writes random text)', () => {
  it('workspace state, prompt, generation within limits, post-processing', async () => {
    const tiny = await loadTiny();
    const ctx = new WorkspaceContext({ ...tiny, read: async () => undefined });
    await ctx.open([{ path: 'lib.ts', text: 'export const PI = 3.14159;\n' }]);
    const session = new PromptSession(tiny.engine, tiny.tokenizer);
    const prefix = 'function area(r) {\n  return ';
    const suffix = '\n}\n';
    const pieces = promptPieces(tiny.tokenizer, [], new PrefixWindows().cut('m.ts', prefix, suffix));
    const req = { workspace: ctx.ready(), pieces };
    const a = await complete(tiny.engine, tiny.tokenizer, await session.prepare(req), { maxTokens: 12, seed: 1 });
    const b = await complete(tiny.engine, tiny.tokenizer, await session.prepare(req), { maxTokens: 12, seed: 1 });
    assert.deepEqual(a, b, 'greedy and repeatable from reused state');
    assert.ok(a.tokens <= 12 && ['end', 'max'].includes(a.stopped));
    const abort = new AbortController();
    abort.abort();
    const c = await complete(tiny.engine, tiny.tokenizer, await session.prepare(req), { maxTokens: 12, signal: abort.signal });
    assert.equal(c.stopped, 'aborted');
    const d = await complete(tiny.engine, tiny.tokenizer, await session.prepare(req), { maxTokens: 50, deadlineMs: 0 });
    assert.equal(d.stopped, 'deadline');
    assert.equal(d.tokens, 1);
    const shown = postprocess({ prefix, suffix, completion: a.text });
    assert.ok(shown === undefined || (shown.length > 0 && !shown.includes('\n')));
    ctx.dispose();
  });

  it('a GPU engine generates in greedy blocks: the tokens of step-by-step decoding, with a read-back per block', async function () {
    this.timeout(300_000);
    const tiny = await loadTiny();
    const gpu = await createGpuEngine(tiny.engine.model);
    try {
      let blocks = 0;
      const greedy = gpu.greedy.bind(gpu);
      gpu.greedy = (token, count, state) => (blocks++, greedy(token, count, state));
      // The same engine without its greedy loop: one stepArgmax (one read-back) per token.
      const stepwise = new Proxy(gpu, { get: (t, k) => (k === 'greedy' ? undefined : typeof (t as never)[k] === 'function' ? ((t as never)[k] as (...a: unknown[]) => unknown).bind(t) : (t as never)[k]) }) as Engine;
      const prompt = tiny.tokenizer.encode('function area(r) {\n  return ');
      const run = async (engine: Engine, maxTokens: number) => {
        const state = engine.newState();
        await engine.prefill(prompt.slice(0, -1), state);
        try {
          return await complete(engine, tiny.tokenizer, { state, last: prompt[prompt.length - 1] }, { maxTokens });
        } finally {
          engine.release(state);
        }
      };
      const log: string[] = [];
      for (const maxTokens of [1, 2, 5, 13, 40]) {
        blocks = 0;
        const a = await run(gpu, maxTokens);
        const used = blocks;
        blocks = 0;
        const b = await run(stepwise, maxTokens);
        assert.equal(blocks, 0);
        assert.deepEqual(a, b, `maxTokens ${maxTokens}`);
        // Blocks of 4, 8, 16, 16...: the first token comes with the prompt's logits.
        const want = [0, 4, 12, 28, 44].findIndex((n) => n >= a.tokens - 1);
        assert.equal(used, a.stopped === 'max' ? want : used, `${a.tokens} tokens in ${used} blocks`);
        assert.ok(used <= want, `${a.tokens} tokens in ${used} blocks`);
        log.push(`${maxTokens}: ${a.tokens} tokens (${a.stopped}), ${used} blocks`);
      }
      console.log(`      ${log.join('; ')}`);
    } finally {
      await gpu.dispose();
    }
  });
});
