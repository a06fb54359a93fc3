/**
 * Identifiers of a line (CrossCodeEval's identifier exact match) and a per-repository index of
 * where names are defined, to tell target lines that use another file's definitions. Regular
 * expressions per language, not a parser: good enough to split the targets, and stated as such.
 */

import { languageOf, type Language } from '../code/language';
import { BUILTINS, KEYWORDS } from '../code/names';

/** String literals and comments blanked out: their words are not identifiers. */
function code(line: string, language: Language): string {
  let s = line.replace(/"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|`(?:[^`\\]|\\.)*`?/g, '""');
  s = language === 'python' ? s.replace(/#.*$/, '') : s.replace(/\/\/.*$/, '').replace(/\/\*.*?(\*\/|$)/g, ' ');
  return s;
}

/** The identifiers of a line, in order, keywords and names inside strings and comments left out. */
export function identifiers(line: string, language: Language): string[] {
  const kw = KEYWORDS[language];
  return (code(line, language).match(/[A-Za-z_$][A-Za-z0-9_$]*/g) ?? []).filter((w) => !kw.has(w));
}

/**
 * For each line of a file, whether it lies inside a block comment or a Python triple-quoted string
 * (prose: its words are not uses of definitions). Line-based and rough, like the rest of this file.
 */
export function proseLines(text: string, language: Language): boolean[] {
  const out: boolean[] = [];
  let open: string | undefined;
  for (const line of text.split('\n')) {
    const delims = language === 'python' ? line.match(/"""|'''/g) ?? [] : language === 'other' ? [] : line.match(/\/\*|\*\//g) ?? [];
    let inside = open !== undefined;
    for (const d of delims) {
      if (open === undefined && d !== '*/') open = d === '/*' ? '*/' : d;
      else if (open === d) open = undefined;
      inside = true;
    }
    out.push(inside || open !== undefined);
  }
  return out;
}

/**
 * CrossCodeEval's identifier exact match: the predicted line's identifiers, in order, are the truth's.
 * A true line without identifiers (`case '\n':`) would match any prediction without them, an empty
 * one too: there it counts only when the line is exactly right.
 */
export function identifierMatch(predicted: string, truth: string, language: Language): boolean {
  const a = identifiers(predicted, language), b = identifiers(truth, language);
  if (!b.length) return predicted.trim() === truth.trim();
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Names a file defines (functions, classes, types, top-level and exported bindings, methods, Go
 * fields), anywhere in its text. Not derived from src/code/'s finders: those find where a
 * definition is (top-level declarations, or functions, methods and classes with their extent);
 * this wants every name a line elsewhere could use, nested and destructured bindings and fields
 * too, and the cross-file split of `samba eval` (bench/RESULTS.md) was measured with exactly these
 * expressions.
 */
export function definedNames(text: string, language: Language): Set<string> {
  const out = new Set<string>();
  const add = (re: RegExp, src = text) => {
    for (const m of src.matchAll(re)) if (m[1] && !KEYWORDS[language].has(m[1])) out.add(m[1]);
  };
  switch (language) {
    case 'typescript':
    case 'javascript':
      add(/\b(?:function\*?|class|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)/g);
      add(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)/g);
      // Destructured bindings: `const { a, b: c, d = 1 } = ...` binds a, c and d.
      for (const m of text.matchAll(/\b(?:const|let|var)\s+\{([^}]*)\}\s*=/g)) {
        for (const part of m[1].split(',')) add(/(?:^|:)\s*([A-Za-z_$][\w$]*)\s*(?:=.*)?$/g, part.includes(':') ? part.slice(part.indexOf(':')) : part);
      }
      add(/\bexports\.([A-Za-z_$][\w$]*)\s*=/g);
      // Methods and properties of classes and object literals at the start of an indented line.
      add(/^[ \t]+(?:(?:public|private|protected|static|async|abstract|override|readonly|get|set)\s+)*#?([A-Za-z_$][\w$]*)\??\s*(?:<[^>\n]*>)?\s*\([^\n]*\)\s*(?::[^\n{]*)?\{\s*$/gm);
      add(/^[ \t]+([A-Za-z_$][\w$]*)\s*:\s*(?:function\b|async\b|\([^\n]*\)\s*=>)/gm);
      break;
    case 'python':
      add(/^[ \t]*(?:async\s+)?def\s+([A-Za-z_]\w*)/gm);
      add(/^[ \t]*class\s+([A-Za-z_]\w*)/gm);
      add(/^([A-Za-z_]\w*)\s*(?::[^\n=]*)?=(?!=)/gm);
      add(/^[ \t]+self\.([A-Za-z_]\w*)\s*(?::[^\n=]*)?=(?!=)/gm);
      break;
    case 'go': {
      add(/^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)/gm);
      add(/^(?:type|var|const)\s+([A-Za-z_]\w*)/gm);
      // Names declared inside `type (`, `var (`, `const (` blocks, and the fields and methods of structs and interfaces.
      for (const m of text.matchAll(/^(?:type|var|const)\s*(?:\(|[A-Za-z_]\w*\s+(?:struct|interface)\s*\{)\n([\s\S]*?)^[)}]/gm)) {
        add(/^\t([A-Za-z_]\w*)\b/gm, m[1]);
      }
      break;
    }
    case 'rust':
      // At a line's start, so that a doc comment's "the trait provides" defines nothing.
      add(/^[ \t]*(?:pub(?:\([^)]*\))?\s+)?(?:(?:default|const|async|unsafe|extern\s+"[^"]*")\s+)*fn\s+([A-Za-z_]\w*)/gm);
      add(/^[ \t]*(?:pub(?:\([^)]*\))?\s+)?(?:unsafe\s+)?(?:struct|enum|trait|union|type|const|static|mod)\s+(?:mut\s+)?([A-Za-z_]\w*)/gm);
      add(/^[ \t]*macro_rules!\s*([A-Za-z_]\w*)/gm);
      // A struct's named fields and an enum's variants.
      for (const m of text.matchAll(/^[ \t]*(?:pub(?:\([^)]*\))?\s+)?(?:struct|enum)\s+\w+[^{;\n]*\{\n([\s\S]*?)^[ \t]*\}/gm)) {
        add(/^[ \t]+(?:pub(?:\([^)]*\))?\s+)?([A-Za-z_]\w*)\s*(?::|,|\(|\{|=|$)/gm, m[1]);
      }
      break;
    case 'java':
      add(/^[ \t]*(?:@\w+\s+)*(?:(?:public|private|protected|static|final|abstract|sealed|non-sealed|strictfp)\s+)*(?:class|interface|enum|record|@interface)\s+([A-Za-z_$][\w$]*)/gm);
      // Methods and constructors (a declaration whose line opens a body or goes on), and fields.
      add(/^[ \t]+(?!(?:return|new|throw|else|case|assert)\b)(?:@\w+\s+)*(?:(?:public|private|protected|static|final|abstract|synchronized|native|default|transient|volatile)\s+)*(?:<[^>\n]*>\s+)?(?:[\w$.]+(?:<[^;=(\n]*>)?(?:\[\])*\s+)?([A-Za-z_$][\w$]*)\s*\([^;\n]*$/gm);
      add(/^[ \t]+(?:(?:public|private|protected|static|final|transient|volatile)\s+)+[\w$.]+(?:<[^;=(\n]*>)?(?:\[\])*\s+([A-Za-z_$][\w$]*)\s*[=;]/gm);
      break;
    case 'c':
    case 'cpp':
      add(/^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)/gm);
      add(/\b(?:struct|class|union|enum(?:\s+class)?|namespace)\s+([A-Za-z_]\w*)\s*(?:final\s*)?(?::[^;{]*)?\{/g);
      add(/^\s*\}\s*([A-Za-z_]\w*)\s*;/gm);
      add(/\btypedef\b[^;{]*?\b([A-Za-z_]\w*)\s*;/g);
      add(/\btypedef\b[^;{]*?\(\s*\*\s*([A-Za-z_]\w*)\s*\)/g);
      // Functions, defined or declared: a return type before the name (not `return f(`, `cout << f(`), or GNU style's name alone at column 0.
      add(/^[ \t]*(?!(?:return|else|case|new|delete|throw|goto|sizeof|co_return|co_yield)\b)(?![^(\n]*<<)[A-Za-z_][\w \t*&:<>,]*?[ \t*&](?:[A-Za-z_]\w*::)?(~?[A-Za-z_]\w*)\s*\((?:[^;\n]*$|[^;\n]*\)\s*(?:const\s*)?(?:noexcept\s*)?;)/gm);
      add(/^(?![A-Z0-9_]+\s*\()(?:[A-Za-z_]\w*::)?([A-Za-z_]\w*)\s*\([^;\n]*$/gm);
      break;
    default:
      break;
  }
  const d = out;
  // Short names are everywhere (i, x, ok): they say nothing about another file.
  for (const n of [...d]) if (n.length < 3) d.delete(n);
  return d;
}

/** name -> the files that define it, over a repository. */
export class DefinitionIndex {
  private readonly where = new Map<string, Set<string>>();
  private readonly texts = new Map<string, string>();

  constructor(files: readonly { path: string; text: string }[]) {
    for (const f of files) {
      this.texts.set(f.path, f.text);
      for (const name of definedNames(f.text, languageOf(f.path))) {
        let s = this.where.get(name);
        if (!s) this.where.set(name, (s = new Set()));
        s.add(f.path);
      }
    }
  }

  definedIn(name: string): ReadonlySet<string> {
    return this.where.get(name) ?? new Set();
  }

  /**
   * Where `name` is defined outside `path`: the first file by path, and the first line (1-based)
   * that defines it read on its own; undefined when only a multi-line form (a Go block) defines it.
   */
  definitionSite(name: string, path: string): { path: string; line: number } | undefined {
    for (const file of [...this.definedIn(name)].filter((f) => f !== path).sort()) {
      const language = languageOf(file);
      const lines = this.texts.get(file)!.split('\n');
      const i = lines.findIndex((l) => l.includes(name) && definedNames(l, language).has(name));
      if (i >= 0) return { path: file, line: i + 1 };
    }
    return undefined;
  }

  /**
   * The identifiers of `line` (in file `path`) that another file defines and `path` itself does not:
   * the line needs what is only elsewhere in the repository.
   */
  crossFile(line: string, path: string): string[] {
    const out: string[] = [];
    const language = languageOf(path);
    for (const id of new Set(identifiers(line, language))) {
      if (BUILTINS[language].has(id)) continue;
      const files = this.where.get(id);
      if (files && !files.has(path)) out.push(id);
    }
    return out;
  }
}
