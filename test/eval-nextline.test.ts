import * as assert from 'node:assert/strict';
import { loadTiny, type Tiny } from './helpers/workspace';
import { writeEvalRepo } from './helpers/eval-repo';
import { loadRepo, type Repo } from '../src/eval/repo';
import { Healer } from '../src/prompt/heal';
import { contextFiles, eligibleTargets, isEligibleLine, promptTokens, runNextLine, sampleTargets, summarizeGain, summarizeSetting, type Target } from '../src/eval/nextline';
import { bootstrapCI, editSimilarity, exactMatch, levenshtein, mean, sampleIndices, standardError } from '../src/eval/stats';
import type { Engine } from '../src/engine/engine';
import type { Tokenizer } from '../src/model/tokenizer';

describe('eval: next line', () => {
  let tiny: Tiny;
  let repo: Repo;
  before(async () => {
    tiny = await loadTiny();
    repo = await loadRepo(await writeEvalRepo(), tiny.tokenizer);
  });

  it('exact match and edit similarity', () => {
    assert.equal(levenshtein('kitten', 'sitting'), 3);
    assert.equal(levenshtein('', 'abc'), 3);
    assert.equal(levenshtein('abc', 'abc'), 0);
    assert.ok(exactMatch('  return x;  ', '\treturn x;'));
    assert.ok(!exactMatch('return x', 'return x;'));
    assert.equal(editSimilarity('  abc', 'abd  '), 1 - 1 / 3);
    assert.equal(editSimilarity('', ''), 1);
    assert.equal(editSimilarity('', 'abcd'), 0);
    assert.equal(editSimilarity('kitten', 'sitting'), 1 - 3 / 7);
  });

  it('statistics: mean, standard error, seeded bootstrap interval', () => {
    const xs = [1, 0, 1, 1, 0, 1, 0, 1, 1, 1];
    assert.equal(mean(xs), 0.7);
    assert.ok(Math.abs(standardError(xs) - Math.sqrt((0.7 * 0.3 * 10) / 9 / 10)) < 1e-12);
    const [lo, hi] = bootstrapCI(xs, 2000, 3);
    assert.ok(lo < 0.7 && hi > 0.7 && lo >= 0 && hi <= 1, `${lo} ${hi}`);
    assert.deepEqual(bootstrapCI(xs, 2000, 3), [lo, hi]);
    assert.deepEqual(bootstrapCI([0.5, 0.5], 100), [0.5, 0.5]);
  });

  it('samples eligible lines deterministically', () => {
    assert.ok(!isEligibleLine(''));
    assert.ok(!isEligibleLine('   '));
    assert.ok(!isEligibleLine('}'));
    assert.ok(!isEligibleLine('  });'));
    assert.ok(!isEligibleLine('x'.repeat(201)));
    assert.ok(isEligibleLine('  return a + b;'));
    const all = eligibleTargets(repo);
    assert.ok(all.every((t) => isEligibleLine(t.truth)));
    assert.ok(!all.some((t) => t.truth.includes('LONG')), 'a line over 200 characters is skipped');
    for (const t of all) assert.equal(repo.files[t.file].text.slice(t.start).split('\n')[0], t.truth);
    const a = sampleTargets(repo, 6, 7), b = sampleTargets(repo, 6, 7), c = sampleTargets(repo, 6, 8);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.map((t) => `${t.path}:${t.line}`), c.map((t) => `${t.path}:${t.line}`));
    assert.equal(a.length, 6);
    assert.equal(sampleTargets(repo, 1000, 1).length, all.length, 'asking for more than exist gives all, once each');
    assert.deepEqual(sampleIndices(10, 4, 5), sampleIndices(10, 4, 5));
    assert.equal(new Set(sampleIndices(100, 50, 5)).size, 50);
  });

  it('prompt: <|file|> path, the prefix and the indentation; healing encodes the trailing whitespace as before text', () => {
    const t = eligibleTargets(repo).find((x) => x.truth === '  return a + b;')!;
    const file = repo.files[t.file];
    const p = promptTokens(tiny.tokenizer, file, t);
    assert.equal(p[0], tiny.tokenizer.specialId('<|file|>'));
    assert.equal(tiny.tokenizer.decode(p.slice(1)), `src/math.ts\n${file.text.slice(0, t.start)}  `);
    const healer = new Healer(tiny.tokenizer, tiny.engine.model.config.vocabSize);
    const h = healer.heal(p);
    assert.equal(h.healed, ' ', 'the last space of the indentation goes with the text after it');
    assert.ok(h.needsText);
    assert.equal(tiny.tokenizer.decode(h.tokens.slice(1)) + h.healed, tiny.tokenizer.decode(p.slice(1)));
    // A prefix cap keeps whole lines from the end.
    const cut = tiny.tokenizer.decode(promptTokens(tiny.tokenizer, file, t, 60).slice(1));
    assert.ok(cut.startsWith('src/math.ts\n') && cut.endsWith('{\n  ') && cut.length - 'src/math.ts\n  '.length <= 60, JSON.stringify(cut));
    assert.ok(file.text.slice(0, t.start).endsWith(cut.slice('src/math.ts\n'.length, -2)));
    // Constrained: only tokens consistent with the text still to re-spell.
    const logits = new Float32Array(tiny.engine.model.config.vocabSize).map((_, i) => i);
    const pick = healer.pick(logits, h.healed);
    const s = healer.text(pick);
    assert.ok(s.startsWith(h.healed) || h.healed.startsWith(s));
    assert.equal(healer.pick(logits, ''), logits.length - 1);
  });

  it('both settings: positions prove the layout, and the shared-prefix walk equals running each prompt from scratch', async () => {
    const run = await runNextLine(tiny.engine, tiny.tokenizer, repo, { samples: 8, seed: 2, folds: 0, maxLineTokens: 6, chunkTokens: 50 });
    assert.equal(run.samples.length, 8);
    const healer = new Healer(tiny.tokenizer, tiny.engine.model.config.vocabSize);
    for (const s of run.samples) {
      const file = repo.files[s.target.file];
      const full = promptTokens(tiny.tokenizer, file, s.target);
      const healed = healer.heal(full).tokens;
      const others = repo.files.filter((f) => f.path !== s.target.path);
      const otherTokens = others.reduce((n, f) => n + f.tokens.length, 0);
      // (a) the state holds only the prompt; (b) every other file of the repository, then the same prompt.
      assert.equal(s.file!.contextTokens, 0);
      assert.equal(s.file!.position, healed.length);
      assert.equal(s.repo!.contextTokens, otherTokens);
      assert.equal(s.repo!.position, otherTokens + healed.length);
      assert.ok(otherTokens > 0);
      assert.equal(await scratch(tiny.engine, tiny.tokenizer, healer, [], full, s.target), s.file!.predicted);
      const ctx = others.flatMap((f) => [...f.tokens]);
      assert.equal(await scratch(tiny.engine, tiny.tokenizer, healer, ctx, full, s.target), s.repo!.predicted);
    }
    const f = summarizeSetting(run.samples, 'file')!, r = summarizeSetting(run.samples, 'repo')!;
    assert.equal(f.n, 8);
    assert.equal(r.exactMatch.mean, mean(run.samples.map((s) => (s.repo!.exact ? 1 : 0))));
    assert.equal(summarizeGain(run.samples)!.n, 8);
    console.log(`      ${run.prefilledTokens} tokens prefilled in ${run.seconds.toFixed(2)} s; e.g. ${JSON.stringify(run.samples[0].target.truth)} -> ${JSON.stringify(run.samples[0].repo!.predicted)}`);
  });

  it('groups: a target file never enters its own context; the budget keeps the files the extension would', async () => {
    const targets = sampleTargets(repo, 20, 1);
    const run = await runNextLine(tiny.engine, tiny.tokenizer, repo, { samples: 20, seed: 1, folds: 1, maxLineTokens: 2, settings: ['repo'] });
    const targetFiles = new Set(targets.map((t) => t.file));
    const outside = repo.files.filter((_, i) => !targetFiles.has(i)).reduce((n, f) => n + f.tokens.length, 0);
    for (const s of run.samples) assert.equal(s.repo!.contextTokens, outside);
    assert.ok(run.samples.every((s) => !s.file));
    const all = contextFiles(repo, new Set([0]));
    assert.deepEqual(all.map((f) => f.path), repo.files.slice(1).map((f) => f.path));
    // Room for one of the two sources: the extension's priority breaks the tie by path.
    const budget = Math.max(...repo.files.slice(1).map((f) => f.tokens.length));
    assert.deepEqual(contextFiles(repo, new Set([0]), budget).map((f) => f.path), [repo.files[1].path]);
  });
});

/** Reference: one prefill of context + healed prompt from a fresh state, then the same constrained greedy decode. */
async function scratch(engine: Engine, tokenizer: Tokenizer, healer: Healer, context: number[], fullPrompt: number[], target: Target): Promise<string> {
  const { tokens, healed } = healer.heal(fullPrompt);
  const state = engine.newState({ capacity: 100_000 });
  let logits = await engine.prefill([...context, ...tokens], state);
  const ids: number[] = [];
  let text = '';
  for (let i = 0; i < 6; i++) {
    const next = healer.pick(logits, text.length < healed.length ? healed.slice(text.length) : '');
    if (next === tokenizer.specialId('<|endoftext|>') || next === tokenizer.specialId('<|file|>')) break;
    ids.push(next);
    text = tokenizer.decode(ids);
    if (text.length > healed.length && text.slice(healed.length).includes('\n')) break;
    logits = await engine.step(next, state);
  }
  engine.release(state);
  return target.indent + text.slice(healed.length).split('\n')[0];
}
