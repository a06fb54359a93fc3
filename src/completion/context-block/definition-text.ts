// A definition's snippet for the context block: verbatim when short, a class-like body as its
// members' signatures, else its first lines.

import type { Def } from '../../code/declarations';
import type { Language } from '../../code/language';
import type { Shape } from '../../code/shape';

/** A definition's text within `maxLines`: verbatim when short, a class-like body as its members' signatures, else its first lines. */
export function definitionText(lines: readonly string[], shape: Shape, lang: Language, d: Def, maxLines: number): { start: number; end: number; text: string } {
  const span = d.end - d.start + 1;
  if (span <= maxLines) return { start: d.start, end: d.end, text: lines.slice(d.start, d.end + 1).join('\n') + '\n' };
  if (d.members) {
    const kept = lang === 'python' ? pythonMembers(lines, shape, d) : braceMembers(lines, shape, d);
    if (kept.length <= 2 * maxLines) return { start: d.start, end: d.end, text: kept.join('\n') + '\n' };
    return { start: d.start, end: d.end, text: [...kept.slice(0, 2 * maxLines - 1), lang === 'python' ? '    ...' : '  // ...', ...(lang === 'python' ? [] : [lines[d.end]])].join('\n') + '\n' };
  }
  return { start: d.start, end: d.start + maxLines - 1, text: lines.slice(d.start, d.start + maxLines).join('\n') + '\n' };
}

/** Header, the member lines at depth base+1 (bodies as `{ ... }`), closing line. */
function braceMembers(lines: readonly string[], shape: Shape, d: Def): string[] {
  const base = shape.depthStart[d.start];
  const out: string[] = [];
  let k = d.start;
  // The header, up to the line that opens the body.
  for (; k <= d.end; k++) {
    out.push(lines[k]);
    if (shape.depthEnd[k] === base + 1 && shape.last[k] === '{') break;
    if (shape.depthEnd[k] > base + 1) break;
  }
  for (k++; k < d.end; k++) {
    if (shape.depthStart[k] !== base + 1 || !shape.first[k] || shape.inString[k]) continue;
    if (shape.depthEnd[k] <= base + 1) {
      out.push(lines[k]);
      continue;
    }
    // A member with a body or a multi-line signature: its lines up to the body's `{`, then `... }`.
    let m = k;
    out.push(lines[m]);
    while (m < d.end && m - k < 8 && !(shape.last[m] === '{' && shape.depthEnd[m] === base + 2) && shape.depthEnd[m] > base + 1) out.push(lines[++m]);
    if (shape.depthEnd[m] > base + 1) out[out.length - 1] = out[out.length - 1].trimEnd() + ' ... }';
    k = m;
  }
  out.push(lines[d.end]);
  return out;
}

/** Decorators and `class` line, then each method's signature (`def f(...): ...`) and each class attribute. */
function pythonMembers(lines: readonly string[], shape: Shape, d: Def): string[] {
  const out: string[] = [];
  let k = d.start;
  for (; k <= d.end; k++) {
    out.push(lines[k]);
    if (shape.last[k] === ':' && shape.depthEnd[k] === 0 && !lines[k].startsWith('@')) break;
  }
  let indent = -1;
  for (k++; k <= d.end; k++) {
    const t = lines[k];
    if (!t.trim() || shape.inString[k] || shape.depthStart[k] > 0) continue;
    const ind = t.length - t.trimStart().length;
    if (indent < 0) indent = ind;
    if (ind !== indent) continue;
    const s = t.trimStart();
    if (/^(async\s+def|def)\s/.test(s)) {
      let m = k;
      out.push(lines[m]);
      while (m < d.end && m - k < 8 && !(shape.last[m] === ':' && shape.depthEnd[m] === 0)) out.push(lines[++m]);
      out[out.length - 1] = out[out.length - 1].trimEnd() + ' ...';
      k = m;
    } else if (s.startsWith('@') || /^[A-Za-z_]\w*\s*(:|=)/.test(s)) out.push(t);
  }
  return out;
}
