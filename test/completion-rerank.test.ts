import * as assert from 'node:assert/strict';
import { complete } from '../src/completion/complete';
import { chooseLine, LEAVING_NEXT_WEIGHT, lineBelow, nextLeavesBlock, nextLineText, REPOSITORY_LINE_BONUS } from '../src/completion/rerank';
import type { Engine } from '../src/engine/engine';
import { argmax } from '../src/engine/sampling';
import { createGpuEngine } from '../src/gpu/engine';
import { completionStopIds } from '../src/prompt';
import { loadTiny } from './helpers/workspace';

/** log p(ids | prompt) from a fresh state, every position's logits from one prefill. */
async function logProbOf(engine: Engine, prompt: readonly number[], ids: readonly number[]): Promise<number> {
  const s = engine.newState();
  const all = await engine.prefill([...prompt, ...ids], s, { allLogits: true });
  engine.release(s);
  const V = engine.model.config.vocabSize;
  let sum = 0;
  for (let i = 0; i < ids.length; i++) {
    const row = all.subarray((prompt.length + i - 1) * V, (prompt.length + i) * V);
    let max = -Infinity;
    for (const v of row) max = Math.max(max, v);
    let z = 0;
    for (const v of row) z += Math.exp(v - max);
    sum += row[ids[i]] - max - Math.log(z);
  }
  return sum;
}

/** The tiny model on the CPU after `text`: its state, last logits and stop tokens, for chooseLine. */
async function afterPrompt(text: string) {
  const { engine, tokenizer } = await loadTiny();
  const prompt = tokenizer.encode(text);
  const state = engine.newState();
  const logits = await engine.prefill(prompt, state);
  return { engine, tokenizer, prompt, state, logits, stop: completionStopIds(tokenizer) };
}

/** A candidate's score: log p(line) + log p(next line), and REPOSITORY_LINE_BONUS for a line the repository offered. */
const score = (c: { line: number; next: number; kind?: string }) => c.line + c.next + (c.kind === 'repository' ? REPOSITORY_LINE_BONUS : 0);

describe('choosing the cursor line by the next line (rerank)', () => {
  it('cpu: a line the repository offers is scored as a candidate, as from scratch, and kept where it scores best', async () => {
    const { engine, tokenizer, prompt, state, logits, stop } = await afterPrompt('function area(r) {\n  const x = r * r;\n ');
    const next = '\n}';
    const offered = ' return x * 3;';
    const chosen = await chooseLine(engine, tokenizer, state, logits, undefined, stop, { candidates: 2, next, maxLineTokens: 12, lines: [offered] });
    assert.ok(chosen);
    const repo = chosen.candidates.filter((c) => c.kind === 'repository');
    assert.deepEqual(repo.map((c) => c.text), [offered]);
    const ids = tokenizer.encode(offered);
    assert.equal(repo[0].tokens, ids.length);
    assert.ok(Math.abs(repo[0].line - (await logProbOf(engine, prompt, ids))) < 1e-3);
    assert.ok(Math.abs(repo[0].line + repo[0].next - (await logProbOf(engine, prompt, [...ids, ...tokenizer.encode(next)]))) < 1e-3);
    const best = chosen.candidates.reduce((b, c, i) => (score(c) > score(chosen.candidates[b]) ? i : b), 0);
    assert.equal(chosen.index, best);
    assert.equal(tokenizer.decode(chosen.tokens), chosen.candidates[best].text, 'the kept tokens spell the best candidate');
    engine.release(chosen.state);
    // A line that would end the line (a newline inside) or is too long is not offered to the model.
    const none = await chooseLine(engine, tokenizer, state, logits, undefined, stop, { candidates: 2, next, maxLineTokens: 12, lines: [' a;\n b;', ' x'.repeat(20)] });
    assert.ok(none);
    assert.equal(none.candidates.filter((c) => c.kind === 'repository').length, 0);
    engine.release(none.state);
    engine.release(state);
  });

  it('cpu: a line the repository offers counts REPOSITORY_LINE_BONUS more: it is kept over a model line that scores a little better', async () => {
    const { engine, tokenizer, state, logits, stop } = await afterPrompt('function area(r) {\n  const x = r * r;\n ');
    // For the tiny model this line scores 1.27 nats below its best own line (found by a search over made-up lines).
    const chosen = await chooseLine(engine, tokenizer, state, logits, undefined, stop, { candidates: 2, next: '\n}', maxLineTokens: 12, lines: [' x x x x x x x x x x x'] });
    assert.ok(chosen);
    const own = Math.max(...chosen.candidates.filter((c) => c.kind !== 'repository').map((c) => c.line + c.next));
    const offered = chosen.candidates.findIndex((c) => c.kind === 'repository');
    const behind = own - (chosen.candidates[offered].line + chosen.candidates[offered].next);
    assert.ok(behind > 0 && behind < REPOSITORY_LINE_BONUS, `the offered line is ${behind} nats behind the model's best`);
    assert.equal(chosen.index, offered);
    engine.release(chosen.state);
    engine.release(state);
  });

  it('cpu: the line the repository writes between both neighbours is taken alone, no model line made; one that wrongLine rules out is passed over', async () => {
    const before = 'function area(r) {\n  const x = r * r;\n';
    const { engine, tokenizer, state, logits, stop } = await afterPrompt(`${before} `);
    const far = ' 12345 67890;'; // for the tiny model, 7.8 nats below its best own line
    const o = { candidates: 2, next: '\n}', maxLineTokens: 12, lines: [far] };
    const scored = await chooseLine(engine, tokenizer, state, logits, undefined, stop, o);
    assert.ok(scored);
    const own = Math.max(...scored.candidates.filter((c) => c.kind !== 'repository').map((c) => score(c)));
    const offered = scored.candidates.find((c) => c.kind === 'repository')!;
    assert.ok(own > score(offered) + 1, 'a model line scores better, the bonus included');
    assert.notEqual(scored.candidates[scored.index].kind, 'repository', 'as a repository line it loses');
    const between = await chooseLine(engine, tokenizer, state, logits, undefined, stop, { ...o, between: far, lineHead: ' ', above: before });
    assert.ok(between);
    assert.deepEqual(between.candidates.map((c) => [c.text, c.kind]), [[far, 'between']], 'scored alone');
    assert.equal(between.candidates[0].line, offered.line, 'scored as it was among the others');
    assert.equal(tokenizer.decode(between.tokens), far);
    // A line between both neighbours that copies the line above: the model's lines are made, and one of them kept.
    const copy = ' const x = r * r;';
    const asked = { ...o, candidates: 3, branches: 1, lines: [copy], lineHead: ' ', above: before };
    const ruled = await chooseLine(engine, tokenizer, state, logits, undefined, stop, { ...asked, between: copy });
    const plain = await chooseLine(engine, tokenizer, state, logits, undefined, stop, asked);
    assert.ok(ruled && plain);
    assert.equal(ruled.candidates[0].kind, 'between');
    assert.notEqual(ruled.candidates[ruled.index].text, copy);
    const made = (c: typeof ruled) => c.candidates.filter((k) => k.kind === 'first' || k.kind === 'branch').map((k) => [k.text, k.kind]);
    assert.deepEqual(made(ruled), made(plain), 'the same model lines, the greedy one branched');
    assert.equal(ruled.candidates[ruled.index].text, plain.candidates[plain.index].text);
    for (const c of [scored, between, ruled, plain]) engine.release(c.state);
    engine.release(state);
  });

  it('cpu: a candidate that makes the cursor\'s line the next line again is passed over while another exists', async () => {
    const { engine, tokenizer, state, logits, stop } = await afterPrompt('function area(r) {\n  const x = r * r;\n  return x;\n}\nfunction box(r) {\n  const x = r * r;\n ');
    const next = '\n  return x;';
    const o = { candidates: 2, next, maxLineTokens: 12, lines: [' return x;'] };
    const free = await chooseLine(engine, tokenizer, state, logits, undefined, stop, o);
    const kept = await chooseLine(engine, tokenizer, state, logits, undefined, stop, { ...o, lineHead: ' ' });
    assert.ok(free && kept);
    const dup = free.candidates.findIndex((c) => c.text === ' return x;');
    assert.ok(dup >= 0);
    // The repeated line scores best (-50 against about -98 here): the rule is what moves the choice.
    assert.equal(free.index, dup, 'without the line head, the repeated line is the best-scored one');
    assert.notEqual(kept.candidates[kept.index].text, ' return x;');
    const others = kept.candidates.map((c, i) => ({ c, i })).filter(({ c }) => c.text !== ' return x;');
    assert.equal(kept.index, others.reduce((b, x) => (score(x.c) > score(b.c) ? x : b)).i, 'the best of the others');
    engine.release(free.state);
    engine.release(kept.state);
    engine.release(state);
  });

  it('cpu: a candidate that copies the line above is passed over while another exists', async () => {
    const before = 'function area(r) {\n  const x = r * r;\n';
    const { engine, tokenizer, state, logits, stop } = await afterPrompt(`${before} `);
    const o = { candidates: 2, next: '\n}', maxLineTokens: 12, lines: [' const x = r * r;'] };
    const free = await chooseLine(engine, tokenizer, state, logits, undefined, stop, { ...o, lineHead: ' ' });
    const kept = await chooseLine(engine, tokenizer, state, logits, undefined, stop, { ...o, lineHead: ' ', above: before });
    assert.ok(free && kept);
    const dup = kept.candidates.findIndex((c) => c.text === ' const x = r * r;');
    assert.ok(dup >= 0, 'the copy is a candidate');
    assert.notEqual(kept.candidates[kept.index].text, ' const x = r * r;');
    const others = kept.candidates.map((c, i) => ({ c, i })).filter(({ c }) => c.text !== ' const x = r * r;');
    assert.equal(kept.index, others.reduce((b, x) => (score(x.c) > score(b.c) ? x : b)).i, 'the best of the others');
    // Without the text above, the copy is the best-scored candidate: the rule is what moves the choice.
    assert.equal(free.candidates[free.index].text, ' const x = r * r;', JSON.stringify(free.candidates.map((c) => [c.text, score(c)])));
    engine.release(free.state);
    engine.release(kept.state);
    engine.release(state);
  });

  it('cpu: complete() scores the first line it shows: the greedy line as log p(line | prompt) from scratch, a chosen line by its candidate score', async () => {
    // The tiny model's greedy text here: six tokens, then one that ends the line, then more lines.
    const { engine, tokenizer, prompt, stop } = await afterPrompt('let\n} ');
    const run = async (rerank?: { candidates: number; next: string; maxLineTokens: number }) => {
      const s = engine.newState();
      await engine.prefill(prompt.slice(0, -1), s);
      try {
        return await complete(engine, tokenizer, { state: s, last: prompt[prompt.length - 1] }, { maxTokens: 16, rerank });
      } finally {
        engine.release(s);
      }
    };
    // The greedy first line, decoded step by step from a fresh state: its tokens before the one that ends the line.
    const s = engine.newState();
    let logits = await engine.prefill(prompt, s);
    const line: number[] = [];
    for (let t = argmax(logits); line.length < 16 && !stop.includes(t) && !tokenizer.decode([t]).includes('\n'); t = argmax(logits)) {
      line.push(t);
      logits = await engine.step(t, s);
    }
    engine.release(s);
    assert.ok(line.length > 1, 'the tiny model writes a first line here');
    const greedy = await run();
    assert.equal(greedy.candidates, undefined);
    assert.ok(greedy.tokens > line.length + 1, 'it writes past the first line (which alone is scored)');
    assert.ok(greedy.lineLogProb !== undefined && Math.abs(greedy.lineLogProb - (await logProbOf(engine, prompt, line))) < 1e-3, `${greedy.lineLogProb}`);
    const chosen = await run({ candidates: 3, next: '\n}', maxLineTokens: 16 });
    assert.ok(chosen.candidates);
    assert.equal(chosen.lineLogProb, chosen.candidates.lines[chosen.candidates.index].line);
  });

  it('cpu: with scoreLines "all", complete() scores each line it writes as from scratch', async () => {
    const { engine, tokenizer, prompt, stop } = await afterPrompt('let\n} ');
    const ends = (id: number) => stop.includes(id) || tokenizer.decode([id]).includes('\n');
    const s = engine.newState();
    await engine.prefill(prompt.slice(0, -1), s);
    const out = await complete(engine, tokenizer, { state: s, last: prompt[prompt.length - 1] }, { maxTokens: 24, scoreLines: 'all' });
    engine.release(s);
    // The tokens it wrote, decoded greedily step by step from a fresh state, split into lines as complete() splits them.
    const g = engine.newState();
    let logits = await engine.prefill(prompt, g);
    const ids: number[] = [];
    for (let t = argmax(logits); ids.length < out.tokens && !stop.includes(t); t = argmax(logits)) {
      ids.push(t);
      logits = await engine.step(t, g);
    }
    engine.release(g);
    assert.equal(tokenizer.decode(ids), out.text);
    const want: (number | undefined)[] = [];
    for (let i = 0, line = 0, start = 0; i <= ids.length; i++) {
      if (i < ids.length && !ends(ids[i])) continue;
      if (i > start) want[line] = await logProbOf(engine, [...prompt, ...ids.slice(0, start)], ids.slice(start, i));
      [line, start] = [line + 1, i + 1];
    }
    assert.ok(want.filter((x) => x !== undefined).length >= 2, 'it writes two lines with something on them');
    assert.equal(out.lineLogProbs?.length, want.length);
    for (let k = 0; k < want.length; k++) assert.ok(want[k] === out.lineLogProbs![k] || Math.abs(want[k]! - out.lineLogProbs![k]!) < 1e-3, `line ${k}: ${out.lineLogProbs![k]} against ${want[k]}`);
  });

  it('cpu: with nextWeight 0 a line is kept by its own log-probability, and complete() reports no next-line score to judge it by', async () => {
    const { engine, tokenizer, prompt, state, logits, stop } = await afterPrompt('function area(r) {\n ');
    // Two offered lines the tiny model scores within 0.1 of each other, the next line's share the other way.
    const o = { candidates: 2, next: '\n}', maxLineTokens: 12, lines: [' let', ' y'] };
    const best = (c: { candidates: readonly { line: number; next: number }[] }, f: (x: { line: number; next: number }) => number) => c.candidates.reduce((b, x, i) => (f(x) > f(c.candidates[b]) ? i : b), 0);
    const both = (await chooseLine(engine, tokenizer, state, logits, undefined, stop, o))!;
    const alone = (await chooseLine(engine, tokenizer, state, logits, undefined, stop, { ...o, nextWeight: 0 }))!;
    assert.equal(both.index, best(both, score));
    assert.equal(alone.index, best(alone, (x) => x.line));
    assert.notEqual(both.candidates[both.index].text, alone.candidates[alone.index].text, 'here the next line changes the choice');
    engine.release(both.state);
    engine.release(alone.state);
    engine.release(state);
    const s = engine.newState();
    await engine.prefill(prompt.slice(0, -1), s);
    const out = await complete(engine, tokenizer, { state: s, last: prompt[prompt.length - 1] }, { maxTokens: 8, rerank: { ...o, nextWeight: 0 } });
    assert.ok(out.candidates && out.lineLogProb !== undefined);
    assert.equal(out.nextLogProb, undefined);
    // Where the next line counted less (it leaves the block), the line is judged alone too; where fully, with it.
    for (const [nextWeight, reported] of [[LEAVING_NEXT_WEIGHT, false], [1, true]] as const) {
      const t = engine.newState();
      await engine.prefill(prompt.slice(0, -1), t);
      const r = await complete(engine, tokenizer, { state: t, last: prompt[prompt.length - 1] }, { maxTokens: 8, rerank: { ...o, nextWeight } });
      engine.release(t);
      assert.equal(r.nextLogProb !== undefined, reported, `nextWeight ${nextWeight}`);
    }
    engine.release(s);
  });

  it('nextLeavesBlock: the next line that holds something is indented less than the cursor\'s (the editor\'s closing brace, the next definition)', () => {
    assert.equal(nextLeavesBlock('export function area(r: number) {\n  ', '\n}\n'), true, "the editor's closing brace below a new body");
    assert.equal(nextLeavesBlock('function f() {\n  a();\n  ', '\n}\n'), true, 'a body begun: its brace still says little of the line');
    assert.equal(nextLeavesBlock('func f() {\n\t// Why it is here.\n\t', '\n}\n'), true, 'tabs');
    assert.equal(nextLeavesBlock('def area(r):\n    """The area."""\n    ', '\n\ndef other():\n'), true, 'the next definition below, blank lines between');
    assert.equal(nextLeavesBlock('function f() {\n  ', '\n  b();\n}\n'), false, 'the next line is in the block');
    assert.equal(nextLeavesBlock('if (x) {\n    ', '\n        y();\n'), false, 'deeper');
    assert.equal(nextLeavesBlock('x = 1\n', '\ny = 2\n'), false, 'no block');
    assert.equal(nextLeavesBlock('function f() {\n  ', ''), false, 'no next line');
    // lineBelow, which it reads the next line by: after the cursor's line, blank lines skipped, as it stands.
    assert.equal(lineBelow('tail of this line\n\n  \n\tnext();\nlater();'), '\tnext();');
    assert.equal(lineBelow('x();\n\n'), undefined);
    assert.equal(lineBelow('no line after'), undefined);
    assert.equal(lineBelow('\nlast'), 'last');
  });

  it('nextLineText: the next line that holds something, none with text after the cursor', () => {
    assert.equal(nextLineText('\n  return x\n}\n'), '\n  return x');
    assert.equal(nextLineText('   \n\n\n  y()\n'), '\n\n\n  y()');
    assert.equal(nextLineText(')\n  return x\n'), undefined, 'the suggestion must fit before ")"');
    assert.equal(nextLineText('\n\n\n\n\n  far()\n'), undefined);
    assert.equal(nextLineText(''), undefined);
  });

  for (const backend of ['cpu', 'gpu'] as const) {
    it(`${backend}: keeps the candidate whose line and next line are most likely together, as scored from scratch`, async function () {
      const tiny = await loadTiny();
      const engine = backend === 'cpu' ? tiny.engine : await createGpuEngine(tiny.engine.model);
      try {
        const { tokenizer } = tiny;
        const stop = completionStopIds(tokenizer);
        const prompt = tokenizer.encode('function area(r) {\n  const x = r * r;\n ');
        const next = '\n  return x;';
        const nextIds = tokenizer.encode(next);
        const state = engine.newState();
        const logits = await engine.prefill(prompt, state);
        const before = state.position;
        const chosen = await chooseLine(engine, tokenizer, state, logits, undefined, stop, { candidates: 4, next, maxLineTokens: 6 });
        assert.ok(chosen, 'candidates were scored');
        assert.equal(state.position, before, 'the prompt state is left as it was');
        // The reference: the 4 best first tokens, each continued greedily from scratch to a line end.
        const firsts = [...logits.keys()].sort((a, b) => logits[b] - logits[a]).slice(0, 4);
        const endsLine = (id: number) => stop.includes(id) || tokenizer.decode([id]).includes('\n');
        const scored: { tokens: number[]; line: number; score: number }[] = [];
        for (const first of firsts) {
          if (endsLine(first)) continue;
          const tokens = [first];
          for (;;) {
            if (tokens.length >= 6) break;
            const s = engine.newState();
            const l = await engine.prefill([...prompt, ...tokens], s);
            engine.release(s);
            const t = argmax(l);
            if (endsLine(t)) break;
            tokens.push(t);
          }
          if (tokenizer.decode(tokens).trim() === '' || scored.some((c) => tokenizer.decode(c.tokens) === tokenizer.decode(tokens))) continue;
          scored.push({ tokens, line: await logProbOf(engine, prompt, tokens), score: await logProbOf(engine, prompt, [...tokens, ...nextIds]) });
        }
        // Every candidate, its text and its score as from scratch (the GPU's prefill and steps round differently).
        assert.deepEqual(chosen.candidates.map((c) => c.text), scored.map((c) => tokenizer.decode(c.tokens)));
        const tol = backend === 'cpu' ? 1e-3 : 2e-2;
        chosen.candidates.forEach((c, i) => {
          assert.equal(c.tokens, scored[i].tokens.length);
          assert.ok(Math.abs(c.line - scored[i].line) < tol, `line ${c.line} vs ${scored[i].line}`);
          assert.ok(Math.abs(c.line + c.next - scored[i].score) < tol, `line + next ${c.line + c.next} vs ${scored[i].score}`);
        });
        assert.ok(scored.length >= 3, 'several candidates to choose among');
        const best = scored.reduce((a, b) => (b.score > a.score ? b : a));
        assert.deepEqual(chosen.tokens, best.tokens);
        assert.equal(chosen.state.position, before + best.tokens.length);
        engine.release(chosen.state);
        // A request the user has moved past makes no candidates and chooses nothing.
        const aborted = new AbortController();
        aborted.abort();
        assert.equal(await chooseLine(engine, tokenizer, state, logits, undefined, stop, { candidates: 4, next, maxLineTokens: 6, signal: aborted.signal }), undefined);
        assert.equal(state.position, before);
        engine.release(state);
      } finally {
        if (engine !== tiny.engine) await engine.dispose();
      }
    });
  }

  for (const backend of ['cpu', 'gpu'] as const) {
    it(`${backend}: a branch candidate is the greedy line changed at its least likely token, as made from scratch`, async function () {
      this.timeout(120_000);
      const tiny = await loadTiny();
      const engine = backend === 'cpu' ? tiny.engine : await createGpuEngine(tiny.engine.model);
      try {
        const { tokenizer } = tiny;
        const stop = completionStopIds(tokenizer);
        const endsLine = (id: number) => stop.includes(id) || tokenizer.decode([id]).includes('\n');
        const prompt = tokenizer.encode('function area(r) {\n  const x = r * r;\n ');
        const next = '\n  return x;';
        const state = engine.newState();
        const logits = await engine.prefill(prompt, state);
        const chosen = await chooseLine(engine, tokenizer, state, logits, undefined, stop, { candidates: 3, branches: 1, next, maxLineTokens: 8 });
        assert.ok(chosen, 'candidates were scored');
        // From scratch: greedy continuation of `start` to a line end (8 tokens at most).
        const continueLine = async (start: number[]) => {
          const tokens = [...start];
          while (tokens.length < 8) {
            const s = engine.newState();
            const t = argmax(await engine.prefill([...prompt, ...tokens], s));
            engine.release(s);
            if (endsLine(t)) break;
            tokens.push(t);
          }
          return tokens;
        };
        const greedy = await continueLine([argmax(logits)]);
        // Its least likely token past the first, where the line already holds something.
        let weakest = -1;
        let low = Infinity;
        for (let j = 1; j < greedy.length; j++) {
          if (tokenizer.decode(greedy.slice(0, j)).trim() === '') continue;
          const lp = await logProbOf(engine, [...prompt, ...greedy.slice(0, j)], [greedy[j]]);
          if (lp < low) [low, weakest] = [lp, j];
        }
        assert.ok(weakest > 0, 'the greedy line has a token to branch at');
        const s = engine.newState();
        const row = Float32Array.from(await engine.prefill([...prompt, ...greedy.slice(0, weakest)], s));
        engine.release(s);
        row[greedy[weakest]] = -Infinity;
        const alt = argmax(row);
        const branch = endsLine(alt) ? greedy.slice(0, weakest) : await continueLine([...greedy.slice(0, weakest), alt]);
        const texts = chosen.candidates.map((c) => c.text);
        assert.equal(texts[0], tokenizer.decode(greedy), 'candidate 0 is the greedy line');
        assert.equal(texts[texts.length - 1], tokenizer.decode(branch), 'the last candidate is its branch');
        assert.equal(texts.length, 3, 'two first tokens and one branch');
        assert.deepEqual(chosen.candidates.map((c) => c.kind), ['first', 'first', 'branch']);
        engine.release(chosen.state);
        engine.release(state);
      } finally {
        if (engine !== tiny.engine) await engine.dispose();
      }
    });
  }

  it('complete() with one candidate, or none to choose from, is greedy decoding; with several it returns the chosen line', async () => {
    const tiny = await loadTiny();
    const { engine, tokenizer } = tiny;
    const prompt = tokenizer.encode('function area(r) {\n  const x = r * r;\n ');
    const run = async (rerank?: { candidates: number; next: string; maxLineTokens: number }) => {
      const state = engine.newState();
      await engine.prefill(prompt.slice(0, -1), state);
      const r = await complete(engine, tokenizer, { state, last: prompt[prompt.length - 1] }, { maxTokens: 12, rerank });
      engine.release(state);
      return r.text;
    };
    const greedy = await run();
    assert.equal(await run({ candidates: 1, next: '\n  return x;', maxLineTokens: 12 }), greedy);
    const chosenRun = await run({ candidates: 4, next: '\n  return x;', maxLineTokens: 12 });
    // The chosen line, then greedy decoding from it (its first line is what chooseLine picked).
    const state = engine.newState();
    const logits = await engine.prefill(prompt, state);
    const chosen = (await chooseLine(engine, tokenizer, state, logits, undefined, completionStopIds(tokenizer), { candidates: 4, next: '\n  return x;', maxLineTokens: 12 }))!;
    assert.ok(chosenRun.startsWith(tokenizer.decode(chosen.tokens)), JSON.stringify([chosenRun, tokenizer.decode(chosen.tokens)]));
    engine.release(chosen.state);
    engine.release(state);
  });
});
