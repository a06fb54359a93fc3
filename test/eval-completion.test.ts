import * as assert from 'node:assert/strict';
import { loadTiny, tempDir, writeFiles, type Tiny } from './helpers/workspace';
import { writeEvalRepo } from './helpers/eval-repo';
import { CompletionPath, completionTargets, evalRepo, RepoWorkspace, sampleCompletionTargets, score, shardFiles, typedTarget, writingTarget, type CompletionTarget } from '../src/eval/completion';
import { isEligibleLine } from '../src/eval/nextline';
import { WorkspaceFilter } from '../src/workspace/filter';
import { loadWorkspaceFiles } from '../src/workspace/load';
import { blockTokens, completionStopIds, fimTokens, splitCursor } from '../src/prompt';
import { argmax } from '../src/engine/sampling';
import type { Engine, EngineState } from '../src/engine/engine';
import type { Tokenizer } from '../src/model/tokenizer';

describe('eval: completion path targets and settings', () => {
  let tiny: Tiny;
  let root: string;
  let ws: RepoWorkspace;
  before(async () => {
    tiny = await loadTiny();
    root = await writeEvalRepo();
    ws = await RepoWorkspace.open(root, tiny.engine, tiny.tokenizer);
  });
  after(() => ws.close());

  it('targets: the cursor after a line\'s indentation, the file before it as prefix, the rest after the line as suffix', () => {
    const all = completionTargets('r', ws.files);
    assert.ok(all.length > 0);
    assert.ok(all.every((t) => t.path.endsWith('.ts')), 'README.md is not code: no targets there');
    for (const t of all) {
      const text = ws.files.find((f) => f.path === t.path)!.text;
      assert.ok(isEligibleLine(t.truth));
      assert.equal(t.prefix.slice(0, t.prefix.length - t.indent.length) + t.truth + t.suffix, text, 'prefix + line + suffix is the file');
      assert.ok(t.prefix.endsWith(`\n${t.indent}`) || t.prefix === t.indent);
      assert.ok(t.suffix === '' || t.suffix.startsWith('\n'));
      assert.equal(text.split('\n')[t.line], t.truth);
    }
    const ret = all.find((t) => t.truth === '  return a + b;')!;
    assert.equal(ret.indent, '  ');
    assert.ok(ret.prefix.endsWith('export function add(a: number, b: number): number {\n  '));
    assert.ok(ret.suffix.startsWith('\n}\n\nexport function scale'));
    assert.ok(!all.some((t) => t.truth.includes('LONG')), 'a line over 200 characters is not a target');
    const a = sampleCompletionTargets('r', ws.files, 5, 3), b = sampleCompletionTargets('r', ws.files, 5, 3), c = sampleCompletionTargets('r', ws.files, 5, 4);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.map((t) => `${t.path}:${t.line}`), c.map((t) => `${t.path}:${t.line}`));
    assert.equal(sampleCompletionTargets('r', ws.files, 999, 1).length, all.length, 'more than exist: all, once each');
    // --typed 3: the request after "ret"; the line is scored whole, a short line stays as it was.
    const typed = typedTarget(ret, 3);
    assert.equal(typed.indent, '  ret');
    assert.ok(typed.prefix.endsWith('number {\n  ret') && typed.suffix === ret.suffix && typed.truth === ret.truth);
    assert.equal(typedTarget(ret, 20), ret);
  });

  it('--writing: a line inside a function asked as while the function is written from the top (the closers the editor left, then the file after it)', () => {
    const js = [
      'function retry(fn, times) {',
      '  for (let i = 0; i < times; i++) {',
      '    items.forEach((x) => {',
      '      check(x);',
      '      count++;',
      '    });',
      '    wait(i);',
      '  }',
      '  return fn();',
      '}',
      '',
      'const LIMIT = 3;',
      '',
    ].join('\n');
    const targets = completionTargets('r', [{ path: 'a.js', text: js }]);
    const at = (truth: string) => writingTarget(targets.find((t) => t.truth === truth)!, js);
    const check = at('      check(x);')!;
    assert.equal(check.suffix, '\n    })\n  }\n}\n\nconst LIMIT = 3;\n', 'three blocks open: their closers, innermost first, then what follows the function');
    assert.equal(check.prefix, targets.find((t) => t.truth === '      check(x);')!.prefix, 'the prompt is the same');
    assert.equal(at('    wait(i);')!.suffix, '\n  }\n}\n\nconst LIMIT = 3;\n');
    assert.equal(at('  return fn();')!.suffix, '\n}\n\nconst LIMIT = 3;\n');
    assert.equal(at('const LIMIT = 3;'), undefined, 'outside a function');
    const py = 'class Cache:\n    def get(self, key):\n        value = self.data[key]\n        return value\n\n    def put(self, key, value):\n        self.data[key] = value\n';
    const pt = completionTargets('r', [{ path: 'c.py', text: py }]);
    assert.equal(writingTarget(pt.find((t) => t.truth === '        value = self.data[key]')!, py)!.suffix, '\n\n    def put(self, key, value):\n        self.data[key] = value\n', 'Python: the method\'s later lines gone, the class\'s next method follows');
  });

  it('the workspace of a target is what loadWorkspaceFiles keeps with its file active (order, budget), without that file', async () => {
    const direct = await loadWorkspaceFiles(new WorkspaceFilter(root), tiny.tokenizer, { activePath: 'src/math.ts' });
    // The extension keeps the active file in its list (last) until it is edited; the target's file is being edited.
    const others = (files: { path: string }[]) => files.map((f) => f.path).filter((p) => p !== 'src/math.ts');
    assert.deepEqual(ws.contextFor('src/math.ts').map((f) => f.path), others(direct.files));
    assert.ok(!ws.contextFor('src/math.ts').some((f) => f.path === 'src/math.ts'));
    const budget = ws.files.find((f) => f.path === 'src/util.ts')!.tokenCount;
    const small = await RepoWorkspace.open(root, tiny.engine, tiny.tokenizer, { budgetTokens: budget });
    try {
      const kept = others((await loadWorkspaceFiles(new WorkspaceFilter(root), tiny.tokenizer, { activePath: 'src/math.ts', budgetTokens: budget })).files);
      assert.deepEqual(small.contextFor('src/math.ts').map((f) => f.path), kept);
      assert.ok(kept.length < direct.files.length);
    } finally {
      small.close();
    }
  });

  it('settings a, b, c: the prompt runs on nothing, on the workspace state (the other files, in order), on the state with the block', async () => {
    // A short active file, so the prompt is short; it uses a definition only the other file has.
    const small = tempDir('eval-b');
    await writeFiles(small, {
      'lib/shapes.ts': Array.from({ length: 30 }, (_, i) => `export function area${i}(w: number, h: number): number {\n  return w * h * ${i};\n}`).join('\n') + '\n',
      'lib/use.ts': "import { area3 } from './shapes';\nexport const total = area3(2, 5) + area3(1, 1);\nexport const half = total / 2;\n",
    });
    const repo = await RepoWorkspace.open(small, tiny.engine, tiny.tokenizer);
    // The real engine, watched: where the state stands after each prefill of the prompt (the last one runs its last token).
    const positions: number[] = [];
    const watched = new Proxy(tiny.engine, {
      get(t, p) {
        if (p === 'prefill') return async (tokens: ArrayLike<number>, state: EngineState, o?: object) => {
          const r = await t.prefill(tokens, state, o);
          // Not the scoring of the suggestion's line (logProbsOf), which runs on a copy after generation.
          if (!(o && 'logProbsOf' in o)) positions.push(state.position);
          return r;
        };
        const v = Reflect.get(t, p, t) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
    });
    // The FIM layout: its prompt is one function of the target (the prefix layout heals, tested in completion-layout).
    const path = new CompletionPath(watched, undefined, tiny.tokenizer, { maxTokens: 8, blockTokens: 200, layout: 'fim' });
    const targets = completionTargets('r', repo.files).filter((t) => t.path === 'lib/use.ts');
    const opened = await repo.open('lib/use.ts');
    try {
      const others = repo.contextFor('lib/use.ts');
      assert.deepEqual(opened.paths, ['lib/shapes.ts'], 'the active file is out of the state');
      assert.equal(opened.ready.tokens, others[0].tokenCount);
      for (const t of targets) {
        const prompt = fimTokens(tiny.tokenizer, splitCursor(t.path, t.prefix, t.suffix));
        const a = await path.completeAt(t, 'a', opened);
        const atA = positions[positions.length - 1];
        const b = await path.completeAt(t, 'b', opened);
        const atB = positions[positions.length - 1];
        const c = await path.completeAt(t, 'c', opened);
        const atC = positions[positions.length - 1];
        assert.equal(a.contextTokens, 0);
        assert.equal(b.contextTokens, opened.ready.tokens);
        // What the state had read when the first token was chosen: the prompt; the other files, then the prompt.
        assert.equal(atA, prompt.length);
        assert.equal(atB, opened.ready.tokens + prompt.length);
        // The same requests from scratch: a fresh state, then [other files..., the FIM prompt].
        const ra = await reference(tiny.engine, tiny.tokenizer, [], prompt, 8), rb = await reference(tiny.engine, tiny.tokenizer, [...others[0].tokens], prompt, 8);
        assert.equal(a.raw, ra.text);
        assert.equal(b.raw, rb.text);
        assert.ok(maxDiff(ra.logits, rb.logits) > 1e-3, 'the state changes the logits at the cursor');
        // c: the block (area3's definition, imported above the cursor) sits between the state and the FIM prompt.
        if (t.line > 0) assert.ok(c.block.some((sn) => sn.path === 'lib/shapes.ts' && sn.text.includes('function area3(')), JSON.stringify(c.block));
        const withBlock = [...blockTokens(tiny.tokenizer, c.block), ...prompt];
        assert.equal(c.promptTokens, withBlock.length);
        assert.equal(atC, opened.ready.tokens + withBlock.length);
        assert.equal(c.raw, (await reference(tiny.engine, tiny.tokenizer, [...others[0].tokens], withBlock, 8)).text);
        assert.deepEqual(a.block, []);
        assert.deepEqual(b.block, []);
      }
      assert.ok(targets.length >= 2);
      await assert.rejects(path.completeAt(targets[0], 'b'), /setting b needs the workspace state/);
    } finally {
      opened.dispose();
      path.dispose();
      repo.close();
    }
  });

  it('evalRepo scores every sampled target in every setting, each with its file active', async () => {
    const path = new CompletionPath(tiny.engine, undefined, tiny.tokenizer, { maxTokens: 4 });
    const seen: string[] = [];
    const results = await evalRepo(ws, path, { targets: 6, seed: 2, settings: ['a', 'b'], onProgress: (m) => seen.push(m) });
    path.dispose();
    assert.equal(results.length, 6);
    for (const r of results) {
      for (const s of ['a', 'b'] as const) {
        const sc = r.scores[s]!;
        assert.equal(sc.exact, sc.predicted.trim() === r.target.truth.trim());
        assert.ok(sc.editSim >= 0 && sc.editSim <= 1);
      }
      assert.equal(r.scores.b!.contextTokens, ws.contextFor(r.target.path).reduce((n, f) => n + f.tokenCount, 0));
    }
    // math.ts uses clamp, which only util.ts defines.
    const clampLine = results.find((r) => r.target.truth.includes('clamp(v * k'));
    if (clampLine) assert.deepEqual(clampLine.crossFile, ['clamp']);
    assert.ok(seen.some((m) => /workspace \d+ tokens/.test(m)));
  });

  it('--recent-edit definition: only lines using another file\'s name, each asked right after that definition was written (the block shows it)', async () => {
    const path = new CompletionPath(tiny.engine, undefined, tiny.tokenizer, { maxTokens: 4 });
    const all = await evalRepo(ws, path, { targets: 100, seed: 0, settings: ['a'] });
    const results = await evalRepo(ws, path, { targets: 100, seed: 0, settings: ['c'], recentEdit: 'definition' });
    assert.deepEqual(results.map((r) => r.target.truth), all.filter((r) => r.crossFile.length).map((r) => r.target.truth));
    assert.ok(results.some((r) => r.target.truth.includes('clamp(v * k')));
    // The request behind a result: util.ts's clamp, lines 1-10, is the block's recent snippet, nearest the cursor.
    const t = results.find((r) => r.target.truth.includes('clamp(v * k'))!.target;
    assert.deepEqual(results.find((r) => r.target === t)!.recentEdits, [{ path: 'src/util.ts', startLine: 1, endLine: 10 }]);
    const target = await ws.open(t.path);
    const c = await path.completeAt(t, 'c', target, [{ path: 'src/util.ts', startLine: 1, endLine: 10 }]);
    target.dispose();
    path.dispose();
    const recent = c.block!.filter((b) => b.why === 'recent');
    assert.equal(recent.length, 1);
    assert.equal(recent[0].path, 'src/util.ts');
    assert.equal(c.block!.filter((b) => b.why !== 'continuation').at(-1), recent[0]);
  });

  it('--recent-edit unrelated: every line, each after an edit of a file that defines none of its names', async () => {
    const path = new CompletionPath(tiny.engine, undefined, tiny.tokenizer, { maxTokens: 4 });
    const all = await evalRepo(ws, path, { targets: 100, seed: 0, settings: ['a'] });
    const results = await evalRepo(ws, path, { targets: 100, seed: 0, settings: ['c'], recentEdit: 'unrelated' });
    path.dispose();
    assert.equal(results.length, all.length);
    for (const r of results) {
      const [e] = r.recentEdits ?? assert.fail(`${r.target.path}:${r.target.line}: no edit`);
      assert.notEqual(e.path, r.target.path);
      assert.ok(!r.crossFile.includes('clamp') || e.path !== 'src/util.ts', `${r.target.truth}: ${e.path}`);
      assert.equal(e.endLine - e.startLine, 9);
    }
  });

  it('a score keeps what the model wrote only where the editor would show nothing', () => {
    const target = { repo: 'r', path: 'a.ts', line: 3, language: 'typescript', prefix: '', suffix: '', truth: '  return x', indent: '  ', prose: false } as CompletionTarget;
    const c = { raw: '          ', predicted: '  ', prefilled: 5, generated: 10, stopped: 'max', ms: 1, contextTokens: 0, promptTokens: 5, block: [] };
    assert.equal(score(target, { ...c, text: undefined }).raw, '          ');
    assert.equal(score(target, { ...c, text: 'return x', predicted: '  return x' }).raw, undefined);
    assert.ok(score(target, { ...c, text: 'return x', predicted: '  return x' }).exact);
  });

  it('shards: whole files, every sampled target in exactly one shard, each scored as the single run scores it', async () => {
    const run = async (shard?: { index: number; count: number }) => {
      const path = new CompletionPath(tiny.engine, undefined, tiny.tokenizer, { maxTokens: 4 });
      try {
        return await evalRepo(ws, path, { targets: 8, seed: 3, settings: ['a', 'c'], shard });
      } finally {
        path.dispose();
      }
    };
    const key = (r: { target: { path: string; line: number } }) => `${r.target.path}:${r.target.line}`;
    const whole = await run();
    const parts = [await run({ index: 1, count: 2 }), await run({ index: 2, count: 2 })];
    assert.ok(parts.every((p) => p.length > 0), 'both shards have targets');
    assert.deepEqual([...parts[0], ...parts[1]].map(key).sort(), whole.map(key).sort());
    const files = parts.map((p) => new Set(p.map((r) => r.target.path)));
    for (const f of files[0]) assert.ok(!files[1].has(f), `${f} is split across shards`);
    const byKey = new Map(whole.map((r) => [key(r), r]));
    for (const r of [...parts[0], ...parts[1]]) {
      const w = byKey.get(key(r))!;
      for (const s of ['a', 'c'] as const) assert.equal(r.scores[s]!.predicted, w.scores[s]!.predicted, `${key(r)} ${s}`);
    }
  });

  it('shardFiles deals files largest first to the least loaded shard', () => {
    const counts = new Map([['a.ts', 5], ['b.ts', 3], ['c.ts', 3], ['d.ts', 1]]);
    assert.deepEqual([...shardFiles(counts, { index: 1, count: 2 })].sort(), ['a.ts', 'd.ts']);
    assert.deepEqual([...shardFiles(counts, { index: 2, count: 2 })].sort(), ['b.ts', 'c.ts']);
    assert.deepEqual([...shardFiles(counts, { index: 1, count: 1 })].sort(), ['a.ts', 'b.ts', 'c.ts', 'd.ts']);
  });
});

/** Greedy tokens from a fresh state after `context` + `prompt`, up to a line end, as raw text; and the first logits. */
async function reference(engine: Engine, tokenizer: Tokenizer, context: number[], prompt: number[], maxTokens: number): Promise<{ text: string; logits: Float32Array }> {
  const state = engine.newState({ capacity: 100_000 });
  let logits = await engine.prefill([...context, ...prompt], state);
  const first = logits.slice();
  const stops = new Set(completionStopIds(tokenizer));
  const ids: number[] = [];
  for (let i = 0; i < maxTokens; i++) {
    const next = argmax(logits);
    if (stops.has(next)) break;
    ids.push(next);
    if (tokenizer.decode([next]).includes('\n')) break;
    if (i + 1 < maxTokens) logits = await engine.step(next, state);
  }
  engine.release(state);
  return { text: tokenizer.decode(ids), logits: first };
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
