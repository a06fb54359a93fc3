import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadQuestions, loops, namesFile, reportQa, runQa, scoreQuestion } from '../src/eval/qa';
import { docSentence, questionsFor, repoQuestions, type QaQuestion } from '../src/eval/qa-questions';
import { fixtureDir } from './helpers/fixtures';
import { fixtureTree } from './helpers/qa-workspace';
import { loadTiny, tempDir } from './helpers/workspace';

const REPO = fixtureDir('qa-retry-limiter');
const files = [...fixtureTree('qa-retry-limiter')].map(([p, text]) => ({ path: p, text }));
const lineOf = (p: string, re: RegExp) => files.find((f) => f.path === p)!.text.split('\n').findIndex((l) => re.test(l)) + 1;

describe('samba eval --tasks qa', () => {
  it('asks about names and doc comments in words, each question with its one definition', () => {
    const q = (d: Parameters<typeof questionsFor>[0]) => questionsFor(d).map((x) => x.question);
    assert.deepEqual(q({ name: 'parseRange', kind: 'function', line: 1, docLine: 1, endLine: 3, param: 'range' }), ['Where is the range parsed?']);
    assert.deepEqual(q({ name: 'isDraftable', kind: 'function', line: 1, docLine: 1, endLine: 3, param: 'value' }), ['How is it decided whether the value is draftable?']);
    assert.deepEqual(q({ name: 'HasParent', kind: 'method', owner: 'Command', line: 1, docLine: 1, endLine: 3 }), ['How does the Command decide whether it has parent?']);
    assert.equal(docSentence('HasParent determines if the command is a child command.', 'HasParent'), 'determines if the command is a child command');
    assert.equal(docSentence('Return the version string, or None.', 'f'), 'returns the version string, or None');
    assert.equal(docSentence('Tokens free now (after refilling).', 'f'), undefined, 'no verb leads');
    assert.equal(docSentence('Whether this version is a post-release.', 'f'), undefined);

    const qs = repoQuestions('qa-retry-limiter', files);
    const retryable = qs.find((x) => x.symbol === 'isRetryable')!;
    assert.equal(retryable.question, 'How is it decided whether the error is retryable?');
    assert.equal(retryable.path, 'src/retry.ts');
    assert.equal(retryable.startLine, lineOf('src/retry.ts', /^export function isRetryable/));
    assert.equal(files.find((f) => f.path === 'src/retry.ts')!.text.split('\n')[retryable.endLine - 1], '}');
    const wake = qs.find((x) => x.symbol === 'RateLimiter.wake')!;
    assert.equal(wake.question, "Where is the code that starts the waiters whose tokens have come back, and sleeps until the next one's will?");
    assert.deepEqual(wake.answerLines, [wake.startLine, wake.startLine + 8]);
    // `backoff` and `schedule` are one word that says no verb, `available` no doc sentence: not asked.
    assert.ok(!qs.some((x) => ['backoff', 'RateLimiter.available'].includes(x.symbol)));
  });

  it('scores what was cited and answered: the file, its answer lines, the file named, loops', () => {
    const question: QaQuestion = { repo: 'r', question: 'q?', kind: 'where', symbol: 'f', path: 'src/retry.ts', startLine: 60, endLine: 72, answerLines: [60, 68] };
    const s = scoreQuestion(question, [{ path: 'docs/retries.md', startLine: 1, endLine: 34 }, { path: 'src/retry.ts', startLine: 56, endLine: 65 }, { path: 'src/retry.ts', startLine: 66, endLine: 80 }], { path: 'docs/retries.md', startLine: 1, endLine: 34 }, { text: '`backoff` in src/retry.ts, line 60: waits.', stopped: 'end', ms: 5 });
    assert.deepEqual([s.fileCited, s.fileFirst, s.linesCited, s.leadOnAnswer, s.answer!.namesFile, s.answer!.loops], [true, false, true, false, true, false]);
    const miss = scoreQuestion(question, [{ path: 'src/retry.ts', startLine: 1, endLine: 64 }], { path: 'src/retry.ts', startLine: 58, endLine: 64 });
    assert.deepEqual([miss.fileCited, miss.fileFirst, miss.linesCited, miss.leadOnAnswer, miss.answer], [true, true, false, true, undefined], 'the lead holds the answer\'s first line');
    assert.equal(scoreQuestion(question, [], { path: 'src/retry.ts', startLine: 61, endLine: 72 }).leadOnAnswer, false, 'a lead below the first line');
    // An answer that lists close places: the answer's place may be any of them.
    const docs = { path: 'docs/retries.md', startLine: 1, endLine: 34 };
    const list = scoreQuestion(question, [docs], docs, undefined, [docs, { path: 'src/retry.ts', startLine: 60, endLine: 72 }]);
    assert.deepEqual([list.leadOnAnswer, list.placeOnAnswer, miss.placeOnAnswer, s.placeOnAnswer], [false, true, true, false]);
    assert.deepEqual([reportQa([list, s]).listed, reportQa([list, s]).placeOnAnswer.mean], [1, 0.5]);
    assert.ok(namesFile('see retry.ts.', 'src/retry.ts'));
    assert.ok(!namesFile('see subretry.ts and retry.tsx', 'src/retry.ts'));
    assert.ok(loops('hands the RateLimiter hands the RateLimiter hands the RateLimiter'));
    assert.ok(loops('a line\nthe same\nthe same\n'));
    assert.ok(!loops('`backoff` in src/retry.ts computes the delay; `withRetry` calls backoff, then sleeps.'));
    // The extension's lead names the file; the model's own words after it may not.
    const led = scoreQuestion(question, [{ path: 'src/retry.ts', startLine: 56, endLine: 80 }], undefined, { text: '`src/retry.ts` (lines 56-80): it waits.', lead: '`src/retry.ts` (lines 56-80):', stopped: 'end', ms: 5 });
    assert.deepEqual([led.answer!.namesFile, led.answer!.modelNamesFile], [true, false]);
    assert.equal(s.answer!.modelNamesFile, true, 'no lead: the answer is the model\'s own');
    const r = reportQa([s, miss]);
    assert.equal(r.questions, 2);
    assert.equal(r.linesCited.mean, 0.5);
    assert.equal(r.leadOnAnswer.mean, 0.5);
    assert.equal(r.namesFile?.mean, 1);
  });

  it('reads the question set and says what to do when it cannot', () => {
    const dir = tempDir('qa-questions');
    const file = path.join(dir, 'q.json');
    writeFileSync(file, JSON.stringify({ questions: [{ repo: 'qa-retry-limiter', question: 'x?' }, { repo: 'elsewhere', question: 'y?' }] }));
    assert.deepEqual(loadQuestions(file, [REPO]).map((q) => q.question), ['x?']);
    assert.throws(() => loadQuestions(file, ['/tmp/nothing-here']), /none of which is in --repos.*fetch-eval-repos/);
    assert.throws(() => loadQuestions(path.join(dir, 'none.json'), [REPO]), /none\.json: no such file. Make it with node scripts\/make-qa-questions\.mjs/);
    writeFileSync(file, '{ not json');
    assert.throws(() => loadQuestions(file, [REPO]), /cannot read it as JSON.*make-qa-questions/);
  });

  it("asks each question on the panel's path and scores it (tiny model: mechanics)", async function () {
    this.timeout(120_000);
    const tiny = await loadTiny();
    const questions: QaQuestion[] = [
      { repo: 'qa-retry-limiter', question: 'Where is the retry delay computed?', kind: 'where', symbol: 'backoff', path: 'src/retry.ts', startLine: lineOf('src/retry.ts', /^export function backoff/), endLine: 0, answerLines: [lineOf('src/retry.ts', /^export function backoff/), lineOf('src/retry.ts', /^export function backoff/) + 8] },
      ...repoQuestions('qa-retry-limiter', files).slice(0, 2),
    ];
    const seen: string[] = [];
    const retrieval = await runQa(tiny.engine, tiny.tokenizer, [REPO], questions, { answer: false, budgetTokens: 0, onResult: (r) => seen.push(r.mode) });
    assert.equal(retrieval.length, 3);
    assert.ok(retrieval[0].linesCited, 'the retry delay question cites backoff');
    assert.ok(retrieval.every((r) => !r.answer));
    const answered = await runQa(tiny.engine, tiny.tokenizer, [REPO], questions.slice(0, 1), { answer: true, budgetTokens: 0, maxTokens: 8, onResult: (r) => seen.push(r.mode) });
    assert.equal(answered.length, 1);
    assert.ok(answered[0].answer && ['end', 'max', 'loop', 'unsupported'].includes(answered[0].answer.stopped));
    assert.ok(answered[0].sources.length > 0);
    assert.deepEqual(seen, ['retrieval', 'retrieval', 'retrieval', 'answer']);
    await assert.rejects(runQa(tiny.engine, tiny.tokenizer, [REPO], [{ ...questions[0], path: 'src/gone.ts' }], { answer: false, budgetTokens: 0 }), /src\/gone\.ts .* is not among the files/);
  });
});
