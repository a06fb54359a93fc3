import * as assert from 'node:assert/strict';
import { ModelSession } from '../src/worker/session';
import type { CompletionRequest } from '../src/worker/protocol';
import { renderContext } from '../src/ui/format';
import { fixtureDir } from './helpers/fixtures';
import { tempDir, writeFiles } from './helpers/workspace';

// Issue 14 item 4: "Show Workspace Context" shows what the in-window block held for the last
// completion; and typing with that block in place prefills only the new tokens. Through the
// worker's session (the real pipeline, the real block selection, the CPU engine).
describe('Show Workspace Context: the last completion\'s block', function () {
  this.timeout(300_000);

  const UTIL = [
    'export function clamp(v: number, lo: number, hi: number): number {',
    '  return Math.min(hi, Math.max(lo, v));',
    '}',
    '',
    'export const EPSILON = 1e-9;',
    '',
  ].join('\n');
  const MAIN = [
    "import { clamp } from './util';",
    '',
    'export function scale(v: number, k: number): number {',
    '  const x = clamp(v * k, 0, 1);',
    '  return x;',
    '}',
    '',
    'export function unit(v: number): number {',
    '  ',
    '}',
    '',
  ].join('\n');

  it('describe() reports the snippets (path:lines, tokens, why) of the last completion, and typing re-runs only the typed tokens', async () => {
    const root = tempDir('last-block');
    // old.ts has the line above the cursor too: what follows it there is the block's last snippet.
    const OLD = 'export function unit(v: number): number {\n  return clamp(v, 0, 1);\n}\n';
    await writeFiles(root, { 'src/util.ts': UTIL, 'src/main.ts': MAIN, 'src/old.ts': OLD, 'README.md': 'Small modules.\n' });
    const s = new ModelSession();
    try {
      await s.load({ modelDir: fixtureDir('samba-tiny'), backend: 'cpu' });
      await s.open({ root, filter: {}, budgetTokens: 10_000, activePath: 'src/main.ts' });
      await s.whenIdle();
      const view = () => renderContext(s.describe());
      assert.match(view(), /## In the window for the last completion\n\nNo completion yet\./);

      const cursor = MAIN.indexOf('  \n}', MAIN.indexOf('unit(')) + 2;
      const ask = (typed: string): CompletionRequest => ({
        path: 'src/main.ts',
        prefix: MAIN.slice(0, cursor) + typed,
        suffix: MAIN.slice(cursor),
        line: 8,
        maxTokens: 4,
        lineBudgetMs: 10_000,
        deadlineMs: 60_000,
      });
      const first = await s.complete(ask(''));
      const last = s.describe().lastBlock!;
      assert.ok(last, 'the report carries the last block');
      assert.equal(last.path, 'src/main.ts');
      assert.equal(last.line, 8);
      assert.equal(last.enabled, true);
      // clamp is imported from util.ts: its definition is in the block, with its lines and tokens.
      const def = last.snippets.find((x) => x.path === 'src/util.ts' && x.why === 'definition');
      assert.ok(def, JSON.stringify(last.snippets));
      assert.equal(def.startLine, 1);
      assert.equal(def.endLine, 3);
      assert.ok(def.tokens > 10, `${def.tokens} tokens`);
      assert.deepEqual(last.snippets.map((x) => `${x.path}:${x.startLine}-${x.endLine}`), (first.block ?? []).map((x) => `${x.path}:${x.startLine}-${x.endLine}`), 'what the completion held');
      assert.equal(last.tokens, last.snippets.reduce((n, x) => n + x.tokens, 0));
      assert.ok(last.promptTokens > last.tokens);
      const shown = view();
      assert.match(shown, /\| 1 \| `src\/util\.ts:1-3` \| \d+ \| defines a name the file imports \|/, shown);
      assert.match(shown, new RegExp(`\`src/main\\.ts\` line 9, .*: ${last.snippets.length} snippets?, ${last.tokens} of the prompt's ${last.promptTokens} tokens`));
      assert.doesNotMatch(shown, /[:,] *$/m, shown);
      assert.equal(last.snippets.at(-1)!.why, 'continuation');
      assert.match(shown, /\| \d \| `src\/old\.ts:1-3` \| \d+ \| follows, in that file, the line above the cursor \|\n\n/, shown);

      // Typing on the line: the block stays the same and each keystroke runs only its own tokens.
      const costs: number[] = [];
      let typed = '';
      for (const ch of 'return c') {
        typed += ch;
        const r = await s.complete(ask(typed));
        if (r.stopped === 'cache') continue; // typed into the suggestion shown: no model run
        costs.push(r.prefilled);
        assert.deepEqual(r.block, first.block, 'the block is kept while typing');
      }
      assert.ok(costs.length >= 4, `${costs.length} model runs`);
      assert.ok(costs.every((n) => n <= 4), `prefilled per keystroke: ${costs.join(',')} (the prompt has ${last.promptTokens} tokens)`);
      console.log(`      block ${last.snippets.length} snippets, ${last.tokens} tokens of ${last.promptTokens}; cold ${first.prefilled} tokens; per keystroke ${costs.join(',')}`);
    } finally {
      await s.dispose();
    }
  });
});
