/**
 * Identifiers of a line (CrossCodeEval's identifier exact match) and a per-repository index of
 * where names are defined, to tell target lines that use another file's definitions. Regular
 * expressions per language, not a parser: good enough to split the targets, and stated as such.
 */

import { languageOf, type Language } from '../code/language';

const KEYWORDS: Record<Language, ReadonlySet<string>> = {
  typescript: words(
    'abstract any as asserts async await bigint boolean break case catch class const constructor continue debugger declare default delete do else enum export extends false finally for from function get if implements import in infer instanceof interface is keyof let module namespace never new null number object of override package private protected public readonly require return satisfies set static string super switch symbol this throw true try type typeof undefined unique unknown var void while with yield',
  ),
  javascript: words(
    'async await break case catch class const continue debugger default delete do else export extends false finally for from function get if import in instanceof let new null of return set static super switch this throw true try typeof undefined var void while with yield',
  ),
  python: words(
    'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield self cls',
  ),
  go: words(
    'break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var nil true false iota',
  ),
  rust: words(
    'as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while',
  ),
  java: words(
    'abstract assert boolean break byte case catch char class const continue default do double else enum extends final finally float for goto if implements import instanceof int interface long native new null package private protected public return short static strictfp super switch synchronized this throw throws transient true false try void volatile while var record',
  ),
  c: words(
    'auto break case char const continue default do double else enum extern float for goto if inline int long register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while NULL',
  ),
  cpp: words(
    'alignas alignof auto bool break case catch char class const constexpr const_cast continue decltype default delete do double dynamic_cast else enum explicit export extern false float for friend goto if inline int long mutable namespace new noexcept nullptr operator private protected public register reinterpret_cast return short signed sizeof static static_assert static_cast struct switch template this throw true try typedef typeid typename union unsigned using virtual void volatile while override final',
  ),
  other: words(''),
};

/** Names the language provides: a file that happens to define one (a Go method `string`) does not make a line cross-file. */
const BUILTINS: Record<Language, ReadonlySet<string>> = {
  typescript: words('Object Array String Number Boolean Promise Map Set WeakMap WeakSet JSON Math console Error TypeError Symbol Date RegExp Reflect Proxy parseInt parseFloat isNaN length prototype toString valueOf constructor'),
  javascript: words('Object Array String Number Boolean Promise Map Set WeakMap WeakSet JSON Math console Error TypeError Symbol Date RegExp Reflect Proxy parseInt parseFloat isNaN length prototype toString valueOf constructor module exports require'),
  python: words('str int float bool bytes list dict set frozenset tuple object type len print range open isinstance issubclass super getattr setattr hasattr iter next min max sum any all sorted reversed enumerate zip map filter repr hash id format vars ValueError TypeError KeyError IndexError Exception RuntimeError'),
  go: words('string int int8 int16 int32 int64 uint uint8 uint16 uint32 uint64 uintptr float32 float64 complex64 complex128 bool byte rune error any comparable len cap append make new delete copy panic recover print println close complex real imag max min clear'),
  rust: words('Option Some None Result Ok Err Vec String Box Rc Arc Self usize isize u8 u16 u32 u64 u128 i8 i16 i32 i64 i128 f32 f64 bool char str'),
  java: words('String Object Integer Long Double Boolean List Map Set ArrayList HashMap HashSet Exception RuntimeException IllegalArgumentException IllegalStateException System Math'),
  c: words('size_t int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t malloc calloc realloc free memcpy memset strlen printf'),
  cpp: words('std size_t string vector map unique_ptr shared_ptr make_unique make_shared move'),
  other: words(''),
};

function words(s: string): ReadonlySet<string> {
  return new Set(s.split(/\s+/).filter(Boolean));
}

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
