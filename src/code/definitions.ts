/**
 * Where a file's functions, methods and classes are, with their extent and doc comment: Q&A
 * passages start at definitions (src/qa/passages.ts) and count the names they define, a summary
 * quotes a symbol's doc comment (src/summarize/prompt.ts), and the Q&A evaluation asks about them
 * (src/eval/qa-questions.ts). Line-based regular expressions for TypeScript/JavaScript, Python,
 * Go, Rust, Java, C and C++, not a parser: other files have none.
 *
 * The completion's context block reads a file's top-level declarations instead (./declarations.ts),
 * and `samba eval` the names a file defines (src/eval/identifiers.ts definedNames): each finds
 * other things over other extents, and past measurements rest on each as it is.
 */

import { isCLike, isJs, type Language } from './language';
import { charLiteralEnd, regexLiteralEnd, scanLines, type Shape } from './shape';

/** A doc comment's markup: a JSDoc or Sphinx tag opening a line ("@param  {any} key   - Key."): never an answer's or a summary's prose (a mnemonist trial's overview went on with that line). */
export const DOC_TAG = /^[ \t]*\*?[ \t]*@[A-Za-z]+\b|^[ \t]*:(?:param|returns?|raises?|rtype|type)\b/m;

export interface Definition {
  readonly name: string;
  /** The enclosing class (or Go receiver type), for a method. */
  readonly owner?: string;
  readonly kind: 'function' | 'method' | 'class';
  /** 1-based: the signature, and where its doc comment (or decorators) start (the signature when none). */
  readonly line: number;
  readonly docLine: number;
  readonly endLine: number;
  /** The first parameter's name, if any. */
  readonly param?: string;
  /** The doc comment's first paragraph (comment markers stripped, whitespace folded), if it has one. */
  readonly doc?: string;
  /** Its later paragraphs of prose, folded (not tags, examples or code), if it has any: a Q&A lead quotes the one a question asks about. */
  readonly docMore?: readonly string[];
  /** 1-based: a Python definition's first line after its docstring (where its code starts), if it has one. */
  readonly codeLine?: number;
}

const NOT_METHODS = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'with', 'else', 'do', 'try']);

/** Words before a C, C++ or Java name and its `(` that make it no definition (`return f(x) {` never is; `sizeof`, `new`, `case` neither). */
const NOT_C_FUNCTIONS = new Set([...NOT_METHODS, 'sizeof', 'new', 'delete', 'case', 'goto', 'throw', 'typedef', 'using', 'static_assert', 'decltype', 'alignof', 'synchronized', 'assert', 'defined']);

/** `impl Type {`, `impl<T> Trait for Type<T> where ... {`: the type whose methods follow. */
const RUST_IMPL = /^\s*(?:unsafe\s+)?impl\b(?:\s*<[^{]*?>)?\s+(?:[^{]*?\bfor\s+)?[&*]?\s*(?:'\w+\s+)?(?:mut\s+|const\s+|dyn\s+)?(?:[A-Za-z_]\w*::)*([A-Za-z_]\w*)/;
const RUST_FN = /^\s*(?:pub(?:\s*\([^)]*\))?\s+)?(?:default\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?(?:extern\s+"[^"]*"\s+)?fn\s+([A-Za-z_]\w*)/;
const RUST_TYPE = /^\s*(?:pub(?:\s*\([^)]*\))?\s+)?(?:unsafe\s+)?(?:struct|enum|trait|union|type)\s+([A-Za-z_]\w*)/;
const JAVA_TYPE = /^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|protected|private|static|abstract|final|sealed|non-sealed|strictfp)\s+)*(?:class|interface|enum|record|@interface)\s+([A-Za-z_$][\w$]*)/;
/** A C or C++ type with a body: `struct node {`, `class Foo : public Bar {`, `typedef struct tag {`, `enum class Color {`. */
const C_TYPE = /^\s*(?:typedef\s+)?(?:class|struct|union|enum(?:\s+(?:class|struct))?)\s+(?:\[\[[^\]]*\]\]\s*|__attribute__\s*\(\([^)]*\)\)\s*|alignas\s*\([^)]*\)\s*|[A-Z][A-Z0-9_]*_(?:API|EXPORT)\s+)*([A-Za-z_]\w*)\s*(?:final\s*)?(?::[^;{]*)?(?:\{.*)?$/;
/** The name right before a line's first `(`, and what comes before it (`static const char *name(`, `Foo::bar(`, `~Foo(`). */
const C_FUNCTION = /^(\s*[^=(;{}#"]*?)(?:([A-Za-z_]\w*)(?:<[^<>()]*>)?::)?(~?[A-Za-z_]\w*|operator\s*(?:\(\)|[^\s(]+))\s*\(/;
/** What may stand before a C, C++ or Java function's name: types, qualifiers, pointers, templates (no operators, no call). */
const C_PREFIX = /^[\w\s*&:<>,\[\]@.$]*$/;
/** A C++ namespace or an `extern "C"` block: its contents are at the top level. */
const C_NAMESPACE = /^\s*(?:(?:inline\s+)?namespace\b[^{;=()]*|extern\s+"C(?:\+\+)?"\s*)\{?\s*$/;

/** The functions, methods and classes of a file, with their extent and doc comment. */
export function findDefinitions(text: string, language: Language): Definition[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  // Brackets and multi-line strings, scanned once (for an expression body's end).
  let scanned: Shape | undefined;
  const shape = () => (scanned ??= scanLines(lines, language));
  const out: Definition[] = [];
  const classes: { name: string; indent: number; end: number }[] = [];
  const objects: { name: string; indent: number; end: number }[] = [];
  // C++ namespaces open (each the 1-based line it ends on); where Rust's unit tests end.
  const namespaces: number[] = [];
  let testsEnd = 0;
  // Which of `out` are C or C++ prototypes (a body elsewhere in the file outranks them).
  const prototypes = new Set<number>();
  lines.forEach((line, i) => {
    const indent = /^[ \t]*/.exec(line)![0].length;
    while (classes.length && (i + 1 > classes.at(-1)!.end)) classes.pop();
    while (objects.length && (i + 1 > objects.at(-1)!.end)) objects.pop();
    // The innermost class or object literal around the line (those ended are popped above).
    const scope = [classes.at(-1), objects.at(-1)].filter((x) => x !== undefined).sort((a, b) => b.indent - a.indent)[0];
    // Members sit one level inside it; a deeper line is in a member's body (`setTimeout(() => {`).
    const member = !!scope && indent > scope.indent && indent <= scope.indent + (line.startsWith('\t') ? 1 : 4);
    // A module's exported object (`module.exports = {`) has members but no name to give them.
    const owner = member ? scope.name || undefined : undefined;
    let m: RegExpExecArray | null;
    let def: Omit<Definition, 'endLine' | 'doc' | 'line' | 'docLine'> | undefined;
    // The signature's first line (C's return type may stand on the line above the name).
    let at = i;
    if (isJs(language)) {
      if ((m = /^\s*(?:export\s+)?(?:default\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/.exec(line))) def = { name: m[1], kind: 'class' };
      // A TypeScript interface, enum or type alias is a type too (immer's types/ folder named only a
      // `never_used` function in Summarize Workspace); at the top level, where a module declares them.
      else if (language === 'typescript' && !scope && (m = /^(?:export\s+)?(?:declare\s+)?(?:(?:interface|(?:const\s+)?enum)\s+([A-Za-z_$][\w$]*)|type\s+([A-Za-z_$][\w$]*)\s*(?:<[^=]*>)?\s*=)/.exec(line)))
        def = { name: m[1] ?? m[2], kind: 'class' };
      else if ((m = /^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\(\s*(?:\{|\[)?\s*([A-Za-z_$][\w$]*)?/.exec(line))) def = { name: m[1], kind: 'function', param: m[2] };
      // A function held by a const: `const f = (a) => {`, `= async <T>(` with its parameters on the
      // lines below (radash's `retry`, read as a variable whose members were its locals), `= function (`.
      else if ((m = /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=\s*(?:async\s+)?(?:function\b[^(]*\(\s*([A-Za-z_$][\w$]*)?|(?:<[^()]*>\s*)?\(\s*([A-Za-z_$][\w$]*)?(?:[^)]*\)\s*(?::[^=]*)?=>|[^)]*$)|([A-Za-z_$][\w$]*)\s*=>)/.exec(line)) && (/=>|\bfunction\b/.test(line) || arrowAfterParameters(lines, i)))
        def = { name: m[1], kind: 'function', param: m[2] ?? m[3] ?? m[4] };
      else if (member && (m = /^\s+(?:(?:public|private|protected|static|async|abstract|override|readonly|get|set)\s+)*#?([A-Za-z_$][\w$]*)\s*\??\s*(?:<[^>]*>)?\s*\(\s*([A-Za-z_$][\w$]*)?[^;]*$/.exec(line)) && /[{(]\s*$/.test(line) && !NOT_METHODS.has(m[1]))
        def = { name: m[1], kind: owner ? 'method' : 'function', owner, param: m[2] };
      // A function held by a property: `key: (a) => {` in an object literal (`lexStates`,
      // `RowSorting`), `obj.key = function (a) {` or `Owner.prototype.key = ...` assigned.
      else if (member && (m = /^\s+['"]?([A-Za-z_$][\w$]*)['"]?\s*:\s*(?:async\s+)?(?:function\b[^(]*\(\s*([A-Za-z_$][\w$]*)?|(?:<[^>]*>\s*)?\(\s*([A-Za-z_$][\w$]*)?(?:[^)]*\)\s*(?::[^=]*)?=>\s*\{?\s*$|[^)]*$)|([A-Za-z_$][\w$]*)\s*=>\s*\{?\s*$)/.exec(line)))
        def = { name: m[1], kind: owner ? 'method' : 'function', owner, param: m[2] ?? m[3] ?? m[4] };
      // The module itself as a named function (json5's `module.exports = function parse (text, reviver) {`);
      // an anonymous one has no name to give (its passage's lead names its lines).
      else if ((m = /^module\.exports\s*=\s*(?:async\s+)?function\b\s*\*?\s*([A-Za-z_$][\w$]*)\s*\(\s*([A-Za-z_$][\w$]*)?/.exec(line)))
        def = { name: m[1], kind: 'function', param: m[2] };
      else if ((m = /^\s*([A-Za-z_$][\w$]*)(?:\.prototype)?\.([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?(?:function\b[^(]*\(\s*([A-Za-z_$][\w$]*)?|\(\s*([A-Za-z_$][\w$]*)?[^)]*\)\s*(?::[^=]*)?=>|([A-Za-z_$][\w$]*)\s*=>)/.exec(line)) && m[1] !== 'module')
        def = { name: m[2], kind: 'method', owner: m[1], param: m[3] ?? m[4] ?? m[5] };
      // An object literal named by a declaration: its members' owner (as a class is its methods').
      else if ((m = /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=\s*\{\s*$/.exec(line))) objects.push({ name: m[1], indent, end: braceEnd(lines, i, shape(), language) + 1 });
      else if (/^\s*(?:(?:var|let|const)\s+[A-Za-z_$][\w$]*\s*=\s*)?(?:module\.exports|export\s+default)\s*=?\s*\{\s*$/.test(line)) objects.push({ name: '', indent, end: braceEnd(lines, i, shape(), language) + 1 });
    } else if (language === 'python') {
      if ((m = /^\s*class\s+([A-Za-z_]\w*)/.exec(line))) def = { name: m[1], kind: 'class' };
      else if ((m = /^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(\s*([A-Za-z_]\w*)?\s*(?:[:=,)]\s*(?:[^,)]*,\s*)?([A-Za-z_]\w*)?)?/.exec(line))) {
        const isMethod = owner !== undefined && indent > 0;
        const param = isMethod && (m[2] === 'self' || m[2] === 'cls') ? m[3] : m[2];
        def = { name: m[1], kind: isMethod ? 'method' : 'function', owner: isMethod ? owner : undefined, param };
      }
    } else if (language === 'rust') {
      // A file's unit tests (`#[cfg(test)] mod tests {`) define nothing of the crate's: a Rust
      // trial's summary of textwrap's core.rs listed its six test functions among its names.
      if (i < testsEnd) return;
      if (/^\s*mod\s+\w+\s*\{\s*$/.test(line) && /^\s*#\[cfg\(test\)\]\s*$/.test(lines[i - 1] ?? '')) testsEnd = braceEnd(lines, i, shape(), language) + 1;
      else if ((m = RUST_IMPL.exec(line)) && !/;\s*$/.test(line)) objects.push({ name: m[1], indent, end: braceEnd(lines, i, shape(), language) + 1 });
      else if ((m = RUST_FN.exec(line)) && opensBody(lines, i, language)) def = { name: m[1], kind: owner ? 'method' : 'function', owner, param: firstParam(lines, i, language) };
      // (An impl's or trait's associated type, `type Item = K;`, is no type of the file's own.)
      else if ((m = RUST_TYPE.exec(line)) && !(member && /^\s*type\b/.test(line))) def = { name: m[1], kind: 'class' };
    } else if (language === 'java' || language === 'c' || language === 'cpp') {
      while (namespaces.length && i + 1 > namespaces.at(-1)!) namespaces.pop();
      // A definition sits at the top level of its file, namespace or class (brackets counted, so
      // indentation does not matter): a statement inside a body never does.
      const atTop = shape().depthStart[i] === namespaces.length + classes.length;
      const cls = classes.at(-1)?.name;
      if (language !== 'java' && C_NAMESPACE.test(line) && opensBody(lines, i, language)) namespaces.push(braceEnd(lines, i, shape(), language) + 1);
      // (Nor a line of a block comment, nor a constructor's initializer, `: ia(adapter)`.)
      else if (!atTop || /^\s*(?:#|:[^:]|,)/.test(line) || shape().inString[i]) return;
      else if ((m = (language === 'java' ? JAVA_TYPE : C_TYPE).exec(line)) && opensBody(lines, i, language)) def = { name: m[1], kind: 'class' };
      // An anonymous `typedef struct {` is named after its closing brace (`} stbds_hash_bucket;`).
      else if (language !== 'java' && /^\s*typedef\s+(?:struct|union|enum)\s*\{?\s*$/.test(line) && opensBody(lines, i, language)) {
        const name = /^\s*\}\s*([A-Za-z_]\w*)\s*[;,]/.exec(lines[braceEnd(lines, i, shape(), language)] ?? '')?.[1];
        if (name) def = { name, kind: 'class' };
      }
      // (Not an annotation, `@SuppressWarnings("x")`, nor a macro, `FOR_EACH(x) {`.)
      else if ((language !== 'java' || cls) && (m = C_FUNCTION.exec(line)) && C_PREFIX.test(m[1]) && !/@\s*$/.test(m[1]) && !NOT_C_FUNCTIONS.has(m[3]) && !NOT_C_FUNCTIONS.has(m[1].trim().split(/\s+/).at(-1) ?? '') && !/^[A-Z][A-Z0-9_]*$/.test(m[3])) {
        const of = m[2] ?? cls;
        const body = opensBody(lines, i, language);
        // A C or C++ prototype under a doc comment is an API's documentation (inih's `ini_parse` in
        // ini.h), as is a Java interface's or abstract method under its Javadoc: a definition too,
        // unless the file defines it with a body as well.
        if (body || (m[1].trim() && !/^\s*typedef\b/.test(line) && clean(commentAbove(lines, i, language) ?? '') !== undefined)) {
          def = { name: m[3], kind: of ? 'method' : 'function', owner: of, param: firstParam(lines, i, language) };
          if (!body) prototypes.add(out.length);
          // GNU style puts the return type on the line above (`static int` over `parse (const char *s)`): the signature starts there.
          else if (!m[1].trim() && language !== 'java' && /^[A-Za-z_][\w \t*&:<>,]*$/.test(lines[i - 1] ?? '') && !NOT_C_FUNCTIONS.has((lines[i - 1] ?? '').trim())) at = i - 1;
        }
      }
    } else if (language === 'go') {
      if ((m = /^func\s+\(\s*\w*\s*\*?\s*([A-Za-z_]\w*)[^)]*\)\s*([A-Za-z_]\w*)\s*\(\s*([A-Za-z_]\w*)?/.exec(line))) def = { name: m[2], kind: 'method', owner: m[1], param: m[3] };
      else if ((m = /^func\s+([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*\(\s*([A-Za-z_]\w*)?/.exec(line))) def = { name: m[1], kind: 'function', param: m[2] };
      // Every named type: a struct, an interface (cron's Job, Schedule), a slice or func type with methods.
      else if ((m = /^type\s+([A-Za-z_]\w*)/.exec(line))) def = { name: m[1], kind: 'class' };
    }
    if (!def) return;
    // A line that starts inside a multi-line string or a block comment defines nothing: a
    // docstring's example (marshmallow's `And` shows `def is_even(value):`, which a summary of
    // validate.py listed among the file's names).
    if (shape().inString[i]) return;
    const end = language === 'python' ? pythonBlockEnd(lines, i, indent) : braceEnd(lines, i, shape(), language);
    const docstring = language === 'python' ? pythonDoc(lines, i) : undefined;
    const raw = docstring ? docstring.text : language === 'python' ? undefined : commentAbove(lines, at, language);
    const found = raw === undefined ? undefined : clean(raw);
    const doc = found && !namesOnly(found, def.name) ? found : undefined;
    const docMore = doc ? laterParagraphs(raw!) : [];
    out.push({ ...def, line: at + 1, endLine: end + 1, docLine: docStart(lines, at, language) + 1, ...(doc ? { doc } : {}), ...(docMore.length ? { docMore } : {}), ...(docstring?.end !== undefined ? { codeLine: docstring.end + 2 } : {}) });
    if (def.kind === 'class') classes.push({ name: def.name, indent, end: end + 1 });
  });
  if (!prototypes.size) return out;
  const bodies = new Set(out.filter((_, k) => !prototypes.has(k)).map((d) => `${d.owner ?? ''}.${d.name}`));
  return out.filter((d, k) => !prototypes.has(k) || !bodies.has(`${d.owner ?? ''}.${d.name}`));
}

/** A line's code as the bracket counts below read it: strings (and JavaScript's regular expression literals) emptied, a `//` comment left out. */
function codeOf(line: string, language: Language): string {
  const js = isJs(language);
  let out = '';
  for (let j = 0; j < line.length; ) {
    const c = line[j];
    if (c === "'" && isCLike(language)) {
      const end = charLiteralEnd(line, j);
      out += end > 0 ? '""' : c;
      j = end > 0 ? end : j + 1;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let k = j + 1;
      while (k < line.length && line[k] !== c) k += line[k] === '\\' ? 2 : 1;
      // Unclosed on this line (a template literal going on below): the quote alone is passed over.
      out += k < line.length ? '""' : c;
      j = k < line.length ? k + 1 : j + 1;
      continue;
    }
    if (c === '/' && line[j + 1] === '/') break;
    const literal = js && c === '/' ? regexLiteralEnd(line, j, out) : -1;
    if (literal > 0) {
      out += '""';
      j = literal;
      continue;
    }
    out += c;
    j++;
  }
  return out;
}

/**
 * Whether the parentheses opened on line `i` (and not closed there) close before `=>` within a few
 * lines: `const f = async <T>(` begins an arrow function, `const x = (` may begin an expression.
 */
function arrowAfterParameters(lines: readonly string[], i: number): boolean {
  const from = lines[i].indexOf('(', lines[i].indexOf('='));
  let depth = 0;
  for (let j = i; j < Math.min(lines.length, i + 30); j++) {
    const code = codeOf(j === i ? lines[j].slice(from) : lines[j], 'javascript');
    for (let k = 0; k < code.length; k++) {
      if (code[k] === '(') depth++;
      else if (code[k] === ')' && --depth === 0) return /^\s*(?::[^;{]*)?=>/.test(code.slice(k + 1));
    }
  }
  return false;
}

/**
 * Whether the signature starting at line `i` opens a body (`{` after its parameters, before any `;`,
 * within a few lines): a definition, not a prototype (`int f(void);`), a trait's or interface's
 * method without a body, or a call.
 */
function opensBody(lines: readonly string[], i: number, language: Language): boolean {
  let parens = 0;
  for (let j = i; j < Math.min(lines.length, i + 12); j++) {
    for (const c of codeOf(lines[j], language).replace(/\/\*.*?\*\//g, '')) {
      if (c === '(') parens++;
      else if (c === ')') parens--;
      else if (c === '{' && parens <= 0) return true;
      else if (c === ';' && parens <= 0) return false;
    }
  }
  return false;
}

/** A Rust, Java, C or C++ signature's first parameter's name (Rust's `self` passed over; C's `void` none). */
function firstParam(lines: readonly string[], i: number, language: Language): string | undefined {
  const signature = lines.slice(i, i + 6).join(' ');
  const open = language === 'rust' ? signature.search(/\bfn\s+\w+\s*(?:<[^(]*>)?\s*\(/) : 0;
  const at = signature.indexOf('(', Math.max(0, open));
  if (at < 0) return undefined;
  const params = signature.slice(at + 1).split(/[,)]/);
  for (const raw of params.slice(0, 2)) {
    const part = raw.trim();
    if (language === 'rust') {
      if (/^(?:&\s*(?:'\w+\s+)?)?(?:mut\s+)?self\b/.test(part)) continue;
      return /^(?:mut\s+)?([A-Za-z_]\w*)\s*:/.exec(part)?.[1];
    }
    const name = /([A-Za-z_$][\w$]*)\s*(?:\[[^\]]*\]\s*)*(?:=.*)?$/.exec(part)?.[1];
    return name && name !== 'void' && /[\s*&]/.test(part.replace(/=.*$/, '').trim()) ? name : undefined;
  }
  return undefined;
}

/** The most lines a definition's braces are followed for: a class of a thousand lines (tap-parser's `Parser`) is whole, a brace never closed costs a bounded scan. */
const MAX_BODY_LINES = 4000;

/**
 * The 0-based line where the braces opened from line `i` close (the line itself when it opens none).
 * Its own per-line count of braces, not ./shape.ts's brackets: Q&A's passages, and the question
 * sets' answer lines, were cut by these. An expression body (no brace opened) asks `shape` whether
 * a bracket it opened or a multi-line string is still open.
 */
function braceEnd(lines: readonly string[], i: number, shape: Shape, language: Language): number {
  const indent = /^[ \t]*/.exec(lines[i])![0].length;
  let depth = 0;
  let opened = false;
  // Braces inside the parameters' parentheses are a type's (`options: { times?: number },` of a
  // signature over several lines), not the body's.
  let parens = 0;
  for (let j = i; j < Math.min(lines.length, i + MAX_BODY_LINES); j++) {
    const code = codeOf(lines[j], language);
    for (const c of code) {
      if (c === '(' && !opened) parens++;
      else if (c === ')' && !opened) parens--;
      else if (c === '{' && (opened || parens <= 0)) (depth++, (opened = true));
      else if (c === '}' && opened) depth--;
    }
    if (opened && depth <= 0) return j;
    // No body opened yet: an expression body (`const f = x =>` on the lines below) ends at `;`,
    // or before a blank line or a line back at the definition's indentation; a signature over
    // several lines opens its body within a few.
    if (!opened) {
      if (/;\s*$/.test(code) || j - i >= 12) return j;
      // Rust, Java, C and C++ have no expression bodies: the brace may open lines below (a `where`
      // clause, a C function's `{` on a line of its own).
      if (isCLike(language)) continue;
      const next = lines[j + 1];
      // Inside brackets it opened or a multi-line string it goes on (semver's help: `console.log(`, then a template at column 0).
      if (next !== undefined && (shape.depthEnd[j] > shape.depthStart[i] || shape.inString[j + 1] === 2)) continue;
      if (next === undefined || !next.trim() || (/^[ \t]*/.exec(next)![0].length <= indent && !/^\s*[)\]}]/.test(next))) return j;
    }
  }
  return Math.min(lines.length - 1, i + MAX_BODY_LINES - 1);
}

/** The last 0-based line of a Python block whose header is line `i` (indented `indent`). */
function pythonBlockEnd(lines: readonly string[], i: number, indent: number): number {
  let last = i;
  let header = true;
  for (let j = i + 1; j < lines.length; j++) {
    const l = lines[j];
    if (!l.trim()) continue;
    const ind = /^[ \t]*/.exec(l)![0].length;
    // The header may wrap (arguments over several lines) until the line ending with `:`.
    if (header) {
      last = j;
      if (/:\s*(#.*)?$/.test(lines[j - 1] ?? '') || /^\s*(\"\"\"|''')/.test(l)) header = false;
      if (ind <= indent && !/^\s*[)\]]/.test(l)) return last - 1;
      continue;
    }
    if (ind <= indent) break;
    last = j;
  }
  return last;
}

/** A line between a doc comment and what it documents in Rust, Java, C or C++: an attribute (`#[derive(Debug)]`, `[[nodiscard]]`) or a template head. */
const ATTRIBUTE = /^\s*(?:#!?\[|\[\[|template\s*<)/;

/** A line that is only a note to a tool (`/*#__PURE__*/`, `// eslint-disable-next-line`, `// @ts-ignore`), not documentation. */
const TOOL_NOTE = /^\s*(?:\/\*\s*[#@]__PURE__\s*\*\/|\/\/\s*(?:eslint|@ts-|istanbul|prettier-ignore|tslint|jshint).*|\/\*\s*(?:eslint|istanbul|prettier-ignore|tslint|jshint)[^*]*\*\/)\s*$/;

/** A `/** ... *\/` block or a run of `//` lines right above line `i` (decorators skipped), its markers stripped (not yet `clean`ed). */
function commentAbove(lines: readonly string[], i: number, language: Language): string | undefined {
  let j = i - 1;
  while (j >= 0 && (/^\s*@/.test(lines[j]) || TOOL_NOTE.test(lines[j]) || (isCLike(language) && ATTRIBUTE.test(lines[j])))) j--;
  if (j < 0) return undefined;
  const body: string[] = [];
  if (/\*\/\s*$/.test(lines[j])) {
    for (; j >= 0; j--) {
      body.unshift(lines[j]);
      if (/^\s*\/\*/.test(lines[j])) break;
    }
    const text = body.join('\n').replace(/^\s*\/\*\*?|\*\/\s*$/g, '').replace(/^\s*\*\s?/gm, '');
    // Doxygen's `/*!` opens a doc as `/**` does, and its `@brief` (or `\brief`) is the summary, no tag.
    return isCLike(language) ? text.replace(/^!/, '').replace(/^(\s*)[@\\]brief\s+/m, '$1') : text;
  }
  if (language === 'go' || isJs(language)) {
    for (; j >= 0 && /^\s*\/\//.test(lines[j]); j--) body.unshift(lines[j].replace(/^\s*\/\/\s?/, ''));
    return body.length ? body.join('\n') : undefined;
  }
  // Rust's `///` and Doxygen's `///` or `//!` are doc lines; plain `//` runs document too, as in Go.
  if (isCLike(language)) {
    for (; j >= 0 && /^\s*\/\//.test(lines[j]) && !/^\s*\/\/!/.test(lines[j]); j--) body.unshift(lines[j].replace(/^\s*\/\/\/?\s?/, ''));
    return body.length ? body.join('\n').replace(/^(\s*)[@\\]brief\s+/m, '$1') : undefined;
  }
  return undefined;
}

/**
 * A module's own doc, first paragraph (as a definition's): a Go file's comment right above its
 * `package` clause (a license header a blank line apart is none), Rust's `//!`, a C or C++ file's
 * opening comment, a Python module's docstring.
 */
export function moduleDoc(text: string, language: Language): string | undefined {
  if (language === 'go') {
    const lines = text.split('\n');
    const at = lines.findIndex((l) => /^package\s+\w+/.test(l));
    const raw = at > 0 ? commentAbove(lines, at, language) : undefined;
    return raw === undefined ? undefined : clean(raw);
  }
  // Rust's inner doc comments (`//! ...`) open a crate's or module's file.
  if (language === 'rust') {
    const m = /^(?:\s*\/\/(?!!)[^\n]*\n|\s*#!\[[^\n]*\n)*((?:[ \t]*\/\/![^\n]*\n?)+)/.exec(text);
    return m ? clean(m[1].replace(/^[ \t]*\/\/! ?/gm, '')) : undefined;
  }
  // A C or C++ file's opening comment, when a blank line or the include guard follows it (else it is
  // its first definition's): stb's "stb_ds.h - v0.67 - public domain data structures"; a licence is none.
  if (language === 'c' || language === 'cpp') {
    const m = /^\s*(\/\*[^]*?\*\/|(?:[ \t]*\/\/[^\n]*(?:\n|$))+)/.exec(text);
    const block = m?.[1].startsWith('/*');
    // (A run of `//` lines ends with its newline; a block comment's line still has to end.)
    if (!m || !(block ? /^[ \t]*(?:\n[ \t]*(?:\n|#)|$)/ : /^[ \t]*(?:\n|#|$)/).test(text.slice(m[0].length))) return undefined;
    const body = block ? m[1].replace(/^\/\*+!?|\*+\/$/g, '').replace(/^[ \t]*\*(?!\/) ?/gm, '') : m[1].replace(/^[ \t]*\/\/[/!]? ?/gm, '');
    const doc = clean(body.replace(/^\s*[@\\]file\b[^\n]*\n?/m, '').replace(/^(\s*)[@\\]brief\s+/m, '$1'));
    // Nor a banner of ASCII art (nlohmann's `//  __|  |   __|`): mostly not letters.
    const chars = doc?.replace(/\s/g, '') ?? '';
    return chars.replace(/[^A-Za-z]/g, '').length >= 0.6 * chars.length ? doc : undefined;
  }
  if (language === 'python') {
    const m = /^\s*(?:#[^\n]*\n\s*)*[rRuU]?("""|''')([^]*?)\1/.exec(text);
    return m ? clean(m[2]) : undefined;
  }
  return undefined;
}

/** The docstring right after a Python header starting at line `i`: its text (quotes stripped, not yet `clean`ed), and its last line (0-based). */
function pythonDoc(lines: readonly string[], i: number): { text: string; end?: number } | undefined {
  let j = i;
  while (j < lines.length && j < i + 12 && !/:\s*(#.*)?$/.test(lines[j])) j++;
  const first = lines[j + 1];
  const m = first && /^\s*[rbuRBU]?("""|''')/.exec(first);
  if (!m) return undefined;
  const body: string[] = [];
  let end: number | undefined;
  for (let k = j + 1; end === undefined && k < Math.min(lines.length, j + 60); k++) {
    body.push(lines[k]);
    if ((k > j + 1 || first.split(m[1]).length > 2) && lines[k].includes(m[1])) end = k;
  }
  return { text: body.join('\n').replace(/^\s*[rbuRBU]?("""|''')|("""|''')\s*$/g, ''), end };
}

/**
 * A doc that only names what it documents ("LRUCache.", "The Parser class."): it says nothing a
 * reader has not read in the signature (a mnemonist trial's answer led "LRUCache in lru-cache.js,
 * line 31: LRUCache.").
 */
function namesOnly(doc: string, name: string): boolean {
  const bare = doc.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/^(the|a|an)/, '').replace(/(class|function|constructor|method|type|struct|interface)$/, '');
  return bare === name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** A comment above a definition that is not about it: a licence, a linter's or formatter's directive (training/transforms.py NOT_DOC, and C++'s `NOLINTNEXTLINE(...)`). */
const NOT_DOC = /copyright|licen[cs]e|spdx|all rights reserved|eslint-|istanbul|prettier-ignore|tslint:|@ts-|jshint|jscs:|NOLINT|clang-format|cppcheck-|noqa|pylint:/i;

/**
 * The first paragraph, whitespace folded: up to a blank line, a tag (`@param`; a doc of tags alone has none) or a fenced example
 * (folded into the sentence it reads as noise); `{@link X}` as X. Code spans and stars stay, as
 * training's docs keep them: a user trial's doc lost "with `**********`" when markup was dropped.
 */
function clean(doc: string): string | undefined {
  const text = doc.split(/(?:^|\n)\s*@|\n\s*\n|\n\s*```/)[0].replace(/\{@link\s+([^}]*)\}/g, '$1').replace(/\s+/g, ' ').trim();
  return text && !NOT_DOC.test(text) ? text : undefined;
}

const indentOf = (line: string) => /^[ \t]*/.exec(line)![0].length;

/** Most later paragraphs kept (a long docstring's tail is examples and notes). */
const MORE_PARAGRAPHS = 6;

/**
 * A doc's paragraphs after its first (which `clean` gives), folded as `clean` folds it: prose only.
 * Not a paragraph that opens with a tag (`@param`, `:raises`), a doctest (`>>>`), a fence, an
 * indented block (reStructuredText's examples) or a section underline (numpydoc's `-----`), nor one
 * of fewer than four words.
 */
function laterParagraphs(doc: string): string[] {
  const out: string[] = [];
  // The first paragraph ends where `clean` ends it; a tag there ends the prose of that paragraph.
  const rest = doc.replace(/^\s*\n/, '').split(/\n[ \t]*\n/).slice(1);
  // The docstring's own indentation (its first line follows the quotes): deeper is an example.
  const base = Math.min(...doc.split('\n').slice(1).filter((l) => l.trim()).map(indentOf));
  let fenced = false;
  for (const para of rest) {
    const fences = (para.match(/```/g) ?? []).length;
    const wasFenced = fenced;
    if (fences % 2) fenced = !fenced;
    if (wasFenced || fences || out.length >= MORE_PARAGRAPHS) continue;
    const lines = para.split('\n').filter((l) => l.trim());
    if (!lines.length || DOC_TAG.test(lines[0]) || /^\s*@/.test(lines[0]) || lines.some((l) => /^\s*(>>>|\.\.\.\s|[-=~]{3,}\s*$)/.test(l))) continue;
    if (lines.every((l) => indentOf(l) > base)) continue;
    // (reStructuredText's "like::" introduces a literal block: it reads "like:".)
    const text = para.split(/(?:^|\n)\s*@/)[0].replace(/\{@link\s+([^}]*)\}/g, '$1').replace(/\s+/g, ' ').trim().replace(/::$/, ':');
    if (text.split(' ').length >= 4 && !NOT_DOC.test(text)) out.push(text);
  }
  return out;
}

/** The 0-based first line of the comment block or decorators right above line `i` (i itself when none; Python's docstring is inside). */
function docStart(lines: readonly string[], i: number, language: Language): number {
  let j = i;
  const comment = language === 'python' ? /^\s*(#|@)/ : /^\s*(\/\/|\/\*|\*|@)/;
  for (;;) {
    while (j > 0 && (comment.test(lines[j - 1]) || (isCLike(language) && ATTRIBUTE.test(lines[j - 1]))) && lines[j - 1].trim()) j--;
    // A block comment whose lines do not start with `*` (inih's ini.h): up to its `/*`, from its
    // last line (`text */`) or from the `*/` or `* text` line the walk stopped at.
    const inside = j < i && /^\s*\*/.test(lines[j]) && !lines[j].includes('/*');
    if (language === 'python' || j === 0 || (!inside && (!/\*\/\s*$/.test(lines[j - 1]) || lines[j - 1].includes('/*')))) return j;
    let k = j - 1;
    while (k > 0 && k > j - 60 && !lines[k].includes('/*')) k--;
    if (!lines[k].includes('/*')) return j;
    j = k;
  }
}
