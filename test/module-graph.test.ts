import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

// The tests run from out/test; the sources sit two levels up.
const ROOT = path.resolve(__dirname, '..', '..');

/** Every src/ module and the src/ modules it imports (type-only imports too: they tie the files together as much). */
function moduleGraph(): Map<string, string[]> {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  const all = new Set(files(path.join(ROOT, 'src')));
  const graph = new Map<string, string[]>();
  for (const f of all) {
    const deps: string[] = [];
    for (const m of readFileSync(f, 'utf8').matchAll(/^\s*(?:import|export)\s[^'";]*?from\s*['"](\.[^'"]+)['"]/gm)) {
      const p = path.resolve(path.dirname(f), m[1]);
      const hit = [`${p}.ts`, path.join(p, 'index.ts')].find((c) => all.has(c));
      if (hit) deps.push(hit);
    }
    graph.set(f, deps);
  }
  return graph;
}

/** Each cycle found by a depth-first walk, as its files from the repository root. */
function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 'open') found.push([...stack.slice(stack.indexOf(d)), d].map((x) => path.relative(ROOT, x)).join(' -> '));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return found;
}

describe('module graph', () => {
  it('src/ has no import cycle (each module can be read without the ones that import it)', () => {
    const graph = moduleGraph();
    assert.ok(graph.size > 50, `found only ${graph.size} modules under src/`);
    assert.ok(graph.get(path.join(ROOT, 'src/worker/model-worker.ts'))?.includes(path.join(ROOT, 'src/worker/protocol.ts')), 'the import scan misses a known import');
    assert.deepEqual(cycles(graph), []);
  });

  it('the extension host side reads the worker only through its protocol and client', () => {
    const graph = moduleGraph();
    const worker = new Set(['session.ts', 'model-worker.ts'].map((f) => path.join(ROOT, 'src/worker', f)));
    const hostSide = [...graph.keys()].filter((f) => f.startsWith(path.join(ROOT, 'src/ui')) || f === path.join(ROOT, 'src/extension.ts'));
    assert.ok(hostSide.length > 5);
    const crossing = hostSide.flatMap((f) => (graph.get(f) ?? []).filter((d) => worker.has(d)).map((d) => `${path.relative(ROOT, f)} -> ${path.relative(ROOT, d)}`));
    assert.deepEqual(crossing, []);
  });
});
