// The import statements of one file as written (TypeScript/JavaScript, Python, Go, Rust, Java, C and
// C++), before any is resolved (./imports.ts resolves them against the workspace).
import { isJs, type Language } from '../../code/language';

/** One import statement: the module as written and the names it binds. */
export interface ImportRef {
  readonly spec: string;
  /** 0-based line of the statement. */
  readonly line: number;
  readonly named: readonly { readonly imported: string; readonly local: string }[];
  /** The local name the whole module is bound to (`ns`, `np`, `a.b` for `import a.b`, a Go alias). */
  readonly namespace?: string;
}

export const ID = '[A-Za-z_$][\\w$]*';

export function parseImports(lang: Language, text: string): ImportRef[] {
  const lineAt = lineIndex(text);
  const out: ImportRef[] = [];
  if (isJs(lang)) {
    for (const m of text.matchAll(/^[ \t]*import\s+(?:type\s+)?([^'";]*?)\s*from\s*['"]([^'"\n]+)['"]/gm)) {
      const clause = m[1];
      const named: { imported: string; local: string }[] = [];
      const braces = /\{([^}]*)\}/.exec(clause);
      if (braces) named.push(...names(braces[1], /\s+as\s+/));
      const def = new RegExp(`^\\s*(${ID})\\s*(,|$)`).exec(clause);
      if (def && def[1] !== 'type') named.push({ imported: 'default', local: def[1] });
      const ns = new RegExp(`\\*\\s*as\\s+(${ID})`).exec(clause)?.[1];
      out.push({ spec: m[2], line: lineAt(m.index), named, namespace: ns });
    }
    for (const m of text.matchAll(new RegExp(`(?:\\b(?:const|let|var)\\s+|^[ \\t]*import\\s+)(\\{[^}]*\\}|${ID})\\s*=\\s*require\\(\\s*['"]([^'"\\n]+)['"]\\s*\\)`, 'gm'))) {
      const line = lineAt(m.index);
      if (m[1].startsWith('{')) out.push({ spec: m[2], line, named: names(m[1].slice(1, -1), /\s*:\s*/) });
      else out.push({ spec: m[2], line, named: [{ imported: 'default', local: m[1] }], namespace: m[1] });
    }
  } else if (lang === 'python') {
    for (const m of text.matchAll(/^[ \t]*from\s+(\.*[\w.]*)\s+import\s+(\([^)]*\)|[^\n#]*)/gm)) {
      const list = m[2].replace(/[()\\]/g, ' ').replace(/#[^\n]*/g, '');
      out.push({ spec: m[1], line: lineAt(m.index), named: names(list, /\s+as\s+/).filter((n) => n.imported !== '*') });
    }
    for (const m of text.matchAll(/^[ \t]*import\s+([\w. \t,]+)/gm))
      for (const part of m[1].split(',')) {
        const [mod, alias] = part.trim().split(/\s+as\s+/);
        if (mod) out.push({ spec: mod, line: lineAt(m.index), named: [], namespace: alias ?? mod });
      }
  } else if (lang === 'rust') {
    // `use crate::core::{Word, break_words as bw};`, `use super::Options;` (one level of braces).
    for (const m of text.matchAll(/^[ \t]*(?:pub(?:\([^)]*\))?\s+)?use\s+([\w:]+?)(?:::\{([^}]*)\}|::(\w+)(?:\s+as\s+(\w+))?)\s*;/gm)) {
      const named = m[2] !== undefined ? names(m[2].replace(/\bself\b/, ''), /\s+as\s+/).filter((n) => /^\w+$/.test(n.imported)) : [{ imported: m[3], local: m[4] ?? m[3] }];
      out.push({ spec: m[1], line: lineAt(m.index), named });
    }
  } else if (lang === 'java') {
    // `import org.x.Cache;` names a class; `import static org.x.Util.max;` a member (its class, Util,
    // is shown where `max` is used); a package's `org.x.*` names none.
    for (const m of text.matchAll(/^[ \t]*import\s+(static\s+)?([\w.]+?)\.(\w+|\*)\s*;/gm)) {
      if (m[3] === '*') continue;
      out.push({ spec: m[1] ? m[2].replace(/\.\w+$/, '') : m[2], line: lineAt(m.index), named: [{ imported: m[1] ? /\.(\w+)$/.exec(m[2])![1] : m[3], local: m[3] }] });
    }
  } else if (lang === 'c' || lang === 'cpp') {
    // `#include "util/hash.h"`: every name the header declares. Angle brackets too: a library's own
    // headers are often named so (nlohmann's `<nlohmann/detail/value_t.hpp>`); the system's resolve to nothing.
    for (const m of text.matchAll(/^[ \t]*#\s*include\s*(?:"([^"\n]+)"|<([^>\n]+)>)/gm)) out.push({ spec: m[1] ?? m[2], line: lineAt(m.index), named: [] });
  } else if (lang === 'go') {
    const one = (alias: string | undefined, spec: string, at: number) => {
      if (alias !== '_' && alias !== '.') out.push({ spec, line: lineAt(at), named: [], namespace: alias });
    };
    for (const m of text.matchAll(/^import\s+(?:([\w.]+)\s+)?"([^"]+)"/gm)) one(m[1], m[2], m.index);
    for (const g of text.matchAll(/^import\s*\(([^)]*)\)/gm))
      for (const m of g[1].matchAll(/^\s*(?:([\w.]+)\s+)?"([^"]+)"/gm)) one(m[1], m[2], g.index + 7 + m.index);
  }
  return out;
}

/** `a, b as c` (or `a, b: c` for a destructuring require) as imported/local pairs. */
function names(list: string, as: RegExp): { imported: string; local: string }[] {
  const out: { imported: string; local: string }[] = [];
  for (const part of list.split(',')) {
    const [imported, local] = part.trim().replace(/^type\s+/, '').split(as);
    if (imported && /^[\w$*]+$/.test(imported)) out.push({ imported, local: local?.trim() || imported });
  }
  return out;
}

/** The 0-based line of an offset into `text`. */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}
