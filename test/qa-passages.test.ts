import * as assert from 'node:assert/strict';
import { findDefinitions } from '../src/code/definitions';
import { splitPassages } from '../src/qa/passages';
import { scanLines } from '../src/code/shape';
import { fixtureTree } from './helpers/qa-workspace';

const files = fixtureTree('qa-retry-limiter');
const lineOf = (path: string, re: RegExp) => files.get(path)!.split('\n').findIndex((l) => re.test(l)) + 1;

describe('qa passages at definitions', () => {
  it('finds functions, methods with their class, doc comments and where bodies end (TypeScript)', () => {
    const text = files.get('src/rate-limiter.ts')!;
    const defs = findDefinitions(text, 'typescript');
    const admit = defs.find((d) => d.name === 'admit')!;
    assert.equal(admit.kind, 'method');
    assert.equal(admit.owner, 'RateLimiter');
    assert.equal(admit.line, lineOf('src/rate-limiter.ts', /^\s+private admit\(/));
    assert.equal(admit.docLine, admit.line - 5, 'the doc comment above it');
    assert.match(admit.doc!, /^Whether a call is admitted/);
    const lines = text.split('\n');
    assert.equal(lines[admit.endLine - 1], '  }');
    assert.equal(lines[admit.endLine - 2].trim(), 'return Math.ceil((missing / this.o.refillPerSecond) * 1000);');
    const cls = defs.find((d) => d.name === 'RateLimiter')!;
    assert.equal(cls.kind, 'class');
    assert.equal(cls.endLine, lines.length - (lines.at(-1) === '' ? 1 : 0));
  });

  it("a class's constructor is a method of it, as Python's __init__ is (semver's SemVer: a question about its limits cited a window of lines)", () => {
    const js = ['class SemVer {', '  /** Parses the version; throws past MAX_LENGTH. */', '  constructor (version, options) {', '    if (version.length > MAX_LENGTH) {', '      throw new TypeError(`version is longer than ${MAX_LENGTH} characters`)', '    }', '  }', '', '  format () {', '    return this.version', '  }', '}', ''].join('\n');
    const ctor = findDefinitions(js, 'javascript').find((d) => d.name === 'constructor');
    assert.ok(ctor, 'the constructor is found');
    assert.deepEqual([ctor.kind, ctor.owner, ctor.param, ctor.docLine, ctor.line, ctor.endLine], ['method', 'SemVer', 'version', 2, 3, 7]);
    assert.match(ctor.doc!, /^Parses the version/);
    // A call of `constructor` in a body is not one.
    assert.equal(findDefinitions('class A {\n  m () {\n    this.constructor(x)\n  }\n}\n', 'javascript').filter((d) => d.name === 'constructor').length, 0);
  });

  it("a doc comment keeps its code spans and stars, {@link X} as X, and ends at a tag, a blank line or a fenced example", () => {
    // secretlint's maskWithValues (a user trial: the Q&A lead read "replace all TOKEN_STRING with in messages").
    const ts = ['/**', ' * If a rule reports `"TOKEN"` as data, replace all `TOKEN` with `*****` in messages (see {@link mask}).', ' * ```', ' * context.report({ message: t("M", { TOKEN: "x" }) });', ' * ```', ' * @param str', ' */', 'const maskWithValues = (str: string): string => {', '  return str;', '};'].join('\n');
    assert.equal(findDefinitions(ts, 'typescript')[0].doc, 'If a rule reports `"TOKEN"` as data, replace all `TOKEN` with `*****` in messages (see mask).');
    // A doc of tags alone has no description (a textlint trial's summary quoted "@param {string} code").
    const tags = ['/**', ' *', ' * @param {string} code', ' * @returns {*}', ' */', 'function failingCode(code) {', '  return code;', '}'].join('\n');
    assert.equal(findDefinitions(tags, 'typescript')[0].doc, undefined);
    // A doc that only names what it documents is none (a mnemonist trial's answer quoted "LRUCache.").
    const named = (doc: string) => findDefinitions(`/**\n * ${doc}\n *\n * @constructor\n */\nfunction LRUCache(capacity) {\n  this.capacity = capacity;\n}\n`, 'javascript')[0].doc;
    assert.deepEqual(['LRUCache.', 'The LRUCache class.', 'lru_cache', 'LRUCache keeps the most recently used entries.'].map(named), [undefined, undefined, undefined, 'LRUCache keeps the most recently used entries.']);
    const py = 'def f(*args):\n    """Calls **every** hook with `*args`.\n\n    More.\n    """\n    return 1\n';
    assert.equal(findDefinitions(py, 'python')[0].doc, 'Calls **every** hook with `*args`.');
  });

  it("a doc's later paragraphs of prose are kept apart (docMore): not its tags, doctests, literal blocks, section lines or fences", () => {
    // bidict's __setitem__ (a user trial: the Q&A lead quoted only "Set the value for *key* to *val*.").
    const py = [
      'def __setitem__(self, key, val):',
      '    """Set the value for *key* to *val*.',
      '',
      '    If *val* is already associated with a different key,',
      '    an exception is raised to protect against accidental removal.',
      '',
      '    :raises bidict.ValueDuplicationError: if *val* duplicates that of an',
      '        existing item.',
      '',
      '    >>> b[1] = 2',
      '',
      '    Examples',
      '    --------',
      '',
      '        b.put(key, val)',
      '',
      '    The output looks something like::',
      '    """',
      '    self.put(key, val)',
    ].join('\n');
    const [d] = findDefinitions(py, 'python');
    assert.equal(d.doc, 'Set the value for *key* to *val*.');
    assert.deepEqual(d.docMore, ['If *val* is already associated with a different key, an exception is raised to protect against accidental removal.', 'The output looks something like:']);
    const go = ['// Parse reads a header.', '//', '// Folded lines are joined before the value is split.', '//', '//\tparse("a: b")', 'func Parse(text string) string {', '\treturn text', '}'].join('\n');
    assert.deepEqual(findDefinitions(go, 'go')[0].docMore, ['Folded lines are joined before the value is split.']);
    assert.equal(findDefinitions('def f():\n    """One paragraph only."""\n    return 1\n', 'python')[0].docMore, undefined);
  });

  it("a docstring's or a block comment's example defines nothing", () => {
    const py = ['class And:', '    """Compose validators.', '', '    Example: ::', '', '        def is_even(value):', '            return value % 2 == 0', '    """', '', '    def __call__(self, value):', '        return value', ''].join('\n');
    assert.deepEqual(findDefinitions(py, 'python').map((d) => `${d.owner ?? ''}.${d.name}`), ['.And', 'And.__call__']);
    const js = ['/**', ' * Example:', ' * function helper(x) {', ' *   return x', ' * }', ' */', 'function real(y) {', '  return y', '}', ''].join('\n');
    assert.deepEqual(findDefinitions(js, 'javascript').map((d) => d.name), ['real']);
  });

  it('Python and Go: methods of a class or receiver, docstrings, expression bodies end at the definition', () => {
    const py = 'class Version:\n    def is_devrelease(self) -> bool:\n        """Whether this version is a development release."""\n        return self.dev is not None\n\n\ndef parse(text):\n    return Version(text)\n';
    const p = findDefinitions(py, 'python');
    assert.deepEqual(p.map((d) => [d.name, d.kind, d.owner, d.line, d.endLine]), [['Version', 'class', undefined, 1, 4], ['is_devrelease', 'method', 'Version', 2, 4], ['parse', 'function', undefined, 7, 8]]);
    assert.equal(p[1].doc, 'Whether this version is a development release.');
    const go = '// HasParent determines if the command is a child command.\nfunc (c *Command) HasParent() bool {\n\treturn c.parent != nil\n}\n';
    const g = findDefinitions(go, 'go');
    assert.deepEqual(g.map((d) => [d.name, d.owner, d.docLine, d.line, d.endLine, d.doc]), [['HasParent', 'Command', 1, 2, 4, 'HasParent determines if the command is a child command.']]);
    const js = "const isDigit = char =>\n  char >= '0' && char <= '9'\n\nconst next = () => {\n  return 1\n}\n";
    assert.deepEqual(findDefinitions(js, 'javascript').map((d) => [d.name, d.line, d.endLine]), [['isDigit', 1, 2], ['next', 4, 6]]);
  });

  it('a const holding a generic arrow function whose parameters go over several lines (radash): a function, its body to its brace, its doc', () => {
    const ts = [
      '/**', // 1
      ' * Retries the given function the specified number',
      ' * of times.',
      ' */',
      'export const retry = async <TResponse>(', // 5
      '  options: {',
      '    times?: number',
      '  },', // 8: the parameter's type closes, not the body
      '  func: (exit: (err: any) => void) => Promise<TResponse>',
      '): Promise<TResponse> => {', // 10
      '  for (const i of range(1, options.times ?? 3)) {',
      '    if (i) await sleep(1)',
      '  }',
      '  return undefined as unknown as TResponse',
      '}', // 15
      '',
      'export const total = (', // 17: an expression in parentheses, not a function
      '  a + b',
      ')',
      'export let isLoaded = <K extends keyof Plugins>(key: K): boolean =>', // 20
      '  !!plugins[key]',
    ].join('\n');
    const defs = findDefinitions(ts, 'typescript');
    assert.deepEqual(defs.map((d) => [d.name, d.kind, d.docLine, d.line, d.endLine]), [['retry', 'function', 1, 5, 15], ['isLoaded', 'function', 20, 20, 21]]);
    assert.equal(defs[0].doc, 'Retries the given function the specified number of times.');
  });

  it("JavaScript's functions held by properties: an object literal's methods, a property's arrow, an assigned function; not a call in a body", () => {
    const ts = [
      'export const objectTraps: ProxyHandler<State> = {', // 1
      '\tget(state, prop) {',
      '\t\tconst value = latest(state)[prop]',
      '\t\tsetTimeout(() => {', // a call inside the method's body
      '\t\t\tvalue.touch()',
      '\t\t})',
      '\t\treturn value',
      '\t},',
      '\tset(', // 9: a signature over several lines
      '\t\tstate: State,',
      '\t\tprop: string,',
      '\t) {',
      '\t\treturn true',
      '\t},',
      '}',
      '',
      'export const RowSorting: TableFeature = {', // 17
      '  createColumn: <TData>(column: Column<TData>, table: Table<TData>): void => {',
      '    column.toggleSorting = (desc, multi) => {', // 19
      '      table.setSorting(old => old)',
      '    }',
      '  },',
      '}',
      '',
      'Range.prototype.intersects = function (other) {', // 25
      '  return true',
      '}',
      'module.exports = (a) => {', // 28: the module, not a name
      '  return a',
      '}',
    ].join('\n');
    assert.deepEqual(
      findDefinitions(ts, 'typescript').map((d) => [d.owner ? `${d.owner}.${d.name}` : d.name, d.line, d.endLine, d.param]),
      [['objectTraps.get', 2, 8, 'state'], ['objectTraps.set', 9, 14, undefined], ['RowSorting.createColumn', 18, 22, 'column'], ['column.toggleSorting', 19, 21, 'desc'], ['Range.intersects', 25, 27, 'other']],
    );
    const js = 'const lexStates = {\n  default () {\n    return lex()\n  },\n  zero: function (c) {\n    return c\n  },\n}\n';
    assert.deepEqual(findDefinitions(js, 'javascript').map((d) => [d.owner, d.name, d.line]), [['lexStates', 'default', 2], ['lexStates', 'zero', 5]]);
    // The module as a named function is one by its name; an anonymous one has none to give.
    const parse = 'module.exports = function parse (text, reviver) {\n  return lex(text)\n}\n';
    assert.deepEqual(findDefinitions(parse, 'javascript').map((d) => [d.name, d.kind, d.line, d.endLine, d.param]), [['parse', 'function', 1, 3, 'text']]);
    assert.deepEqual(findDefinitions('module.exports = function () {\n  return 1\n}\n', 'javascript'), []);
    // A module's exported object: its members are functions of no owner.
    const exported = 'module.exports = {\n  warn: function () {},\n\n  fixBugsField: function (data) {\n    if (!data.bugs) {\n      data.bugs = {}\n    }\n  },\n  parse (s) {\n    return s\n  },\n}\n';
    assert.deepEqual(findDefinitions(exported, 'javascript').map((d) => [d.owner, d.name, d.kind, d.line, d.endLine]), [[undefined, 'warn', 'function', 2, 2], [undefined, 'fixBugsField', 'function', 4, 8], [undefined, 'parse', 'function', 9, 11]]);
  });

  it("a regular expression literal's brackets and quotes are not code, and a class of a thousand lines is whole (tap-parser)", () => {
    // tap-parser's Parser: `/^( {4})*\}\n$/` in one method closed the class 800 lines early, and a regex
    // with `\{` in an object literal above made the methods after it that object's.
    const method = (name: string) => [`  ${name} (line) {`, '    this.count++', '    return line', '  }', ''];
    const text = [
      'const lineTypes = {',
      "  testPoint: /^(not )?ok(?: ([0-9]+))?(\\{?)\\n$/,",
      "  quoted: /[\"'{]/,",
      '}',
      '',
      'class Parser {',
      '  nonTap (data) {',
      '    if (this.bailingOut && /^( {4})*\\}\\n$/.test(data))',
      '      return',
      '    const half = this.count / 2 / (this.total || 1) // a division, not a literal: { is code',
      '  }',
      '',
      ...Array.from({ length: 150 }, (_, k) => method(`step${k}`)).flat(),
      '  plan (start, end) {',
      '    return start / end',
      '  }',
      '}',
      '',
      'function after () {',
      '  return 1',
      '}',
    ].join('\n');
    const defs = findDefinitions(text, 'javascript');
    const at = (name: string) => defs.find((d) => d.name === name)!;
    const lines = text.split('\n');
    assert.equal(lines[at('Parser').endLine - 1], '}', 'the class ends at its own brace');
    assert.ok(at('Parser').endLine - at('Parser').line > 750, 'a class over 750 lines is whole');
    assert.deepEqual([at('nonTap').owner, at('nonTap').endLine], ['Parser', 11]);
    assert.deepEqual([at('plan').owner, at('step149').owner], ['Parser', 'Parser'], "the methods after the literals are the class's");
    assert.equal(at('after').kind, 'function');
    // A line that ends in a literal ends in its flag: no operator that carries the statement on.
    assert.deepEqual(scanLines(['const re = /a{/g', 'const b = /(/'], 'javascript').last, ['g', '/']);
    assert.deepEqual(scanLines(lines, 'javascript').depthEnd.slice(0, 12), Int32Array.from([1, 1, 1, 0, 0, 1, 2, 2, 2, 2, 1, 1]), "the literals' brackets are not counted; the division's line is");
  });

  it('a definition is one passage from its doc comment to its end, short ones joined, a closure kept with its function', () => {
    const text = files.get('src/retry.ts')!;
    const ps = splitPassages('src/retry.ts', text);
    const backoff = lineOf('src/retry.ts', /^export function backoff\(/);
    const doc = lineOf('src/retry.ts', /^ \* Milliseconds to wait before attempt/) - 1;
    const defines = (x: (typeof ps)[number], name: string) => x.symbols?.some((s) => s.name === name);
    const p = ps.find((x) => defines(x, 'backoff'))!;
    assert.deepEqual(p.symbols?.map(({ name, line }) => ({ name, line })), [{ name: 'backoff', line: backoff }], 'with its signature\'s line');
    assert.match(p.symbols![0].doc ?? '', /^Milliseconds to wait before attempt .* and full jitter\.$/, 'and its doc comment');
    assert.equal(p.startLine, doc, 'starts at the doc comment');
    assert.ok(p.endLine >= backoff + 9, 'holds the body');
    assert.ok(p.text.startsWith('/**\n * Milliseconds'));
    const sleep = ps.find((x) => defines(x, 'sleepAbortable'))!;
    assert.ok(sleep.text.includes('const onAbort'), 'the closure stays in its function');
    assert.ok(!ps.some((x) => defines(x, 'onAbort')));
    // Passages tile the file: every line in exactly one, in order.
    const n = text.split('\n').length - 1;
    assert.deepEqual(ps.map((x) => x.startLine), [1, ...ps.slice(0, -1).map((x) => x.endLine + 1)]);
    assert.equal(ps.at(-1)!.endLine, n);
    for (const x of ps) assert.ok(x.endLine - x.startLine + 1 <= 40);
  });

  it('a definition longer than the size is cut into windows from its start; prose stays in overlapping windows', () => {
    const body = Array.from({ length: 90 }, (_, i) => `  total += ${i};`).join('\n');
    const text = `import { x } from './x';\n\nexport function big(a: number): number {\n  let total = a;\n${body}\n  return total;\n}\n`;
    const ps = splitPassages('big.ts', text);
    assert.deepEqual(ps.map((p) => [p.startLine, p.endLine]), [[1, 2], [3, 42], [33, 72], [63, 96]]);
    assert.deepEqual(ps[1].symbols, [{ name: 'big', line: 3, endLine: 96, kind: 'code' }]);
    const md = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    assert.deepEqual(splitPassages('README.md', md).map((p) => [p.startLine, p.endLine]), [[1, 40], [31, 70], [61, 100]]);
  });
});
