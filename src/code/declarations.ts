// A file's top-level declarations (functions, classes, interfaces, types, enums, constants, Go
// methods) with their whole statement, found outside strings and comments by the line shape
// (./shape.ts): what the completion's context block shows for a name the current file imports
// (src/completion/context-block/imports.ts), and the re-exports it follows to get there.
// Not ./definitions.ts (Q&A's functions, methods and classes anywhere, with doc comments): the
// block needs constants and types too and each one's full statement, and its measured output
// (bench/RESULTS.md) rests on these expressions. Rust, Java, C and C++ (never measured before)
// take ./definitions.ts's functions and types, and a C header's prototypes, typedefs and macros.

import { findDefinitions } from './definitions';
import { isCLike, isJs, type Language } from './language';
import { pythonEnd, statementEnd, type Shape } from './shape';

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
export function topLevelDefinitions(lines: readonly string[], shape: Shape, lang: Language): Map<string, Def[]> {
  const defs = new Map<string, Def[]>();
  const add = (d: Def) => {
    const list = defs.get(d.name);
    if (list) list.push(d);
    else defs.set(d.name, [d]);
  };
  if (isCLike(lang)) {
    clikeDefinitions(lines, shape, lang, add);
    return defs;
  }
  const n = lines.length;
  for (let i = 0; i < n; i++) {
    if (shape.depthStart[i] > 0 || shape.inString[i] || !shape.first[i]) continue;
    const s = lines[i];
    if (isJs(lang)) {
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
    } else if (lang === 'python') {
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

/** A C or C++ function declared without a body (`int deflate(z_stream *strm, int flush);`): a header's API. */
const C_PROTOTYPE = /^(?!\s*(?:return|typedef|using|static_assert|case|goto|delete|throw)\b)\s*[A-Za-z_][\w\s*&:<>,]*?[\s*&]([A-Za-z_]\w*)\s*\(/;

/**
 * Rust, Java, C and C++: the functions and types ./definitions.ts finds (a type's methods are shown
 * as its members, so they are not names of their own), and a C or C++ header's prototypes,
 * `typedef`s and `#define`d names, at its top level or inside `extern "C"` and namespaces.
 */
function clikeDefinitions(lines: readonly string[], shape: Shape, lang: Language, add: (d: Def) => void): void {
  // Lines a definition starts on (a documented prototype is one already: not added twice below).
  const taken = new Set<number>();
  for (const d of findDefinitions(lines.join('\n'), lang)) {
    if (d.kind === 'method') continue;
    add({ name: d.name, kind: d.kind === 'class' ? 'class' : 'function', start: d.line - 1, end: d.endLine - 1, members: d.kind === 'class' });
    taken.add(d.line - 1);
  }
  if (lang !== 'c' && lang !== 'cpp') return;
  // The depths at which `extern "C" {` or a namespace opened: inside them is still the top level.
  const open: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const depth = shape.depthStart[i];
    while (open.length && depth <= open.at(-1)!) open.pop();
    if (depth !== open.length || shape.inString[i]) continue;
    const s = lines[i];
    if (/^\s*(?:extern\s+"C(?:\+\+)?"|(?:inline\s+)?namespace\b[^;=(]*)\s*\{?\s*$/.test(s)) {
      if (shape.depthEnd[i] > depth || /^\s*\{/.test(lines[i + 1] ?? '')) open.push(depth);
      continue;
    }
    const define = /^\s*#\s*define\s+([A-Za-z_]\w*)/.exec(s);
    if (define) {
      let end = i;
      while (end + 1 < lines.length && /\\\s*$/.test(lines[end])) end++;
      add({ name: define[1], kind: 'const', start: i, end, members: false });
      i = end;
      continue;
    }
    if (/^\s*#/.test(s) || !shape.first[i]) continue;
    const end = statementEnd(lines, shape, i, depth);
    const statement = lines.slice(i, end + 1).join('\n');
    if (!/;\s*(\/\/.*|\/\*.*)?$/.test(lines[end]) || statement.includes('{')) continue;
    const typedef = /^\s*typedef\b[^;]*?(?:\(\s*\*\s*([A-Za-z_]\w*)\s*\)|([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*;)/.exec(statement);
    const proto = !typedef && C_PROTOTYPE.exec(s);
    const name = typedef ? typedef[1] ?? typedef[2] : proto ? proto[1] : undefined;
    if (name && !taken.has(i)) add({ name, kind: typedef ? 'type' : 'function', start: i, end, members: false });
    i = end;
  }
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
