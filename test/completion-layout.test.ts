import * as assert from 'node:assert/strict';
import { complete } from '../src/completion/complete';
import { CompletionPipeline, PrefixWindows, promptPieces } from '../src/completion/pipeline';
import { PromptSession } from '../src/completion/prompt';
import { argmax } from '../src/engine/sampling';
import { completionStopIds, fileTokens, promptParts, splitCursor } from '../src/prompt';
import { healerFor } from '../src/prompt/heal';
import { loadTiny } from './helpers/workspace';

describe('completion prompt layouts and token healing', () => {
  it('prefix layout: the file up to the cursor as the model reads files, the line with its newline encoded as in the file', async () => {
    const tiny = await loadTiny();
    const before = 'export function area(r: number) {\n  const x = r * r;\n    ';
    const input = splitCursor('src/a.ts', before, '\n}\n');
    const parts = promptParts('prefix', input);
    assert.deepEqual(parts.tail, [], 'no suffix in the prompt');
    assert.equal(parts.linesBefore, 'export function area(r: number) {\n  const x = r * r;');
    assert.equal(parts.lineHead, '\n    ');
    const p = promptPieces(tiny.tokenizer, [], input, 'prefix');
    // The whole prompt is the file unit the workspace streams, cut at the cursor: the same ids.
    assert.deepEqual([...p.head, ...p.linesBefore, ...p.lineHead], [...fileTokens(tiny.tokenizer, 'src/a.ts', before)]);
    const fim = promptPieces(tiny.tokenizer, [], input, 'fim');
    assert.ok(fim.tail.length > 0, 'the FIM layout keeps its suffix');
  });

  it('healing: trailing whitespace leaves the prompt and is generated again first, by the model, and not returned', async () => {
    const tiny = await loadTiny();
    const healer = healerFor(tiny.tokenizer, tiny.engine.model.config.vocabSize);
    const prefix = 'function area(r) {\n    ';
    const pieces = promptPieces(tiny.tokenizer, [], new PrefixWindows().cut('m.ts', prefix, '\n}\n'), 'prefix');
    const h = healer.heal(pieces.lineHead);
    assert.equal(h.healed, '\n    ');
    assert.equal(h.tokens.length, 0);
    const session = new PromptSession(tiny.engine, tiny.tokenizer);
    const prepared = await session.prepare({ pieces: { ...pieces, lineHead: h.tokens } });
    const prompt = [...pieces.head, ...pieces.linesBefore];
    const r = await complete(tiny.engine, tiny.tokenizer, prepared, { maxTokens: 10, heal: { text: h.healed, healer } });
    // The reference: constrained picks until the healed text is spelled, then greedy.
    const state = tiny.engine.newState();
    let logits = await tiny.engine.prefill(prompt, state);
    const out: number[] = [];
    const stop = completionStopIds(tiny.tokenizer);
    let rest = h.healed;
    let constrained = 0;
    while (out.length < 10) {
      const t = rest ? healer.pick(logits, rest) : argmax(logits);
      if (!rest && stop.includes(t)) break;
      if (rest) constrained++;
      out.push(t);
      rest = rest ? healer.rest(rest, t) : '';
      logits = await tiny.engine.step(t, state);
    }
    const all = tiny.tokenizer.decode(out);
    assert.ok(all.startsWith(h.healed), JSON.stringify(all));
    assert.ok(constrained >= 1);
    assert.equal(r.text, all.slice(h.healed.length));
    assert.equal(r.tokens, out.length);
    tiny.engine.release(state);
  });

  it('the pipeline heals in the prefix layout only, and typing on the line still prefills only new tokens', async () => {
    const tiny = await loadTiny();
    const doc = 'export function area(r: number) {\n  const x = r * r;\n  ';
    const limits = { maxTokens: 4, lineBudgetMs: -1 };
    const prefix = new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer, { cache: false, layout: 'prefix' });
    const fim = new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer, { cache: false, layout: 'fim' });
    const full = fileTokens(tiny.tokenizer, 'm.ts', doc).length;
    const a = await prefix.complete({ path: 'm.ts', prefix: doc, suffix: '\n}\n', limits });
    // The cursor's line so far, "\n  ", left the prompt: the model runs all but its tokens.
    assert.equal(a.promptTokens, full - tiny.tokenizer.encode('\n  ').length);
    const b = await fim.complete({ path: 'm.ts', prefix: doc, suffix: '\n}\n', limits });
    assert.ok(b.promptTokens > full, 'FIM holds the suffix and its markers, unhealed');
    // Typing "re" then "ret": the line is no longer whitespace, nothing is healed, only the line's tail re-runs.
    await prefix.complete({ path: 'm.ts', prefix: doc + 're', suffix: '\n}\n', limits });
    const c = await prefix.complete({ path: 'm.ts', prefix: doc + 'ret', suffix: '\n}\n', limits });
    assert.ok(c.prefilled <= 4, `typing prefilled ${c.prefilled}`);
  });
});
