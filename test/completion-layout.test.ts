import * as assert from 'node:assert/strict';
import { complete } from '../src/completion/complete';
import { CompletionPipeline, PrefixWindows, promptPieces } from '../src/completion/pipeline';
import { PromptSession } from '../src/completion/prompt';
import { argmax } from '../src/engine/sampling';
import { completionStopIds, fileTokens, promptParts, splitCursor } from '../src/prompt';
import { healerFor } from '../src/prompt/heal';
import { SPECIAL, specialId } from '../src/prompt/tokens';
import { loadTiny } from './helpers/workspace';
import * as path from 'node:path';
import { loadModel } from '../src/model/load';
import { loadTokenizer } from '../src/model/tokenizer';
import { createEngine } from '../src/backend/create';

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
    // After a blank line the whole whitespace run starts lineHead: still the file's own ids.
    const afterBlank = 'export function area(r: number) {\n  const x = r * r;\n\n    ';
    const b = splitCursor('src/a.ts', afterBlank, '\n}\n');
    assert.equal(promptParts('prefix', b).lineHead, '\n\n    ');
    const q = promptPieces(tiny.tokenizer, [], b, 'prefix');
    assert.deepEqual([...q.head, ...q.linesBefore, ...q.lineHead], [...fileTokens(tiny.tokenizer, 'src/a.ts', afterBlank)]);
  });

  it('healing: trailing whitespace is encoded as before text, its last space generated first by the model and not returned; with content, the line is not left empty', async () => {
    const tiny = await loadTiny();
    const healer = healerFor(tiny.tokenizer, tiny.engine.model.config.vocabSize);
    const prefix = 'function area(r) {\n    ';
    const pieces = promptPieces(tiny.tokenizer, [], new PrefixWindows().cut('m.ts', prefix, '\n}\n'), 'prefix');
    const h = healer.heal(pieces.lineHead);
    // "\n    " + "x" is "\n   " + " x" in a file: the run but its last space stays, the space is generated.
    assert.equal(h.healed, ' ');
    assert.deepEqual(h.tokens, tiny.tokenizer.encode('\n   '));
    assert.ok(h.needsText);
    const prompt = [...pieces.head, ...pieces.linesBefore, ...h.tokens];
    const stop = completionStopIds(tiny.tokenizer);
    // The reference: constrained picks until the healed text is spelled (and, with `content`, until
    // the line holds something, no line end or end token), then greedy.
    const reference = async (content: boolean) => {
      const state = tiny.engine.newState();
      let logits = await tiny.engine.prefill(prompt, state);
      const out: number[] = [];
      let rest = h.healed;
      const empty = () => tiny.tokenizer.decode(out).slice(h.healed.length).trim() === '';
      while (out.length < 10) {
        const constrained = rest !== '' || (content && empty());
        const t = constrained ? healer.pick(logits, rest, content ? { banned: stop } : undefined) : argmax(logits);
        if (!constrained && stop.includes(t)) break;
        out.push(t);
        rest = rest ? healer.rest(rest, t) : '';
        logits = await tiny.engine.step(t, state);
      }
      tiny.engine.release(state);
      return out;
    };
    for (const content of [false, true]) {
      const session = new PromptSession(tiny.engine, tiny.tokenizer);
      const prepared = await session.prepare({ pieces: { ...pieces, lineHead: h.tokens } });
      const r = await complete(tiny.engine, tiny.tokenizer, prepared, { maxTokens: 10, heal: { text: h.healed, healer, content } });
      const out = await reference(content);
      const all = tiny.tokenizer.decode(out);
      assert.ok(all.startsWith(h.healed), JSON.stringify(all));
      assert.equal(r.text, all.slice(h.healed.length), `content ${content}`);
      assert.equal(r.tokens, out.length);
      if (content) assert.notEqual(r.text.split('\n')[0].trim(), '', 'the line gets something');
      session.reset();
    }
  });

  it('the pipeline heals in the prefix layout only, and typing on the line still prefills only new tokens', async () => {
    const tiny = await loadTiny();
    const doc = 'export function area(r: number) {\n  const x = r * r;\n  ';
    const limits = { maxTokens: 4, lineBudgetMs: -1 };
    const prefix = new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer, { cache: false, layout: 'prefix' });
    const fim = new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer, { cache: false, layout: 'fim' });
    const full = fileTokens(tiny.tokenizer, 'm.ts', doc).length;
    const a = await prefix.complete({ path: 'm.ts', prefix: doc, suffix: '\n}\n', limits });
    // The cursor's line so far, "\n  ", is in the prompt as before text: "\n " (its last space is generated).
    assert.equal(a.promptTokens, full - tiny.tokenizer.encode('\n  ').length + tiny.tokenizer.encode('\n ').length);
    const b = await fim.complete({ path: 'm.ts', prefix: doc, suffix: '\n}\n', limits });
    assert.ok(b.promptTokens > full, 'FIM holds the suffix and its markers, unhealed');
    // Typing "re" then "ret": the line is no longer whitespace, nothing is healed, only the line's tail re-runs.
    await prefix.complete({ path: 'm.ts', prefix: doc + 're', suffix: '\n}\n', limits });
    const c = await prefix.complete({ path: 'm.ts', prefix: doc + 'ret', suffix: '\n}\n', limits });
    assert.ok(c.prefilled <= 4, `typing prefilled ${c.prefilled}`);
  });

  /** The shipped model on the CPU engine, the cursor at the start of the line after a finished function (where a user starts the next statement). */
  const READY_JS = "const load = require('./load')\n\nconst ready = (name, options) => {\n  const m = load(name, options)\n  return m ? m.name : null\n}\n";
  async function atFreshLine() {
    const dir = path.resolve(__dirname, '../../models/default');
    const model = await loadModel(dir);
    const tokenizer = await loadTokenizer(dir, model.config.vocabSize);
    const engine = await createEngine(model, { backend: 'cpu' });
    const healer = healerFor(tokenizer, model.config.vocabSize);
    const pieces = promptPieces(tokenizer, [], new PrefixWindows().cut('lib/ready.js', READY_JS, ''), 'prefix');
    const h = healer.heal(pieces.lineHead);
    /** complete() there, from a fresh prompt session, healing with or without `content`. */
    const completeHere = async (o: { maxTokens: number; content: boolean; oneLine?: boolean }) => {
      const session = new PromptSession(engine, tokenizer);
      const r = await complete(engine, tokenizer, await session.prepare({ pieces: { ...pieces, lineHead: h.tokens } }), { maxTokens: o.maxTokens, oneLine: o.oneLine, heal: { text: h.healed, healer, content: o.content } });
      session.reset();
      return r;
    };
    return { engine, tokenizer, h, completeHere };
  }

  it('with content, a fresh line gets code where the shipped model would leave it blank', async function () {
    this.timeout(120_000);
    const { engine, h, completeHere } = await atFreshLine();
    // A newline before text is a token of its own: nothing to re-spell, but the line must get content.
    assert.equal(h.healed, '');
    assert.ok(h.needsText);
    const first = async (content: boolean) => (await completeHere({ maxTokens: 12, content })).text.split('\n')[0];
    assert.equal((await first(false)).trim(), '', 'without the rule this model starts with a blank line here');
    assert.notEqual((await first(true)).trim(), '');
    await engine.dispose();
  });

  it('oneLine: generation stops where the first line ends, with the text a longer run starts with; a single-line request asks for it', async function () {
    this.timeout(120_000);
    const { engine, tokenizer, completeHere } = await atFreshLine();
    const long = await completeHere({ maxTokens: 40, content: true });
    const one = await completeHere({ maxTokens: 40, content: true, oneLine: true });
    const end = long.text.indexOf('\n');
    assert.ok(end > 0 && long.tokens === 40, `the longer run goes past its first line: ${JSON.stringify(long.text)}`);
    assert.equal(one.stopped, 'line');
    assert.equal(one.text.split('\n')[0], long.text.slice(0, end));
    assert.ok(one.tokens < long.tokens / 2, `${one.tokens} tokens against ${long.tokens}`);
    assert.equal(one.lineLogProb, long.lineLogProb, 'the first line scored the same');
    // Through the pipeline: a fresh line with a statement below it is a single-line request.
    const pipeline = new CompletionPipeline(engine, undefined, tokenizer, { cache: false });
    const r = await pipeline.complete({ path: 'lib/ready.js', prefix: "const load = require('./load')\n\nconst ready = (name, options) => {\n  ", suffix: '\n  return m ? m.name : null\n}\n', candidates: 1, limits: { maxTokens: 40 } });
    assert.equal(r.stopped, 'line', `stopped: ${r.stopped} after ${r.generated} tokens (${JSON.stringify(r.raw)})`);
    await engine.dispose();
  });

  it('with content, past the healed indentation a token of whitespace alone is refused (the user typed the indentation); a last space goes with text', async () => {
    const dir = path.resolve(__dirname, '../../models/default');
    const model = await loadModel(dir);
    const tokenizer = await loadTokenizer(dir, model.config.vocabSize);
    const healer = healerFor(tokenizer, model.config.vocabSize);
    const id = (text: string) => {
      const ids = tokenizer.encode(text);
      assert.equal(ids.length, 1, `${JSON.stringify(text)} is one token`);
      return ids[0];
    };
    const spaces = id('    ');
    const code = id('const');
    const logits = new Float32Array(model.config.vocabSize).fill(-10);
    logits[spaces] = 5; // what the small model preferred, again and again
    logits[code] = 1;
    const stop = completionStopIds(tokenizer);
    assert.equal(healer.pick(logits, ''), spaces, 'unconstrained: argmax');
    assert.equal(healer.pick(logits, '', { banned: stop }), code, 'the line gets content');
    // A last space to re-spell goes with the text after it (" const"), as the tokenizer splits a
    // file; alone it was followed only by more whitespace in training.
    const space = id(' ');
    const spaceCode = id(' const');
    logits[space] = 6;
    logits[spaceCode] = 2;
    assert.equal(healer.pick(logits, ' ', { banned: stop }), spaceCode);
    assert.notEqual(healer.pick(logits, ' '), space, 'not alone, with or without content');
    // A word being typed: its last piece is taken off and spelled again (" ret" -> " return").
    const word = healer.heal(tokenizer.encode('x\n    ret'));
    assert.deepEqual(word, { tokens: tokenizer.encode('x\n   '), healed: ' ret', needsText: false });
    const typing = new Float32Array(model.config.vocabSize).fill(-10);
    typing[id(' const')] = 9; // not what was typed
    typing[id(' return')] = 3;
    assert.equal(healer.pick(typing, word.healed), id(' return'), 'the word the file would have');
    // All the tokens of the piece: "retu" is two of them, and " ret" before "u" is not a file's split either.
    const partial = tokenizer.encode('x\n    retu');
    assert.ok(partial.length - tokenizer.encode('x\n   ').length > 1, 'the typed piece is more than one token');
    assert.deepEqual(healer.heal(partial), { tokens: tokenizer.encode('x\n   '), healed: ' retu', needsText: false });
    assert.equal(healer.pick(typing, ' retu'), id(' return'));
    // A run of punctuation being typed is spelled again too ("if (" + "!a" is "if" " (!" "a" in a file).
    const paren = healer.heal(tokenizer.encode('    if ('));
    assert.deepEqual(paren, { tokens: tokenizer.encode('    if'), healed: ' (', needsText: false });
    const negated = new Float32Array(model.config.vocabSize).fill(-10);
    negated[id(' (')] = 4;
    negated[id(' (!')] = 5;
    assert.equal(healer.pick(negated, paren.healed), id(' (!'));
    // A special token's text is not text: "<|endoftext|>" never spells a typed "<".
    const angle = healer.heal(tokenizer.encode('-n <'));
    assert.equal(angle.healed, ' <');
    const end = specialId(tokenizer, SPECIAL.endOfText);
    const endFirst = new Float32Array(model.config.vocabSize).fill(-10);
    endFirst[end] = 9;
    endFirst[id(' <')] = 1;
    assert.equal(healer.pick(endFirst, ' <'), id(' <'));
    assert.equal(healer.pick(endFirst, '<'), id('<'));
    // ... unless nothing else fits.
    const only = new Float32Array(model.config.vocabSize).fill(-Infinity);
    only[space] = 0;
    assert.equal(healer.pick(only, ' '), space);
  });
});
