import * as assert from 'node:assert/strict';
import { PromptSession, fimTokens, type PreparedPrompt } from '../src/completion/prompt';
import { WorkspaceContext, fileTokens } from '../src/workspace/context';
import { loadTiny, maxDiff, type Tiny } from './helpers/workspace';

const FILE = ['function add(a, b) {', '  return a + b;', '}', '', 'function mul(a, b) {', '  '].join('\n');
const SUFFIX = '\n}\n\nexport { add, mul };\n';

describe('completion prompt', () => {
  let tiny: Tiny;
  let ctx: WorkspaceContext;
  const lib = 'export const PI = 3.14159;\n';
  before(async () => {
    tiny = await loadTiny();
    ctx = new WorkspaceContext({ ...tiny, read: async () => undefined, debounceMs: 1 });
    await ctx.open([{ path: 'lib.ts', text: lib }]);
  });
  after(() => ctx.dispose());

  /** Logits for the same prompt run from nothing: workspace tokens, then the whole FIM prompt. */
  async function scratch(prefix: string, suffix: string): Promise<Float32Array> {
    const { engine, tokenizer } = tiny;
    const all = [...fileTokens(tokenizer, 'lib.ts', lib), ...fimTokens(tokenizer, 'src/m.ts', prefix, suffix)];
    return engine.prefill(all, engine.newState());
  }

  it('orders the prompt suffix-prefix-middle after a file header', () => {
    const { tokenizer } = tiny;
    const t = fimTokens(tokenizer, 'src/m.ts', 'let x = ', ';\n');
    const id = (s: string) => tokenizer.specialId(s)!;
    assert.equal(t[0], id('<|file|>'));
    const s = t.indexOf(id('<|fim_suffix|>'));
    const p = t.indexOf(id('<|fim_prefix|>'));
    assert.ok(s > 0 && p > s);
    assert.equal(t.at(-1), id('<|fim_middle|>'));
    assert.equal(tokenizer.decode(t.slice(s + 1, p)), ';\n');
    assert.equal(tokenizer.decode(t.slice(p + 1, -1)), 'let x = ');
  });

  /** Logits after <|fim_middle|> (complete() runs it) from a prepared state. */
  async function middle(p: PreparedPrompt): Promise<Float32Array> {
    return tiny.engine.prefill([tiny.tokenizer.specialId('<|fim_middle|>')!], p.state);
  }

  it('a keystroke costs a few tokens, and the logits equal a from-scratch run', async () => {
    const session = new PromptSession(tiny.engine, tiny.tokenizer);
    const workspace = ctx.ready()!;
    const first = await session.prepare({ workspace, path: 'src/m.ts', prefix: FILE, suffix: SUFFIX });
    const full = fimTokens(tiny.tokenizer, 'src/m.ts', FILE, SUFFIX).length;
    assert.equal(first.prefilled, full - 1, 'all but <|fim_middle|>');
    assert.equal(first.state.position, workspace.tokens + full - 1);
    assert.ok(maxDiff(await middle(first), await scratch(FILE, SUFFIX)) < 1e-5);

    const costs: number[] = [];
    let prefix = FILE;
    for (const ch of 'return a * b;\n  // done') {
      prefix += ch;
      const r = await session.prepare({ workspace, path: 'src/m.ts', prefix, suffix: SUFFIX });
      costs.push(r.prefilled);
      assert.ok(r.prefilled <= 4, `typing ${JSON.stringify(ch)} prefilled ${r.prefilled} tokens`);
    }
    const last = await session.prepare({ workspace, path: 'src/m.ts', prefix, suffix: SUFFIX });
    assert.ok(maxDiff(await middle(last), await scratch(prefix, SUFFIX)) < 1e-5);
    // Backspace over a line: back to the line-start snapshot.
    const shorter = prefix.slice(0, prefix.lastIndexOf('\n') + 1) + '  ret';
    const back = await session.prepare({ workspace, path: 'src/m.ts', prefix: shorter, suffix: SUFFIX });
    assert.ok(back.prefilled <= 4, `backspace prefilled ${back.prefilled}`);
    assert.ok(maxDiff(await middle(back), await scratch(shorter, SUFFIX)) < 1e-5);
    console.log(`      first request ${first.prefilled} tokens; per keystroke ${costs.join(',')}; after deleting a line ${back.prefilled}`);

    // The cursor moved (another suffix): the head runs again.
    const moved = await session.prepare({ workspace, path: 'src/m.ts', prefix: 'function add(a, b) {\n', suffix: FILE.slice(21) + SUFFIX });
    assert.ok(moved.prefilled > 20);
  });

  it('starts over when the workspace state changes, and windows a long prefix at a stable line', async () => {
    const session = new PromptSession(tiny.engine, tiny.tokenizer, { maxPrefixChars: 60 });
    const long = Array.from({ length: 12 }, (_, i) => `const v${i} = ${i};`).join('\n') + '\n';
    const a = await session.prepare({ workspace: ctx.ready(), path: 'm.ts', prefix: long, suffix: '' });
    const b = await session.prepare({ workspace: ctx.ready(), path: 'm.ts', prefix: long + 'c', suffix: '' });
    assert.ok(b.prefilled <= 4, `window start moved: ${b.prefilled}`);
    assert.ok(a.prefilled < fimTokens(tiny.tokenizer, 'm.ts', long, '').length, 'the prefix was windowed');
    const noContext = await session.prepare({ workspace: undefined, path: 'm.ts', prefix: long + 'c', suffix: '' });
    assert.equal(noContext.state.position, noContext.prefilled, 'a different workspace state rebuilds the head');
  });

  it('a stale request is cancelled through its signal', async () => {
    const session = new PromptSession(tiny.engine, tiny.tokenizer);
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(session.prepare({ workspace: ctx.ready(), path: 'm.ts', prefix: FILE, suffix: SUFFIX, signal: abort.signal }));
    const ok = await session.prepare({ workspace: ctx.ready(), path: 'm.ts', prefix: FILE, suffix: SUFFIX });
    assert.equal(ok.prefilled, fimTokens(tiny.tokenizer, 'm.ts', FILE, SUFFIX).length - 1);
  });
});
