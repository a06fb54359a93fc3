import * as assert from 'node:assert/strict';
import { formatMs, formatTokens, renderContext } from '../src/ui/format';
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
    const busy = renderContext({ ...base, lastUpdate: { ...base.lastUpdate!, files: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] } });
    assert.match(busy, /: a, b, c, d, e and 2 more\.$/m);
  });
});
