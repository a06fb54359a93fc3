import * as assert from 'node:assert/strict';
import { complete } from '../src/completion/complete';
import { PromptSession } from '../src/completion/prompt';
import { PrefixWindows, promptPieces } from '../src/completion/pipeline';
import { postprocess } from '../src/completion/postprocess';
import { WorkspaceContext } from '../src/workspace/context';
import { loadTiny } from './helpers/workspace';

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
});
