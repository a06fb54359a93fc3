import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { PromptSession, type PreparedPrompt, type PromptPieces } from '../src/completion/prompt';
import { PrefixWindows, promptPieces } from '../src/completion/pipeline';
import { fileTokens } from '../src/prompt/file';
import { WorkspaceContext } from '../src/workspace/context';
import { loadTiny, maxDiff, type Tiny } from './helpers/workspace';
import { FIXTURES } from './helpers/fixtures';

/**
 * A real source file, as the document being edited: src/workspace/context.ts as it stood at stop 56,
 * kept as a fixture (what a move costs in tokens depends on the lines it passes; the live file changes).
 */
const DOC = gunzipSync(readFileSync(`${FIXTURES}/edited-document.ts.gz`)).toString('utf8');
const LIB = 'export const PI = 3.14159;\n';

/** Offset of the end of line n's indentation (0-based line). */
function lineAt(doc: string, n: number): number {
  let at = 0;
  for (let i = 0; i < n; i++) at = doc.indexOf('\n', at) + 1;
  return at + /^[ \t]*/.exec(doc.slice(at))![0].length;
}

const flat = (p: PromptPieces) => [...p.head, ...p.linesBefore, ...p.tail, ...p.lineHead];

/**
 * Replays edits on a document through the windows, the pieces and one PromptSession, and counts
 * the tokens each request prefills.
 */
class Editor {
  readonly windows: PrefixWindows;
  constructor(
    readonly m: Tiny,
    readonly session: PromptSession,
    readonly ctx: WorkspaceContext,
    public doc: string,
    public at: number,
    maxPrefixChars?: number,
    readonly path = 'src/workspace/context.ts',
  ) {
    this.windows = new PrefixWindows(maxPrefixChars);
  }

  pieces(): PromptPieces {
    return promptPieces(this.m.tokenizer, [], this.windows.cut(this.path, this.doc.slice(0, this.at), this.doc.slice(this.at)));
  }

  async request(): Promise<{ p: PreparedPrompt; pieces: PromptPieces }> {
    const pieces = this.pieces();
    return { p: await this.session.prepare({ workspace: this.ctx.ready(), pieces }), pieces };
  }

  insert(s: string, cursorAfter = s.length): void {
    this.doc = this.doc.slice(0, this.at) + s + this.doc.slice(this.at);
    this.at += cursorAfter;
  }
}

describe('completion prompt session (layout v2)', function () {
  this.timeout(600_000);

  /** Logits after the prepared state's last token, and after the same prompt run from nothing: they must agree. */
  async function checkScratch(m: Tiny, ctx: WorkspaceContext, r: { p: PreparedPrompt; pieces: PromptPieces }): Promise<void> {
    const reused = await m.engine.prefill([r.p.last], r.p.state);
    const scratch = await m.engine.prefill([...fileTokens(m.tokenizer, 'lib.ts', LIB), ...flat(r.pieces)], m.engine.newState());
    assert.equal(r.p.state.position, ctx.ready()!.tokens + r.p.promptTokens);
    assert.ok(maxDiff(reused, scratch) < 1e-4, `reused state differs from a from-scratch run by ${maxDiff(reused, scratch)}`);
    m.engine.release(r.p.state);
  }

  describe('counts (samba-tiny: its small vocabulary makes about twice the default model\'s tokens)', () => {
    let m: Tiny;
    let ctx: WorkspaceContext;
    before(async () => {
      m = await loadTiny();
      ctx = new WorkspaceContext({ ...m, read: async () => undefined, debounceMs: 1 });
      await ctx.open([{ path: 'lib.ts', text: LIB }]);
    });
    after(() => ctx.dispose());

    it('typing, an auto-closed bracket, Enter and moves in the file each prefill only their own lines and the tail', async () => {
      const ed = new Editor(m, new PromptSession(m.engine, m.tokenizer), ctx, DOC, lineAt(DOC, 250));
      const count = (s: string) => m.tokenizer.encode(s).length;
      const lines = (from: number, to: number) => count(ed.doc.split('\n').slice(Math.max(0, from), to).join('\n'));
      const cursorLine = () => ed.doc.slice(0, ed.at).split('\n').length - 1;
      const tail = () => {
        const p = ed.pieces();
        return p.tail.length + p.lineHead.length;
      };
      const cost: Record<string, number[]> = {};
      const step = async (kind: string, limit: number) => {
        const r = await ed.request();
        (cost[kind] ??= []).push(r.p.prefilled);
        assert.ok(r.p.prefilled <= limit, `${kind}: ${r.p.prefilled} tokens prefilled (at most ${limit})`);
        m.engine.release(r.p.state);
      };
      const first = await ed.request();
      assert.equal(first.p.prefilled, first.p.promptTokens - 1, 'a cold request runs the whole prompt but its last token');
      m.engine.release(first.p.state);
      const type = async (s: string) => {
        for (const ch of s) {
          ed.insert(ch);
          await step('type', 4);
        }
      };
      await type('const total = sum');
      // An auto-closed pair changes the suffix: the tail and lineHead run again, nothing before them.
      ed.insert('()', 1);
      await step('auto-close', tail() + 4);
      await type('xs, ');
      ed.insert('""', 1);
      await step('auto-close', tail() + 4);
      await type('a');
      // Enter: the typed line joins linesBefore.
      ed.insert('\n    ');
      await step('enter', lines(cursorLine() - 2, cursorLine()) + tail() + 8);
      // Moves: up resumes from the nearest line start kept (every 8th line); down runs the lines passed.
      for (const by of [-5, -20, -30, 12, 25, -90]) {
        const from = cursorLine();
        const to = from + by;
        ed.at = lineAt(ed.doc, to);
        const limit = (by > 0 ? lines(from - 2, to) : lines(to - 9, to)) + tail() + 8;
        await step(`move ${by > 0 ? 'down' : 'up'} ${Math.abs(by)} lines`, limit);
        await type('if (');
      }
      const last = await ed.request();
      await checkScratch(m, ctx, last);
      const show = Object.entries(cost).map(([k, v]) => `${k} max ${Math.max(...v)}`);
      console.log(`      cold ${first.p.prefilled} tokens; ${show.join(', ')}`);
      assert.ok(Math.max(...Object.entries(cost).flatMap(([k, v]) => (k === 'type' ? [] : v))) < first.p.prefilled / 4, 'moves reuse most of the prompt');
    });
  });

  describe('on samba-tiny (reuse gives the from-scratch logits)', () => {
    let tiny: Tiny;
    let ctx: WorkspaceContext;
    before(async () => {
      tiny = await loadTiny();
      ctx = new WorkspaceContext({ ...tiny, read: async () => undefined, debounceMs: 1 });
      await ctx.open([{ path: 'lib.ts', text: LIB }]);
    });
    after(() => ctx.dispose());

    it('every kind of edit resumes from a snapshot and ends where a from-scratch run does', async () => {
      const session = new PromptSession(tiny.engine, tiny.tokenizer, { recentLines: 8, sparseLines: 4 });
      const ed = new Editor(tiny, session, ctx, DOC, lineAt(DOC, 120), 1500);
      await checkScratch(tiny, ctx, await ed.request());
      const edits: [string, () => void][] = [
        ['type', () => ed.insert('x')],
        ['auto-close', () => ed.insert('()', 1)],
        ['type', () => ed.insert('y')],
        ['enter', () => ed.insert('\n  ')],
        ['backspace', () => (ed.doc = ed.doc.slice(0, ed.at - 1) + ed.doc.slice(ed.at--))],
        ['move up', () => (ed.at = lineAt(ed.doc, 115))],
        ['move far up', () => (ed.at = lineAt(ed.doc, 95))],
        ['move down', () => (ed.at = lineAt(ed.doc, 105))],
      ];
      for (const [what, edit] of edits) {
        edit();
        const r = await ed.request();
        assert.ok(r.p.prefilled < r.p.promptTokens - 1, `${what} reused nothing`);
        await checkScratch(tiny, ctx, r);
      }
      // Snapshots stay bounded: the piece ends, lineHead's three, 8 recent line starts and every 4th line.
      const lines = ed.pieces().linesBefore.length;
      assert.ok(session.snapshots <= 8 + 8 + lines / 4, `${session.snapshots} snapshots`);
    });

    it('a prompt set aside for another file\'s resumes where the cursor comes back, from its own snapshots; two are kept', async () => {
      const session = new PromptSession(tiny.engine, tiny.tokenizer);
      const lines = DOC.split('\n');
      const doc = (from: number) => lines.slice(from, from + 300).join('\n');
      const [a, b, c, d] = [0, 300, 600, 900].map((from, k) => new Editor(tiny, session, ctx, doc(from), lineAt(doc(from), 150), 3000, `src/file${k}.ts`));
      const cold = await a.request();
      assert.equal(cold.p.prefilled, cold.p.promptTokens - 1);
      tiny.engine.release(cold.p.state);
      const other = await b.request();
      assert.equal(other.p.prefilled, other.p.promptTokens - 1, 'another file shares only the workspace state');
      tiny.engine.release(other.p.state);
      const back = await a.request();
      assert.ok(back.p.prefilled <= 2, `back in the first file: ${back.p.prefilled} tokens prefilled`);
      await checkScratch(tiny, ctx, back);
      const backToB = await b.request();
      assert.ok(backToB.p.prefilled <= 2, `back in the second: ${backToB.p.prefilled}`);
      await checkScratch(tiny, ctx, backToB);
      // Another line of the first file: from its head's snapshot at worst, the lines before it again.
      a.at = lineAt(a.doc, 120);
      const moved = await a.request();
      assert.ok(moved.p.prefilled < moved.p.promptTokens - 1 - a.pieces().head.length + 2, `a move after coming back: ${moved.p.prefilled} of ${moved.p.promptTokens}`);
      await checkScratch(tiny, ctx, moved);
      // Two more files: the second, parked longest ago, is forgotten; the two parked keep 5 snapshots each at most.
      for (const e of [c, d]) tiny.engine.release((await e.request()).p.state);
      assert.ok(session.snapshots <= 2 * 5 + 8 + 8 + a.pieces().linesBefore.length / 16, `${session.snapshots} snapshots`);
      const forgotten = await b.request();
      assert.equal(forgotten.p.prefilled, forgotten.p.promptTokens - 1);
      tiny.engine.release(forgotten.p.state);
      const kept = await d.request();
      assert.ok(kept.p.prefilled <= 2, `the last file before it is still parked: ${kept.p.prefilled}`);
      tiny.engine.release(kept.p.state);
      session.reset();
      assert.equal(session.snapshots, 0, 'reset forgets the parked prompts too');
    });

    it('starts over when the workspace state changes', async () => {
      const session = new PromptSession(tiny.engine, tiny.tokenizer);
      const ed = new Editor(tiny, session, ctx, DOC, lineAt(DOC, 30));
      await ed.request();
      const pieces = ed.pieces();
      const again = await session.prepare({ workspace: ctx.ready(), pieces });
      assert.equal(again.prefilled, 0);
      const noContext = await session.prepare({ workspace: undefined, pieces });
      assert.equal(noContext.prefilled, noContext.promptTokens - 1, 'a different workspace state runs the whole prompt');
      assert.equal(noContext.state.position, noContext.prefilled);
    });

    it('starts over on another context\'s state even at the same version (every context counts from 1)', async () => {
      const session = new PromptSession(tiny.engine, tiny.tokenizer);
      const other = new WorkspaceContext({ ...tiny, read: async () => undefined });
      await other.open([{ path: 'other.ts', text: 'export const E = 2.71828;\n' }]);
      try {
        const ed = new Editor(tiny, session, ctx, DOC, lineAt(DOC, 30));
        const pieces = ed.pieces();
        const first = await session.prepare({ workspace: ctx.ready(), pieces });
        tiny.engine.release(first.state);
        assert.equal(other.ready()!.version, ctx.ready()!.version, 'both contexts are at their first version');
        const again = await session.prepare({ workspace: other.ready(), pieces });
        assert.equal(again.prefilled, again.promptTokens - 1, 'the whole prompt runs on the other state');
        const fresh = new PromptSession(tiny.engine, tiny.tokenizer);
        const want = await fresh.prepare({ workspace: other.ready(), pieces });
        const [a, b] = [await tiny.engine.prefill([want.last], again.state), await tiny.engine.prefill([want.last], want.state)];
        assert.ok(maxDiff(a, b) < 1e-6, `differs from a fresh session by ${maxDiff(a, b)}`);
        fresh.reset();
      } finally {
        session.reset();
        other.dispose();
      }
    });

    it('a stale request is cancelled through its signal', async () => {
      const session = new PromptSession(tiny.engine, tiny.tokenizer, { chunkTokens: 64 });
      const ed = new Editor(tiny, session, ctx, DOC, lineAt(DOC, 80));
      const abort = new AbortController();
      abort.abort();
      await assert.rejects(session.prepare({ workspace: ctx.ready(), pieces: ed.pieces(), signal: abort.signal }));
      const ok = await ed.request();
      assert.equal(ok.p.prefilled, ok.p.promptTokens - 1);
      await checkScratch(tiny, ctx, ok);
    });
  });
});
