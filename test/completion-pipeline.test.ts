import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildContextBlock } from '../src/completion/context-block';
import { CompletionPipeline, PrefixWindows, type BlockRequest, type ContextSnippet, type PipelineRequest } from '../src/completion/pipeline';
import { createCpuEngine } from '../src/cpu/engine';
import { cutUnsureLines, firstLineSure, MIN_LATER_LINE_LOG_PROB, MIN_SCORE, NEXT_LINE_WEIGHT } from '../src/completion/confidence';
import { postprocess } from '../src/completion/postprocess';
import { WorkspaceContext } from '../src/workspace/context';
import { loadTiny, type Tiny } from './helpers/workspace';

const DOC = readFileSync('src/workspace/context.ts', 'utf8');
const FILES = new Map([
  ['src/engine/engine.ts', readFileSync('src/engine/engine.ts', 'utf8')],
  ['src/workspace/filter.ts', readFileSync('src/workspace/filter.ts', 'utf8')],
]);

/** A plain selection for these tests: the first lines of each other file within the budget, counting its calls. */
function firstLines(calls: BlockRequest[]) {
  return (req: BlockRequest): ContextSnippet[] => {
    calls.push(req);
    const out: ContextSnippet[] = [];
    let used = 0;
    for (const [path, text] of req.files) {
      if (path === req.path) continue;
      const lines = text.split('\n').slice(0, 12);
      const snippet = { path, startLine: 1, endLine: lines.length, text: `${lines.join('\n')}\n`, why: 'similar' as const };
      used += req.countTokens(snippet.text);
      if (used > req.budgetTokens) break;
      out.push(snippet);
    }
    return out;
  };
}

describe('completion pipeline', function () {
  this.timeout(600_000);
  let tiny: Tiny;
  let ctx: WorkspaceContext;
  before(async () => {
    tiny = await loadTiny();
    ctx = new WorkspaceContext({ ...tiny, read: async () => undefined, debounceMs: 1 });
    await ctx.open([...FILES].map(([path, text]) => ({ path, text })));
  });
  after(() => ctx.dispose());

  const at = (line: number) => DOC.split('\n').slice(0, line).join('\n').length + 1;
  const request = (prefix: string, suffix: string, files?: ReadonlyMap<string, string>): PipelineRequest => ({
    workspace: ctx.ready(),
    path: 'src/workspace/context.ts',
    prefix,
    suffix,
    files,
    limits: { maxTokens: 3 },
  });

  it('typing with the block in place prefills only the new tokens; the block is rebuilt on a far move or changed files, not per keystroke', async () => {
    const calls: BlockRequest[] = [];
    const pipeline = new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer, { selectBlock: firstLines(calls), blockTokens: 1500, cache: false });
    const cursor = at(200);
    const first = await pipeline.complete(request(DOC.slice(0, cursor), DOC.slice(cursor), FILES));
    assert.equal(first.block.length, 2);
    assert.equal(first.prefilled, first.promptTokens, 'a cold request runs its whole prompt, block included');
    let prefix = DOC.slice(0, cursor);
    const costs: number[] = [];
    for (const ch of 'const n = 1') {
      prefix += ch;
      const r = await pipeline.complete(request(prefix, DOC.slice(cursor), FILES));
      assert.deepEqual(r.block, first.block);
      costs.push(r.prefilled);
      assert.ok(r.prefilled <= 4, `typing ${JSON.stringify(ch)} prefilled ${r.prefilled} tokens`);
    }
    assert.equal(calls.length, 1, 'the block was chosen once');
    assert.equal(calls[0].cursorLine, 200, "0-based line of the cursor in prefix + suffix");
    // 40 lines away: the same block; 150 lines away: chosen again.
    await pipeline.complete(request(DOC.slice(0, at(240)), DOC.slice(at(240)), FILES));
    assert.equal(calls.length, 1);
    await pipeline.complete(request(DOC.slice(0, at(350)), DOC.slice(at(350)), FILES));
    assert.equal(calls.length, 2);
    // Another file's text changes under a snippet: chosen again.
    const changed = new Map(FILES).set('src/engine/engine.ts', `// changed\n${FILES.get('src/engine/engine.ts')}`);
    await pipeline.complete(request(DOC.slice(0, at(350)), DOC.slice(at(350)), changed));
    assert.equal(calls.length, 3);
    // Typing here is an edit of this file: the block stays. A function written in another file since: chosen again, once.
    const own = [{ path: 'src/workspace/context.ts', startLine: 350, endLine: 351 }];
    await pipeline.complete({ ...request(DOC.slice(0, at(350)), DOC.slice(at(350)), changed), recentEdits: own });
    assert.equal(calls.length, 3, 'own edits keep the block');
    const elsewhere = [{ path: 'src/engine/engine.ts', startLine: 90, endLine: 94 }, ...own];
    await pipeline.complete({ ...request(DOC.slice(0, at(350)), DOC.slice(at(350)), changed), recentEdits: elsewhere });
    assert.equal(calls.length, 4, 'an edit of another file since the block was chosen');
    assert.deepEqual(calls[3].recentEdits, elsewhere);
    await pipeline.complete({ ...request(DOC.slice(0, at(350)), DOC.slice(at(350)), changed), recentEdits: [...elsewhere, { path: 'src/workspace/context.ts', startLine: 351, endLine: 352 }] });
    assert.equal(calls.length, 4, 'then typing here keeps it again');
    // No files, or useBlock false: no block.
    const none = await pipeline.complete({ ...request(DOC.slice(0, at(350)), DOC.slice(at(350)), FILES), useBlock: false });
    assert.deepEqual(none.block, []);
    console.log(`      cold ${first.prefilled} tokens (block ${first.block.length} snippets); per keystroke ${costs.join(',')}`);
  });

  it('on a GPU a new line\'s continuations replace the kept block; on the CPU the block stays for the region', async () => {
    const twin = 'export function twin(a: number) {\n  const scaled = normalizeInput(a);\n  return finishScaling(scaled);\n}\n\nexport function other(b: number) {\n  const shifted = shiftInput(b);\n  return finishShift(shifted);\n}\n';
    const files = new Map([...FILES, ['src/twin.ts', twin]]);
    const lines = ['export function mine(a: number, b: number) {', '  const scaled = normalizeInput(a);', '  const shifted = shiftInput(b);', '  const nothing = 1;', '  const other = nothing + 1;'];
    const ask = (n: number) => ({ ...request(lines.slice(0, n).join('\n') + '\n  ', '\n}\n', files), path: 'src/mine.ts' });
    const conts = (r: { block: readonly ContextSnippet[] }) => r.block.filter((s) => s.why === 'continuation').map((s) => `${s.path}:${s.startLine}-${s.endLine}`);
    const whole: BlockRequest[] = [];
    const counted = (req: BlockRequest) => (req.sources || whole.push(req), buildContextBlock(req));
    const gpu = new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer, { selectBlock: counted, blockTokens: 1500, cache: false, blockFollowsLine: true });
    assert.deepEqual(conts(await gpu.complete(ask(2))), ['src/twin.ts:2-9']);
    assert.deepEqual(conts(await gpu.complete(ask(3))), ['src/twin.ts:7-9'], 'the next line written: what follows its copy');
    const none = await gpu.complete(ask(4));
    assert.deepEqual(conts(none), [], 'a line with no copy elsewhere drops the stale continuation');
    const typing = await gpu.complete({ ...ask(4), prefix: ask(4).prefix + 'ret' });
    assert.deepEqual(typing.block, none.block);
    assert.ok(typing.prefilled <= 4, `typing on the line keeps the block: ${typing.prefilled} tokens run`);
    assert.equal(whole.length, 3, 'the whole block was chosen at each change of continuations, not per keystroke');
    assert.deepEqual((await gpu.complete(ask(5))).block, none.block, 'a next line without continuations either keeps the block');
    assert.equal(whole.length, 3, 'its continuations alone were looked up');
    const cpu = new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer, { selectBlock: buildContextBlock, blockTokens: 1500, cache: false });
    const first = await cpu.complete(ask(2));
    assert.deepEqual(conts(first), ['src/twin.ts:2-9']);
    assert.deepEqual((await cpu.complete(ask(3))).block, first.block, 'the CPU engine keeps the block while the cursor stays in the region');
  });

  it('offers the lines other files write after the line above as candidates, with the block\'s files only', async () => {
    const pipeline = new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer, { selectBlock: firstLines([]), blockTokens: 200, cache: false });
    const files = new Map([...FILES, ['src/other.ts', 'function g(err) {\n  if (err) {\n    throw new RangeError(err);\n  }\n}\n']]);
    const prefix = 'export function area(r: number) {\n  if (err) {\n    ';
    const suffix = '\n  }\n}\n';
    const offered = (r: Awaited<ReturnType<CompletionPipeline['complete']>>) => r.candidates?.lines.filter((c) => c.kind === 'repository').map((c) => c.text) ?? [];
    const withFiles = await pipeline.complete({ ...request(prefix, suffix, files), candidates: 2, limits: { maxTokens: 40 } });
    assert.deepEqual(offered(withFiles), ['throw new RangeError(err);']);
    const alone = await pipeline.complete({ ...request(prefix, suffix), candidates: 2, limits: { maxTokens: 40 } });
    assert.deepEqual(offered(alone), [], 'without the files, only the document itself offers lines');
    const typed = await pipeline.complete({ ...request(prefix + 'throw new ', suffix, files), candidates: 2, limits: { maxTokens: 40 } });
    assert.deepEqual(offered(typed), ['RangeError(err);'], 'past what the line already holds');
  });

  it('the line another file writes between copies of both the line above and the line below is kept and shown at every level', async () => {
    const pipeline = new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer, { selectBlock: firstLines([]), blockTokens: 200, cache: false });
    const twin = 'function g(err) {\n  const total = sum(items);\n  audit.record(total, "g");\n  return report(total);\n}\n';
    const prefix = 'export function area(items) {\n  const total = sum(items);\n  ';
    const suffix = '\n  return report(total);\n}\n';
    const ask = (files?: ReadonlyMap<string, string>, minScore = MIN_SCORE.sure) => pipeline.complete({ ...request(prefix, suffix, files), candidates: 2, minScore, limits: { maxTokens: 40 } });
    const r = await ask(new Map([...FILES, ['src/twin.ts', twin]]));
    const chosen = r.candidates?.lines[r.candidates.index];
    assert.equal(chosen?.kind, 'between');
    assert.equal(chosen?.text, 'audit.record(total, "g");');
    assert.equal(r.between, true);
    assert.equal(r.text, 'audit.record(total, "g");', 'shown at `sure`, though the tiny model finds it unlikely');
    assert.ok(!firstLineSure({ lineLogProb: r.lineLogProb, nextLogProb: r.nextLogProb }, MIN_SCORE.sure), 'by its scores alone it would be held back');
    // A second file with another line between the same two: neither is the one, both are only offered.
    const two = await ask(new Map([...FILES, ['src/twin.ts', twin], ['src/other.ts', twin.replace('audit.record(total, "g");', 'log(total);')]]), MIN_SCORE.any);
    assert.equal(two.between, undefined);
    assert.deepEqual(two.candidates?.lines.filter((c) => c.kind === 'repository').map((c) => c.text).sort(), ['audit.record(total, "g");', 'log(total);']);
  });

  it('reading a place ahead prefills its prompt; the completion there then runs one token and writes what it would have; a stopped read keeps what it read', async () => {
    const make = () => new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer, { selectBlock: firstLines([]), blockTokens: 400, cache: false });
    const cursor = at(300);
    const place = request(DOC.slice(0, cursor), DOC.slice(cursor), FILES);
    const cold = await make().complete({ ...place, limits: { maxTokens: 12 } });
    const pipeline = make();
    const read = await pipeline.readAhead(place);
    assert.equal(read.prefilled, cold.promptTokens - 1, 'the whole prompt but its last token, which the completion runs');
    const after = await pipeline.complete({ ...place, limits: { maxTokens: 12 } });
    assert.equal(after.prefilled, 1);
    assert.equal(after.raw, cold.raw, 'the same suggestion as without reading ahead');
    assert.equal((await pipeline.readAhead(place)).prefilled, 0, 'a place read already costs nothing');

    // Stopped after its first chunk (a completion arrived): what it read stays.
    const stopped = make();
    const abort = new AbortController();
    const far = request(DOC.slice(0, at(500)), DOC.slice(at(500)), FILES);
    const reading = stopped.readAhead({ ...far, signal: abort.signal });
    setImmediate(() => abort.abort());
    await assert.rejects(reading, /abort/i);
    const done = stopped.prefilledTokens;
    assert.ok(done > 0 && done < cold.promptTokens, `${done} tokens read before it stopped`);
    const next = await stopped.complete({ ...far, limits: { maxTokens: 12 } });
    assert.ok(next.prefilled < next.promptTokens, `the completion ran ${next.prefilled} of ${next.promptTokens} prompt tokens`);
    assert.equal(next.raw, (await make().complete({ ...far, limits: { maxTokens: 12 } })).raw);
  });

  it('remembers what it showed: a repeated request is served from the cache', async () => {
    const pipeline = new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer);
    const req = request('export function area(r: number) {\n  return ', '\n}\n');
    const a = await pipeline.complete(req);
    const b = await pipeline.complete(req);
    if (a.text === undefined) return assert.notEqual(b.stopped, 'cache', 'nothing shown, nothing cached');
    assert.equal(b.stopped, 'cache');
    assert.equal(b.text, a.text);
    assert.equal(b.prefilled, 0);
  });

  it('holds back a suggestion the model scores below minScore, shows it at its own score, and caches only what it showed', async () => {
    const pipeline = new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer);
    const req = { ...request('export function area(r: number) {\n  return ', '\n}\n'), limits: { maxTokens: 8 } };
    const free = await new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer, { cache: false }).complete(req);
    assert.ok(free.text !== undefined && free.lineLogProb !== undefined, 'the tiny model suggests something here, scored');
    // Its score as the extension judges it: the first line, and where known the next line's after it.
    const judged = free.lineLogProb + NEXT_LINE_WEIGHT * (free.nextLogProb ?? 0);
    const min = (d: number) => ({ line: free.lineLogProb! + d, withNext: judged + d, leaving: free.lineLogProb! + d, leavingAside: free.lineLogProb! + d });
    const held = await pipeline.complete({ ...req, minScore: min(0.01) });
    assert.equal(held.text, undefined);
    assert.equal(held.unsure, true);
    assert.equal(held.raw, free.raw, 'what the model wrote is kept for the log');
    const again = await pipeline.complete({ ...req, minScore: min(-0.01) });
    assert.notEqual(again.stopped, 'cache', 'a suggestion held back is not remembered as shown');
    assert.equal(again.text, free.text);
    assert.equal(again.unsure, undefined);
    // Remembered under one least score, it is not served to a request whose least it is below.
    const stricter = await pipeline.complete({ ...req, minScore: min(0.01) });
    assert.notEqual(stricter.stopped, 'cache');
    assert.equal(stricter.text, undefined);
    assert.equal((await pipeline.complete({ ...req, minScore: min(-0.01) })).stopped, 'cache');
  });

  it('judges a line chosen among candidates with the next line\'s log-probability after it, and a line with no next line by its own', async () => {
    const pipeline = new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer, { cache: false });
    const req = { ...request('export function area(r: number) {\n  const d = r * 2;\n  ', '\n  return d;\n}\n'), limits: { maxTokens: 8 }, candidates: 2 };
    const free = await pipeline.complete(req);
    assert.ok(free.text !== undefined && free.lineLogProb !== undefined && free.nextLogProb !== undefined, `scored with the next line: ${JSON.stringify(free)}`);
    assert.equal(free.nextLogProb, free.candidates!.lines[free.candidates!.index].next);
    const judged = free.lineLogProb + NEXT_LINE_WEIGHT * free.nextLogProb;
    // The line alone would pass any least; the next line's share decides.
    assert.equal((await pipeline.complete({ ...req, minScore: { line: -Infinity, withNext: judged + 0.01, leaving: -Infinity, leavingAside: -Infinity } })).unsure, true);
    assert.equal((await pipeline.complete({ ...req, minScore: { line: Infinity, withNext: judged - 0.01, leaving: Infinity, leavingAside: Infinity } })).text, free.text);
    // At the end of a file there is no next line: the line's own score against `line`.
    const last = { ...req, suffix: '' };
    const alone = await pipeline.complete(last);
    assert.ok(alone.text !== undefined && alone.lineLogProb !== undefined && alone.nextLogProb === undefined, JSON.stringify(alone));
    assert.equal((await pipeline.complete({ ...last, minScore: { line: alone.lineLogProb + 0.01, withNext: -Infinity, leaving: -Infinity, leavingAside: -Infinity } })).unsure, true);
    assert.equal((await pipeline.complete({ ...last, minScore: { line: alone.lineLogProb - 0.01, withNext: Infinity, leaving: Infinity, leavingAside: Infinity } })).text, alone.text);
  });

  it('judges a line whose next line leaves the cursor\'s block (the brace the editor closed) by its own log-probability against `leaving`', async () => {
    const pipeline = new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer, { cache: false });
    const req = { ...request('export function area(r: number) {\n  const d = r * 2;\n  ', '\n}\n'), limits: { maxTokens: 8 }, candidates: 2 };
    const free = await pipeline.complete(req);
    assert.ok(free.text !== undefined && free.lineLogProb !== undefined && free.candidates, `chosen among candidates: ${JSON.stringify(free)}`);
    assert.equal(free.leavesBlock, true);
    assert.equal(free.nextLogProb, undefined, 'no next-line score to judge it by');
    assert.equal((await pipeline.complete({ ...req, minScore: { line: -Infinity, withNext: -Infinity, leaving: free.lineLogProb + 0.01, leavingAside: free.lineLogProb + 0.01 } })).unsure, true);
    assert.equal((await pipeline.complete({ ...req, minScore: { line: Infinity, withNext: Infinity, leaving: free.lineLogProb - 0.01, leavingAside: free.lineLogProb - 0.01 } })).text, free.text);
  });

  it('judges a line that steps aside there (a return, throw or raise; a comment) against `leavingAside`: the cursor\'s line as the suggestion completes it', async () => {
    const pipeline = new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer, { cache: false });
    const req = { ...request('export function area(r: number) {\n  const d = r * 2;\n  return ', '\n}\n'), limits: { maxTokens: 8 }, candidates: 2 };
    const free = await pipeline.complete(req);
    assert.ok(free.text !== undefined && free.lineLogProb !== undefined && free.leavesBlock, `judged by itself: ${JSON.stringify(free)}`);
    assert.equal(free.line, `  return ${free.text.split('\n')[0]}`, 'the line judged: what was typed of it and the suggestion');
    const lp = free.lineLogProb;
    assert.equal((await pipeline.complete({ ...req, minScore: { line: -Infinity, withNext: -Infinity, leaving: -Infinity, leavingAside: lp + 0.01 } })).unsure, true);
    assert.equal((await pipeline.complete({ ...req, minScore: { line: Infinity, withNext: Infinity, leaving: Infinity, leavingAside: lp - 0.01 } })).text, free.text);
    // The same place with `const x = ` typed instead is not a return: `leaving` judges it.
    const other = { ...req, prefix: req.prefix.replace(/return $/, 'const x = ') };
    const plain = await pipeline.complete(other);
    assert.ok(plain.lineLogProb !== undefined && plain.leavesBlock, JSON.stringify(plain));
    assert.equal((await pipeline.complete({ ...other, minScore: { line: Infinity, withNext: Infinity, leaving: plain.lineLogProb - 0.01, leavingAside: Infinity } })).text, plain.text);
  });

  it('firstLineSure: the next line counts at NEXT_LINE_WEIGHT where known; the levels keep their order', () => {
    assert.equal(firstLineSure({ lineLogProb: -3 }, MIN_SCORE.likely), true);
    assert.equal(firstLineSure({ lineLogProb: -3, nextLogProb: -10 }, MIN_SCORE.likely), true); // -3 - 1 >= -5.75
    assert.equal(firstLineSure({ lineLogProb: -3, nextLogProb: -40 }, MIN_SCORE.likely), false); // a line that leads badly into the next: -7
    assert.equal(firstLineSure({ lineLogProb: -4.5 }, MIN_SCORE.likely), false);
    assert.equal(firstLineSure({ nextLogProb: -40 }, MIN_SCORE.sure), true, 'nothing to judge it by');
    assert.equal(firstLineSure({ lineLogProb: -50, nextLogProb: -500 }, MIN_SCORE.any), true);
    assert.equal(firstLineSure({ lineLogProb: -3.5, nextLogProb: -1, leavesBlock: true }, MIN_SCORE.likely), false, 'where the next line leaves the block, by the line alone against `leaving`');
    assert.equal(firstLineSure({ lineLogProb: -2.9, nextLogProb: -100, leavesBlock: true }, MIN_SCORE.likely), true);
    assert.equal(firstLineSure({ lineLogProb: -2.9, leavesBlock: true, line: '    return err' }, MIN_SCORE.likely), false, 'a line that ends the function there, against `leavingAside`');
    assert.equal(firstLineSure({ lineLogProb: -1.9, leavesBlock: true, line: '\tthrow new Error("x")' }, MIN_SCORE.likely), true);
    assert.equal(firstLineSure({ lineLogProb: -2.9, leavesBlock: true, line: '    returned = true' }, MIN_SCORE.likely), true, 'a word that starts with return is not one');
    assert.equal(firstLineSure({ lineLogProb: -2.9, line: '    return err' }, MIN_SCORE.likely), true, 'where the next line stays in the block, as any line');
    // A comment there is judged so too; a C directive, a Rust attribute and a pointer's `*p` are code.
    for (const comment of ['    // the rest', '    # the rest', '    #', '  /* the rest */', '   * the rest', '   */']) assert.equal(firstLineSure({ lineLogProb: -2.5, leavesBlock: true, line: comment }, MIN_SCORE.likely), false, comment);
    for (const code of ['#define N 4', '    #[inline]', '    *last++ = 0;', '    x = a // b']) assert.equal(firstLineSure({ lineLogProb: -2.5, leavesBlock: true, line: code }, MIN_SCORE.likely), true, code);
    assert.equal(firstLineSure({ lineLogProb: -40, nextLogProb: -40, between: true }, MIN_SCORE.sure), true, 'the line between both neighbours is shown at every level');
    assert.ok(MIN_SCORE.sure.line > MIN_SCORE.likely.line && MIN_SCORE.sure.withNext > MIN_SCORE.likely.withNext && MIN_SCORE.sure.leaving > MIN_SCORE.likely.leaving && MIN_SCORE.sure.leavingAside > MIN_SCORE.likely.leavingAside);
    for (const level of ['likely', 'sure'] as const) assert.ok(MIN_SCORE[level].leavingAside >= MIN_SCORE[level].leaving, 'a return or a comment there is judged at least as strictly as any line');
  });

  it('scores every line where a suggestion may run over several, and asked with a least score, ends it before the first later line it is unsure of', async () => {
    const pipeline = new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer, { cache: false, severalLines: true });
    // An empty function body (its brace closed below): a place for several lines.
    const req: PipelineRequest = { path: 'm.ts', prefix: 'export function f(a: number) {\n  ', suffix: '\n}\n', limits: { maxTokens: 40 } };
    const free = await pipeline.complete(req);
    // On the CPU (the default there) the same place gets one line: the same first line, scored alone.
    const cpu = await new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer, { cache: false }).complete(req);
    assert.equal(cpu.text, free.text?.split('\n')[0]);
    assert.ok(cpu.generated < free.generated && cpu.lineLogProbs === undefined, `one line: ${cpu.generated} tokens against ${free.generated}`);
    assert.ok(free.text?.includes('\n'), `the tiny model writes more than one line here: ${JSON.stringify(free.text)}`);
    assert.equal(free.lineLogProbs?.length, free.raw.split('\n').length);
    assert.equal(free.lineLogProbs?.[0], free.lineLogProb);
    assert.ok(free.lineLogProbs!.slice(1).some((x) => x !== undefined && x < MIN_LATER_LINE_LOG_PROB), 'a later line it is unsure of');
    const asked = await pipeline.complete({ ...req, minScore: MIN_SCORE.any });
    assert.equal(asked.text, postprocess({ completion: cutUnsureLines(free.raw, free.lineLogProbs, MIN_LATER_LINE_LOG_PROB), prefix: req.prefix, suffix: req.suffix, language: 'typescript' }));
    assert.ok(asked.text !== undefined && !asked.text.includes('\n'), JSON.stringify(asked.text));
    // One line at the cursor (text follows it): its first line alone is scored.
    const one = await pipeline.complete({ ...req, suffix: ' + 1;\n}\n' });
    assert.equal(one.lineLogProbs, undefined);
  });

  it('cutUnsureLines: the first line always, later ones up to the first scored below the least (an unscored empty line stays)', () => {
    assert.equal(cutUnsureLines('a\nb\n\nc\nd', [-9, -1, undefined, -3, -1], -2), 'a\nb\n');
    assert.equal(cutUnsureLines('a\nb', [-9, -1], -2), 'a\nb');
    assert.equal(cutUnsureLines('a\nb', undefined, -2), 'a\nb');
  });

  it('a decoder that takes the state over generates what the engine would', async () => {
    const decoder = createCpuEngine(tiny.engine.model);
    const own = new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer, { cache: false });
    const handed = new CompletionPipeline(tiny.engine, decoder, tiny.tokenizer, { cache: false });
    const req = { ...request(DOC.slice(0, at(60)), DOC.slice(at(60))), limits: { maxTokens: 8 } };
    const a = await own.complete(req);
    const b = await handed.complete(req);
    assert.equal(b.raw, a.raw);
    assert.equal(b.generated, a.generated);
  });

  it('the prompt holds 3,000 characters of the file before the line on the CPU engine (autoPrefixChars), 6,000 where asked', async () => {
    const req = request(DOC.slice(0, at(300)), DOC.slice(at(300)));
    const promptTokens = async (o: { maxPrefixChars?: number }) => (await new CompletionPipeline(tiny.engine, undefined, tiny.tokenizer, { cache: false, ...o }).readAhead(req)).promptTokens;
    const auto = await promptTokens({});
    assert.equal(auto, await promptTokens({ maxPrefixChars: 3000 }));
    const six = await promptTokens({ maxPrefixChars: 6000 });
    assert.ok(six > 1.6 * auto, `6,000 characters: ${six} tokens, the CPU's default: ${auto}`);
  });

  it('a prompt keeps a snapshot at every 8th line start of its window and no more, so a new place runs in few prefill calls; a move of a few lines still resumes near it', async () => {
    const engine = tiny.engine;
    let calls = 0;
    const prefill = engine.prefill;
    engine.prefill = function (this: typeof engine, ...args: Parameters<typeof prefill>) {
      calls++;
      return prefill.apply(this, args);
    };
    const place = request(DOC.slice(0, at(300)), DOC.slice(at(300)));
    const callsFor = async (o: { recentLines?: number; sparseLines?: number }) => {
      const pipeline = new CompletionPipeline(engine, undefined, tiny.tokenizer, { cache: false, ...o });
      calls = 0;
      const read = await pipeline.readAhead(place);
      return { pipeline, read, calls };
    };
    try {
      const auto = await callsFor({});
      // The placement before stop 62: every one of the last 32 line starts too, each a call of its own.
      const before = await callsFor({ recentLines: 32, sparseLines: 16 });
      assert.equal(auto.read.prefilled, before.read.prefilled);
      assert.ok(auto.calls + 20 <= before.calls, `${auto.calls} prefill calls against ${before.calls} with the last 32 line starts kept`);
      const up = await auto.pipeline.readAhead(request(DOC.slice(0, at(297)), DOC.slice(at(297))));
      assert.ok(up.prefilled > 0 && up.prefilled < auto.read.prefilled / 4, `a move 3 lines up read ${up.prefilled} of ${auto.read.prefilled} tokens again`);
    } finally {
      engine.prefill = prefill;
    }
  });

  it('windows: the start of linesBefore stays put while the editor\'s prefix window (12,000 characters here) moves with the cursor', () => {
    const doc = DOC.repeat(3);
    const windows = new PrefixWindows(6000);
    let cursor = at(300) + DOC.length;
    const cut = () => {
      const start = Math.max(0, cursor - 12_000);
      const w = windows.cut('a.ts', doc.slice(start, cursor), doc.slice(cursor), start);
      return { ...w, docStart: cursor - w.lineHead.length - w.linesBefore.length };
    };
    const a = cut();
    assert.ok(a.linesBefore.length <= 6000 && doc[a.docStart - 1] === '\n', 'whole lines within 6,000 characters');
    for (const typed of ['x', '\n', 'y', '\n', 'z']) {
      cursor += 1; // as if typed: the document is unchanged before the cursor's old place
      const w = cut();
      assert.equal(w.docStart, a.docStart, `after ${JSON.stringify(typed)} the window starts at the same document offset`);
    }
    assert.ok(cut().suffix.length <= 600 && cut().suffix.split('\n').length <= 11);
  });

  it('windows: after a jump, a start kept from the old place leaves the new one a whole window; moving back keeps it', () => {
    const doc = DOC.repeat(3);
    const windows = new PrefixWindows(6000);
    const cut = (cursor: number) => {
      const w = windows.cut('a.ts', doc.slice(0, cursor), doc.slice(cursor));
      return cursor - w.lineHead.length - w.linesBefore.length;
    };
    const lineAfter = (offset: number) => doc.indexOf('\n', offset) + 1;
    // Near the top the window starts at the document's start; 8,000 characters down it would be
    // 8,000 long with that start (within 1.5x), and it is cut to 6,000 instead.
    assert.equal(cut(lineAfter(2000)), 0);
    const far = lineAfter(8000);
    const start = cut(far);
    assert.ok(start > 0 && far - start <= 6000, `the window after the jump starts at ${start}, ${far - start} characters before the line`);
    // Typing on from there keeps it (a few lines down).
    assert.equal(cut(lineAfter(far + 200)), start);
    // Back up within it: kept.
    assert.equal(cut(lineAfter(start + 3000)), start);
  });
});
