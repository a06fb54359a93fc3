import * as assert from 'node:assert/strict';
import { contextReadLine, formatMs, formatTokens, renderContext } from '../src/ui/format';
import type { ContextReport } from '../src/worker/protocol';

describe('ui text', () => {
  it('the status bar shows latency and context size for people: 320 ms, 1.2 s, 55 s, 2 min; 800, 1.5K, 20K', () => {
    assert.deepEqual([320.4, 1234, 55_268, 130_000].map(formatMs), ['320 ms', '1.2 s', '55 s', '2 min']);
    assert.deepEqual([800, 1500, 20_480, 1_200_000].map(formatTokens), ['800', '1.5K', '20K', '1.2M']);
  });

  it('the context view says what the last update read, and never ends a line on an empty list', () => {
    const base: ContextReport = {
      files: [{ path: 'src/a.ts', tokens: 10, end: 10, snapshot: true }], totalTokens: 10, ready: true, pendingChanges: 0, overBudget: ['LICENSE'], prefilledTokens: 10,
      skipped: [{ path: 'dist/', reason: 'build output' }, { path: 'package-lock.json', reason: 'lockfile' }], budgetTokens: 20, gpuBytes: 0, peakGpuBytes: 0,
      lastUpdate: { at: Date.now(), ms: 1500, tokens: 0, fromStore: true, files: [] },
    };
    const quiet = renderContext(base);
    assert.match(quiet, /^Last update: .*, 0 tokens in 1\.5 s \(from the saved state\)\.$/m);
    assert.doesNotMatch(quiet, /[:,] *$/m, quiet);
    assert.match(quiet, /- `dist\/`: build output\n- `package-lock.json`: lockfile/);
    // Over the budget is not out of reach: questions and suggestions still search those files.
    assert.match(quiet, /## Not read by the model: over the token budget\n\nQuestions, summaries and suggestions still search their text[^\n]*\n\n- `LICENSE`/);
    const busy = renderContext({ ...base, lastUpdate: { ...base.lastUpdate!, files: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] } });
    assert.match(busy, /: a, b, c, d, e and 2 more\.$/m);
  });

  it("the Output channel's line at a read's end says the file being edited is read from the prompt, where it is out of the chain", () => {
    const r: ContextReport = {
      files: [{ path: 'src/a.ts', tokens: 10, end: 10, snapshot: true }], totalTokens: 10, ready: true, pendingChanges: 0, overBudget: [], prefilledTokens: 10,
      skipped: [], budgetTokens: 100, gpuBytes: 0, peakGpuBytes: 0, activePath: 'src/b.ts',
    };
    assert.equal(contextReadLine(r, 1200), 'context: 1 files, 10 tokens in 1200 ms (0 skipped, 0 over budget; src/b.ts, being edited, is read from the prompt)');
    assert.equal(contextReadLine({ ...r, activePath: 'src/a.ts' }, 5), 'context: 1 files, 10 tokens in 5 ms (0 skipped, 0 over budget)', 'in the chain: nothing to say');
  });

  it('an old copy of an edited file is marked as such and not counted as a file of its own', () => {
    const r: ContextReport = {
      files: [{ path: 'src/a.ts', tokens: 10, end: 10, snapshot: true, stale: true }, { path: 'src/b.ts', tokens: 5, end: 15, snapshot: true }, { path: 'src/a.ts', tokens: 12, end: 27, snapshot: true }],
      totalTokens: 27, ready: true, pendingChanges: 0, overBudget: [], prefilledTokens: 27, skipped: [], budgetTokens: 100, gpuBytes: 0, peakGpuBytes: 0,
    };
    const view = renderContext(r);
    assert.match(view, /^2 files, 27 tokens/m);
    assert.match(view, /^\| 1 \| `src\/a\.ts` \(old copy: edited since; dropped when the workspace is idle\) \| 10 \| 10 \|$/m);
    assert.match(view, /^\| 3 \| `src\/a\.ts` \| 12 \| 27 \|$/m);
  });
});
