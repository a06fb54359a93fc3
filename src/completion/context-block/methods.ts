// A type's methods beside its definition in the block. A TypeScript or Python class shows its methods
// inside its body (definition-text.ts); a Go type's methods stand apart (`func (c *Command) Flags()`,
// in any file of its package) and a Rust struct's sit in `impl` blocks: without this the block showed
// such a type's fields and none of what can be called on it.
import type { Def } from '../../code/declarations';
import type { Workspace } from './imports';
import type { SourceFile } from './source';

/** Signature lines kept of one method (a Go or Rust signature rarely runs longer). */
const SIGNATURE_LINES = 4;

/**
 * The files holding `type`'s methods, each with them in line order: Rust's in its own file's inherent
 * impls; Go's in any file of its package, only exported ones when `current` is another package, and
 * of a file other than the type's only when `current` calls one of them (cobra's Command has methods
 * in nine files).
 */
export function methodsOf(ws: Workspace, path: string, type: Def, current: SourceFile, called: ReadonlyMap<string, readonly number[]>): { path: string; methods: Def[] }[] {
  const lang = ws.source(path)?.lang;
  if (type.kind !== 'class' && type.kind !== 'type') return [];
  const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
  const files = lang === 'go' ? ws.goPackageFiles(dirOf(path)) : lang === 'rust' ? [path] : [];
  const exportedOnly = lang === 'go' && dirOf(current.path) !== dirOf(path);
  const out: { path: string; methods: Def[] }[] = [];
  for (const f of files) {
    const src = f !== current.path && ws.source(f);
    if (!src) continue;
    const methods: Def[] = [];
    for (const defs of src.defs.values()) for (const d of defs) if (d.kind === 'method' && d.receiver === type.name && !(exportedOnly && !/^[A-Z]/.test(d.name))) methods.push(d);
    if (methods.length && (f === path || methods.some((d) => called.has(d.name)))) out.push({ path: f, methods: methods.sort((a, b) => a.start - b.start) });
  }
  return out;
}

/** The names a file calls as methods or associated functions (`x.insert(`, `Map::new(`), each with the 0-based lines that call it. */
export function calledNames(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  let line = 0;
  let at = 0;
  for (const m of text.matchAll(/(?:\.|::)\s*([A-Za-z_]\w*)\s*(?:::<[^>()]*>\s*)?\(/g)) {
    for (let i = text.indexOf('\n', at); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++, (at = i + 1);
    const lines = out.get(m[1]);
    if (!lines) out.set(m[1], [line]);
    else if (lines.at(-1) !== line) lines.push(line);
  }
  return out;
}

/**
 * An outline of `methods` (of one file) within `maxLines`: those `called` nearest the cursor first,
 * then the rest in line order, each as its signature with `{ ... }` for the body, shown in line order;
 * Rust's wrapped in `impl Type {}`.
 */
export function methodOutline(src: SourceFile, type: string, methods: readonly Def[], called: ReadonlyMap<string, readonly number[]>, cursor: number, maxLines: number): { start: number; end: number; text: string } | undefined {
  const rust = src.lang === 'rust';
  const budget = maxLines - (rust ? 2 : 0);
  const distance = (d: Def) => Math.min(...(called.get(d.name) ?? []).map((l) => Math.abs(l - cursor)));
  const ranked = [...methods].sort((a, b) => distance(a) - distance(b) || a.start - b.start);
  const chosen: { d: Def; lines: string[] }[] = [];
  let used = 0;
  for (const d of ranked) {
    const sig = signature(src, d);
    if (used + sig.length > budget) continue;
    used += sig.length;
    chosen.push({ d, lines: sig });
  }
  if (!chosen.length) return undefined;
  chosen.sort((a, b) => a.d.start - b.d.start);
  const body = chosen.flatMap((c) => c.lines);
  const end = chosen.at(-1)!.d.end;
  if (!rust) return { start: chosen[0].d.start, end, text: body.join('\n') + '\n' };
  // Rust's under the first line of the impl that holds the first of them (its `where` clause left out).
  const impl = implLine(src, chosen[0].d.start);
  const head = impl === undefined ? `impl ${type} {` : src.lines[impl].trimEnd().replace(/\s*\{?$/, ' {');
  return { start: impl ?? chosen[0].d.start, end, text: [head, ...body, '}'].join('\n') + '\n' };
}

/** The line of the `impl` around a Rust method's line, if one is found above it. */
function implLine(src: SourceFile, at: number): number | undefined {
  const depth = src.shape.depthStart[at] - 1;
  for (let k = at - 1; k >= 0 && k >= at - 5000; k--) if (src.shape.depthStart[k] === depth && /^\s*(?:unsafe\s+)?impl\b/.test(src.lines[k])) return k;
  return undefined;
}

/** A method's lines up to the one that opens its body, that one ending in `{ ... }`. */
function signature(src: SourceFile, d: Def): string[] {
  const { lines, shape } = src;
  const base = shape.depthStart[d.start];
  const out: string[] = [];
  for (let k = d.start; k <= d.end && out.length < SIGNATURE_LINES; k++) {
    out.push(lines[k]);
    if (shape.depthEnd[k] > base && shape.last[k] === '{') {
      out[out.length - 1] = lines[k].trimEnd() + (k < d.end ? ' ... }' : '');
      return out;
    }
  }
  return out;
}
