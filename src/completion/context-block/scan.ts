// The shape of a source file as the context block needs it: bracket depth per line (strings and
// comments skipped), its top-level definitions, and a bounded snippet of one definition.
// Regular expressions and bracket counting, not a parser: fast on any file, wrong only on odd code.

export type Lang = 'js' | 'py' | 'go' | 'other';

export function langOf(path: string): Lang {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1].toLowerCase() ?? '';
  if (['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'].includes(ext)) return 'js';
  if (ext === 'py' || ext === 'pyi') return 'py';
  if (ext === 'go') return 'go';
  return 'other';
}

/** Per line: bracket depth before and after it, its first and last code character, and whether it starts inside a string or comment. */
export interface Shape {
  readonly depthStart: Int32Array;
  readonly depthEnd: Int32Array;
  readonly first: string[];
  readonly last: string[];
  readonly inString: Uint8Array;
}

export function scanLines(lines: readonly string[], lang: Lang): Shape {
  const n = lines.length;
  const depthStart = new Int32Array(n);
  const depthEnd = new Int32Array(n);
  const first = new Array<string>(n);
  const last = new Array<string>(n);
  const inString = new Uint8Array(n);
  const py = lang === 'py';
  let depth = 0;
  let mode = 0; // 0 code, 1 block comment, 2 multi-line string closed by `quote`
  let quote = '';
  for (let i = 0; i < n; i++) {
    const s = lines[i];
    depthStart[i] = depth;
    inString[i] = mode ? 1 : 0;
    let f = '';
    let l = '';
    let j = 0;
    while (j < s.length) {
      if (mode === 1) {
        const k = s.indexOf('*/', j);
        if (k < 0) break;
        mode = 0;
        j = k + 2;
        continue;
      }
      if (mode === 2) {
        const escapes = !(lang === 'go' && quote === '`'); // Go's raw strings have none
        let k = j;
        while (k < s.length && !s.startsWith(quote, k)) k += escapes && s[k] === '\\' ? 2 : 1;
        if (k >= s.length) break;
        mode = 0;
        j = k + quote.length;
        l = quote[0];
        if (!f) f = l;
        continue;
      }
      const c = s[j];
      if (c === ' ' || c === '\t' || c === '\r') {
        j++;
        continue;
      }
      if (py ? c === '#' : c === '/' && s[j + 1] === '/') break;
      if (!py && c === '/' && s[j + 1] === '*') {
        mode = 1;
        j += 2;
        continue;
      }
      if (c === '"' || c === "'" || (c === '`' && !py)) {
        if (!f) f = c;
        l = c;
        if (py && s.startsWith(c + c + c, j)) {
          quote = c + c + c;
          mode = 2;
          j += 3;
          continue;
        }
        if (c === '`') {
          quote = '`';
          mode = 2;
          j++;
          continue;
        }
        let k = j + 1;
        while (k < s.length && s[k] !== c) k += s[k] === '\\' ? 2 : 1;
        j = k + 1;
        continue;
      }
      if (!f) f = c;
      l = c;
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
      j++;
    }
    depthEnd[i] = depth;
    first[i] = f;
    last[i] = l;
  }
  return { depthStart, depthEnd, first, last, inString };
}

export type DefKind = 'function' | 'class' | 'interface' | 'type' | 'enum' | 'const' | 'namespace' | 'method';

/** One definition: 0-based inclusive lines; `members` when a class-like body can be shown as member signatures. */
export interface Def {
  readonly name: string;
  readonly kind: DefKind;
  readonly start: number;
  readonly end: number;
  readonly members: boolean;
  /** Go methods: the receiver's type. */
  readonly receiver?: string;
}

/** What a JS/TS file re-exports or aliases, so `import { x }` through an index file or `export default y` finds its definition. */
export interface JsExports {
  /** exported name -> local name (`export { a as b }`, `export default a`, `module.exports = a`). */
  readonly aliases: Map<string, string>;
  /** exported name -> [module specifier, name there] (`export { a as b } from './m'`). */
  readonly from: Map<string, [string, string]>;
  /** `export * from './m'` specifiers. */
  readonly star: string[];
}

const JS_DEF =
  /^\s*(?:export\s+)?(default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(function\s*\*?\s*|(?:class|interface|type|const\s+enum|enum|const|let|var|namespace|module)\s+)([A-Za-z_$][\w$]*)?/;
const JS_CJS = /^\s*(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=/;
const PY_DEF = /^(?:async\s+def|def|class)\s+([A-Za-z_]\w*)|^([A-Za-z_]\w*)\s*(?::[^=]*)?=(?!=)/;
const GO_FUNC = /^func\s+(?:\(\s*(?:\w+\s+)?\*?\s*(\w+)[^)]*\)\s*)?(\w+)/;
const GO_DECL = /^(type|const|var)\s+(\w+)/;
const GO_GROUP = /^(type|const|var)\s*\(/;

/** Top-level definitions by name (first one first). */
export function findDefinitions(lines: readonly string[], shape: Shape, lang: Lang): Map<string, Def[]> {
  const defs = new Map<string, Def[]>();
  const add = (d: Def) => {
    const list = defs.get(d.name);
    if (list) list.push(d);
    else defs.set(d.name, [d]);
  };
  const n = lines.length;
  for (let i = 0; i < n; i++) {
    if (shape.depthStart[i] > 0 || shape.inString[i] || !shape.first[i]) continue;
    const s = lines[i];
    if (lang === 'js') {
      const m = JS_DEF.exec(s);
      if (m && (m[3] || m[1])) {
        const word = m[2].trim().replace(/\s+/g, ' ');
        const kind: DefKind =
          word.startsWith('function') ? 'function'
          : word === 'class' || word === 'interface' ? word
          : word === 'type' ? 'type'
          : word.endsWith('enum') ? 'enum'
          : word === 'namespace' || word === 'module' ? 'namespace'
          : 'const';
        const end = statementEnd(lines, shape, i);
        const members = kind === 'class' || kind === 'interface' || kind === 'enum' || kind === 'namespace';
        if (m[3]) add({ name: m[3], kind, start: i, end, members });
        if (m[1]) add({ name: 'default', kind, start: i, end, members });
        continue;
      }
      const c = JS_CJS.exec(s);
      if (c) add({ name: c[1], kind: 'const', start: i, end: statementEnd(lines, shape, i), members: false });
    } else if (lang === 'py') {
      if (/^\s/.test(s)) continue;
      const m = PY_DEF.exec(s);
      if (!m) continue;
      let start = i;
      while (start > 0 && lines[start - 1].startsWith('@')) start--;
      const isClass = s.startsWith('class');
      add({ name: m[1] ?? m[2], kind: m[1] ? (isClass ? 'class' : 'function') : 'const', start, end: pythonEnd(lines, shape, i), members: isClass });
    } else if (lang === 'go') {
      const f = GO_FUNC.exec(s);
      if (f) {
        add({ name: f[2], kind: f[1] ? 'method' : 'function', start: i, end: statementEnd(lines, shape, i), members: false, receiver: f[1] });
        continue;
      }
      const d = GO_DECL.exec(s);
      if (d) {
        const end = statementEnd(lines, shape, i);
        const kind: DefKind = d[1] === 'type' ? (/\b(struct|interface)\s*\{/.test(s) ? 'class' : 'type') : 'const';
        add({ name: d[2], kind, start: i, end, members: kind === 'class' });
        continue;
      }
      const g = GO_GROUP.exec(s);
      if (g) {
        const end = statementEnd(lines, shape, i);
        for (let k = i + 1; k < end; k++) {
          if (shape.depthStart[k] !== 1 || !shape.first[k]) continue;
          const name = /^\s+(\w+)/.exec(lines[k])?.[1];
          if (!name) continue;
          const kEnd = statementEnd(lines, shape, k, 1);
          add({ name, kind: g[1] === 'type' ? 'type' : 'const', start: k, end: kEnd, members: false });
          k = kEnd;
        }
        i = end;
      }
    }
  }
  return defs;
}

const JS_EXPORT_LIST = /^\s*export\s+(?:type\s+)?\{([^}]*)\}\s*(?:from\s*['"]([^'"]+)['"])?/;
const JS_EXPORT_STAR = /^\s*export\s+\*\s+from\s*['"]([^'"]+)['"]/;
const JS_EXPORT_DEFAULT = /^\s*(?:export\s+default|module\.exports\s*=)\s*([A-Za-z_$][\w$]*)\s*;?\s*$/;

export function jsExports(lines: readonly string[], shape: Shape): JsExports {
  const out: JsExports = { aliases: new Map(), from: new Map(), star: [] };
  const text = lines.join('\n');
  for (let i = 0; i < lines.length; i++) {
    if (shape.depthStart[i] > 0 || shape.inString[i]) continue;
    const s = lines[i];
    if (!/^\s*(export|module)/.test(s)) continue;
    const star = JS_EXPORT_STAR.exec(s);
    if (star) {
      out.star.push(star[1]);
      continue;
    }
    const def = JS_EXPORT_DEFAULT.exec(s);
    if (def && !['function', 'class', 'async'].includes(def[1])) {
      out.aliases.set('default', def[1]);
      continue;
    }
    // An export list may span lines: read it from the joined text.
    if (/^\s*export\s+(?:type\s+)?\{/.test(s)) {
      const offset = lines.slice(0, i).reduce((a, l) => a + l.length + 1, 0);
      const m = JS_EXPORT_LIST.exec(text.slice(offset, offset + 4000));
      if (!m) continue;
      for (const part of m[1].split(',')) {
        const [local, exported] = part.replace(/^\s*type\s+/, '').trim().split(/\s+as\s+/);
        if (!local) continue;
        if (m[2]) out.from.set(exported ?? local, [m[2], local]);
        else out.aliases.set(exported ?? local, local);
      }
    }
  }
  return out;
}

/** The last line of the statement starting at `i`: brackets closed and no operator carrying it on. */
export function statementEnd(lines: readonly string[], shape: Shape, i: number, base = shape.depthStart[i]): number {
  const n = Math.min(lines.length, i + 2000);
  for (let j = i; j < n; j++) {
    if (shape.depthEnd[j] > base || !shape.first[j]) continue;
    const last = shape.last[j];
    if ('=,([{|&+-*/?:.'.includes(last) || (last === '>' && /=>\s*(\/\/.*)?$/.test(lines[j]))) continue;
    let k = j + 1;
    while (k < lines.length && !shape.first[k]) k++;
    if (k < lines.length && '.|&?:{'.includes(shape.first[k]) && !lines[k].trimStart().startsWith('...')) continue;
    return j;
  }
  return n - 1;
}

/** The last line of a Python block or assignment starting at `i`. */
export function pythonEnd(lines: readonly string[], shape: Shape, i: number): number {
  const indent = lines[i].length - lines[i].trimStart().length;
  let h = i;
  while (h + 1 < lines.length && (shape.depthEnd[h] > shape.depthStart[i] || /\\\s*$/.test(lines[h]))) h++;
  if (shape.last[h] !== ':') {
    while (h + 1 < lines.length && shape.inString[h + 1]) h++; // a multi-line string value
    return h;
  }
  let end = h;
  for (let k = h + 1; k < lines.length; k++) {
    const t = lines[k];
    if (!t.trim()) continue;
    if (shape.inString[k] || shape.depthStart[k] > shape.depthStart[i] || t.length - t.trimStart().length > indent) end = k;
    else break;
  }
  return end;
}

/** A definition's text within `maxLines`: verbatim when short, a class-like body as its members' signatures, else its first lines. */
export function definitionText(lines: readonly string[], shape: Shape, lang: Lang, d: Def, maxLines: number): { start: number; end: number; text: string } {
  const span = d.end - d.start + 1;
  if (span <= maxLines) return { start: d.start, end: d.end, text: lines.slice(d.start, d.end + 1).join('\n') + '\n' };
  if (d.members) {
    const kept = lang === 'py' ? pythonMembers(lines, shape, d) : braceMembers(lines, shape, d);
    if (kept.length <= 2 * maxLines) return { start: d.start, end: d.end, text: kept.join('\n') + '\n' };
    return { start: d.start, end: d.end, text: [...kept.slice(0, 2 * maxLines - 1), lang === 'py' ? '    ...' : '  // ...', ...(lang === 'py' ? [] : [lines[d.end]])].join('\n') + '\n' };
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
