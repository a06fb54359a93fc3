import * as assert from 'node:assert/strict';
import { LocalAssistant } from '../src/assistant/local-assistant';
import { Bm25Index } from '../src/qa/bm25';
import { answerQuestion, questionPrompt } from '../src/qa/conversation';
import type { Source } from '../src/qa/messages';
import { fixtureTree } from './helpers/qa-workspace';
import { loadTiny } from './helpers/workspace';

/**
 * test/fixtures/qa-retry-limiter: a small retry/rate-limit package whose README and docs talk about
 * "the retry delay" and "the RateLimiter rejects a call" far more often than the code does, the
 * case from the issue where the answer cited the documentation and missed the code.
 */
const files = fixtureTree('qa-retry-limiter');

/** 1-based line of the first line of `path` matching `re`, and the lines after it that answer (signature and body start). */
function answerLines(path: string, re: RegExp, after = 8): [number, number] {
  const line = files.get(path)!.split('\n').findIndex((l) => re.test(l)) + 1;
  assert.ok(line > 0, `${re} in ${path}`);
  return [line, line + after];
}

function covers(sources: readonly Source[], path: string, [a, b]: [number, number]): boolean {
  for (let l = a; l <= b; l++) if (!sources.some((s) => s.path === path && s.startLine <= l && l <= s.endLine)) return false;
  return true;
}

const CASES = [
  { q: 'Where is the retry delay computed?', path: 'src/retry.ts', lines: answerLines('src/retry.ts', /^export function backoff\(/, 8) },
  { q: 'How does the RateLimiter decide whether to reject a call?', path: 'src/rate-limiter.ts', lines: answerLines('src/rate-limiter.ts', /^\s+private admit\(/, 8) },
];

describe('qa: the code that answers is cited, not only the docs that mention it', () => {
  for (const c of CASES) {
    it(`BM25 alone: "${c.q}" cites ${c.path}:${c.lines[0]}-${c.lines[1]}`, async () => {
      const { sources } = await questionPrompt(undefined, new Bm25Index(), files, c.q, [], new AbortController().signal);
      const shown = sources.map((s) => `${s.path}:${s.startLine}-${s.endLine}`).join(', ');
      assert.ok(covers(sources, c.path, c.lines), `the cited passages (${shown}) miss ${c.path}:${c.lines[0]}-${c.lines[1]}`);
    });
  }

  it("the worker's path (answerQuestion with the model's re-ranking, tiny model) cites the same code", async () => {
    const tiny = await loadTiny();
    const assistant = new LocalAssistant({ ...tiny, files, scoreTokens: 128 });
    const index = new Bm25Index();
    for (const c of CASES) {
      const r = await answerQuestion(assistant, index, files, c.q, [], { onSources: () => {}, onText: () => {} }, new AbortController().signal, { maxTokens: 4 });
      assert.ok(covers(r.sources, c.path, c.lines), `${c.q}: ${r.sources.map((s) => `${s.path}:${s.startLine}-${s.endLine}`).join(', ')}`);
    }
  });
});
