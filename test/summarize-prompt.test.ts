import * as assert from 'node:assert/strict';
import { LocalAssistant } from '../src/assistant/local-assistant';
import { projectDoc, workspaceOutline, workspacePlan } from '../src/summarize/outline';
import { definesLine, definitionSymbols, filePlan, notableSymbols, paragraphDone, selectionPlan, WholeSentences, type SymbolInfo } from '../src/summarize/prompt';
import { piecesToIds, renderPieces } from '../src/prompt';
import { summaryPieces } from '../src/prompt/assist';
import { snippetHeader } from '../src/prompt/file';
import { qaWorkspace } from './helpers/qa-workspace';
import { loadTiny } from './helpers/workspace';
import { SupportedLines, passageKeys, spelledNames, streamSupported, supports, unknownNames } from '../src/qa/support';

const FILE = ['import x from "y";', 'export class Cart {', '  private lines = 1;', '  addItem() {', '    return 1;', '  }', '  removeItem() {', '    return 2;', '  }', '}', 'export function total() {', '  return 3;', '}', 'const PI = 3;'].join('\n');
const SYMBOLS: SymbolInfo[] = [
  { name: 'total', kind: 'Function', startLine: 11, endLine: 13 },
  {
    name: 'Cart', kind: 'Class', startLine: 2, endLine: 10,
    children: [
      { name: 'lines', kind: 'Property', startLine: 3, endLine: 3 },
      { name: 'addItem', kind: 'Method', startLine: 4, endLine: 6 },
      { name: 'removeItem', kind: 'Method', startLine: 7, endLine: 9 },
    ],
  },
  { name: 'PI', kind: 'Constant', startLine: 14, endLine: 14 },
];

describe('summarize prompts', () => {
  it('a file summary covers the whole file, then its notable symbols in order (members of classes included)', () => {
    assert.deepEqual(notableSymbols(SYMBOLS).map((s) => s.name), ['Cart', 'Cart.addItem', 'Cart.removeItem', 'total']);
    const parts = filePlan('src/cart.ts', FILE, SYMBOLS);
    assert.deepEqual(parts.map((p) => p.heading), ['## Overview', '### Class `Cart` (lines 2-10)', '### Method `Cart.addItem` (lines 4-6)', '### Method `Cart.removeItem` (lines 7-9)', '### Function `total` (lines 11-13)']);
    assert.equal(parts[0].text, 'Defines `Cart` and `total`.\n', "the overview starts with what the file defines (its own names: methods are their class's)");
    assert.equal(parts[0].model, undefined, "and that is all of it: the model's sentence after it was vague or wrong in every trial");
    const py = '"""Wait generators for retries.\n\nMore.\n"""\n\ndef expo(base=2):\n    yield base\n';
    assert.equal(filePlan('w.py', py, definitionSymbols('w.py', py))[0].text, 'Defines `expo`.\n\nWait generators for retries.\n', "the module's own doc follows");
    const script = filePlan('run.sh', 'echo hi\n', []);
    assert.deepEqual([script[0].text, script[0].model?.prompt], [undefined, [['special', '<|file|>'], ['text', 'run.sh\necho hi\n'], ['special', '<|summary|>']]], 'nothing defined: the model writes the overview, reading the file');
    assert.equal(definesLine(['a']), 'Defines `a`.\n');
    assert.equal(definesLine(['a', 'b', 'b']), 'Defines `a` and `b`.\n', 'a name defined twice is named once');
    assert.equal(definesLine(['a', 'b', 'c'], 2), 'Defines `a`, `b` and 1 more.\n');
    assert.equal(definesLine(['_Size', 'Cache', '_Timer', 'TTLCache'], 3), 'Defines `Cache`, `TTLCache`, `_Size` and 1 more.\n', 'public names first');
    assert.deepEqual([parts[2].text, parts[2].model], ['```typescript\naddItem() {\n  return 1;\n}\n```\n', undefined], "an undocumented method is its own code; the model is asked for no symbol's section");
    assert.deepEqual(filePlan('a.ts', FILE, SYMBOLS, { maxSymbols: 1 }).map((p) => p.heading), ['## Overview', '### Class `Cart` (lines 2-10)', '### Not summarized here']);
    // More symbols than sections: public ones first, each type with its members; a private type's members are private.
    const caches = ['class _DefaultSize:', '    def __getitem__(self, _):', '        return 1', '', 'class Cache:', '    """Mutable mapping to serve as a simple cache."""', '', '    def __init__(self, maxsize):', '        self.__maxsize = maxsize', '', '    def get(self, key, default=None):', '        return default', '', 'class LFUCache(Cache):', '    """Least Frequently Used (LFU) cache implementation."""', '', '    def popitem(self):', '        """Remove and return the `(key, value)` pair least frequently used."""', '        return None', ''].join('\n');
    const sections = (most: number) => filePlan('cachetools/__init__.py', caches, definitionSymbols('cachetools/__init__.py', caches), { maxSymbols: most }).slice(1).map((p) => p.heading.replace(/ \(.*/, ''));
    assert.deepEqual(sections(4), ['### Class `Cache`', '### Method `Cache.get`', '### Class `LFUCache`', '### Method `LFUCache.popitem`', '### Not summarized here']);
    assert.equal(filePlan('cachetools/__init__.py', caches, definitionSymbols('cachetools/__init__.py', caches), { maxSymbols: 4 }).at(-1)?.text, '`_DefaultSize`, `_DefaultSize.__getitem__` and `Cache.__init__` (Summarize Selection on one, or ask about it).\n', 'what was left out is named');
    assert.deepEqual(sections(3), ['### Class `Cache`', '### Method `Cache.get`', '### Class `LFUCache`', '### Not summarized here'], "the file's own names before members");
    assert.deepEqual(sections(6), ['### Class `Cache`', '### Method `Cache.get`', '### Class `LFUCache`', '### Method `LFUCache.popitem`', '### Class `_DefaultSize`', '### Method `_DefaultSize.__getitem__`', '### Not summarized here'], 'room left: the private ones too, after the public ones, each with its members');
    // A module of functions (tabulate.py: two private `_is_file`s first, `tabulate` far down): public ones lead.
    const funcs = ['def _is_file(f):', '    return 1', '', 'def _pad(s):', '    return s', '', 'def tabulate(rows):', '    return rows', '', 'def _more(a):', '    return a', '', 'def simple(sep):', '    return sep', ''].join('\n');
    const funcSections = filePlan('tabulate.py', funcs, definitionSymbols('tabulate.py', funcs), { maxSymbols: 4 }).slice(1).map((p) => p.heading.replace(/ \(.*/, ''));
    assert.deepEqual(funcSections, ['### Function `tabulate`', '### Function `simple`', '### Function `_is_file`', '### Function `_pad`', '### Not summarized here']);
    assert.equal(sections(10).length, 7, 'room for all: every symbol, __init__ included');
    // A class defined in another class's body is a member of it, and one in a function's body is part of it.
    const inner = ['class URL:', '    class RegexMemoizer:', '        def __init__(self):', '            self._memo = {}', '', '    _regex = RegexMemoizer()', '', '    def __call__(self, value):', '        return value', '', 'def factory():', '    class Made:', '        pass', '    return Made', ''].join('\n');
    const innerSymbols = definitionSymbols('validate.py', inner);
    assert.deepEqual(innerSymbols.map((s) => s.name), ['URL', 'factory']);
    assert.deepEqual(innerSymbols[0].children?.map((c) => `${c.kind} ${c.name}`), ['Class RegexMemoizer', 'Method __call__']);
    assert.equal(filePlan('validate.py', inner, innerSymbols)[0].text, 'Defines `URL` and `factory`.\n');
    assert.equal(filePlan('a.ts', FILE, []).length, 1, 'no symbol provider: the whole file only');
    // VS Code's TypeScript provider calls an arrow function in a const, and a type alias, a Variable.
    const ts = 'const isIn = (i: number, r: [number, number]) => {\n  const [a, b] = r;\n  return a <= i && i <= b;\n};\n\nexport type Options = {\n  all: boolean;\n  some: boolean;\n};\nlet table = {\n  a: 1,\n  b: 2,\n};\n';
    const vars: SymbolInfo[] = [{ name: 'isIn', kind: 'Variable', startLine: 1, endLine: 4 }, { name: 'Options', kind: 'Variable', startLine: 6, endLine: 9 }, { name: 'table', kind: 'Variable', startLine: 10, endLine: 13 }];
    assert.deepEqual(filePlan('m.ts', ts, vars).slice(1).map((p) => p.heading), ['### Function `isIn` (lines 1-4)', '### Type `Options` (lines 6-9)', '### Variable `table` (lines 10-13)']);
    // A generic arrow function whose parameters go over several lines (radash's async.ts): a
    // Function summarized by its doc, its locals (children to VS Code) no "Members"; a container
    // names each member once.
    const radash = ['/**', ' * Retries the given function.', ' */', 'export const retry = async <T>(', '  options: { times?: number },', '  func: () => Promise<T>', '): Promise<T> => {', '  const times = options.times ?? 3', '  return func()', '}', '', 'export const defer = async <T>(', '  func: () => Promise<T>', '): Promise<T> => {', '  const rethrow = 1', '  const result = await func()', '  return result', '}', ''].join('\n');
    const locals = (...names: string[]) => names.map((name, i) => ({ name, kind: 'Variable', startLine: 8 + i, endLine: 8 + i }));
    const [, retry, defer] = filePlan('async.ts', radash, [{ name: 'retry', kind: 'Variable', startLine: 4, endLine: 10, children: locals('times') }, { name: 'defer', kind: 'Variable', startLine: 12, endLine: 18, children: locals('rethrow', 'result', 'rethrow') }]);
    assert.deepEqual([retry.heading, retry.text], ['### Function `retry` (lines 4-10)', 'Retries the given function.\n']);
    assert.equal(defer.heading, '### Function `defer` (lines 12-18)');
    assert.ok(defer.text?.startsWith('```typescript\nexport const defer'), `a function's locals are not members: ${defer.text}`);
    const [, table] = filePlan('m.ts', ts, [{ name: 'table', kind: 'Variable', startLine: 10, endLine: 13, children: locals('a', 'b', 'a') }]);
    assert.equal(table.text, 'Members: `a` and `b`.\n');
  });

  it("a documented symbol's summary is its doc comment; an undocumented one's is its own code (its lines, its members, or its first line), the model not asked", async () => {
    const file = ['/**', ' * Sum of the line prices, with the discount applied once.', ' */', 'export function total(lines) {', '  return lines.reduce((s, l) => s + l.price, 0) * discount();', '}', '', 'export function count(lines) {', '  const n = lines.length;', '  return n;', '}'].join('\n');
    // VS Code's symbol starts at the signature (the doc comment above it), or at the comment.
    for (const startLine of [4, 1]) {
      const [, total, count] = filePlan('src/cart.ts', file, [{ name: 'total', kind: 'Function', startLine, endLine: 6 }, { name: 'count', kind: 'Function', startLine: 8, endLine: 11 }]);
      assert.equal(total.text, 'Sum of the line prices, with the discount applied once.\n');
      // The doc is the whole summary (the model's sentences after one were filler or wrong in every trial); without one, its code is.
      assert.ok(total.model === undefined && count.model === undefined);
      assert.equal(count.text, '```typescript\nexport function count(lines) {\n  const n = lines.length;\n  return n;\n}\n```\n');
    }
    // An undocumented one-line symbol is shown as its line (the model's words on one said less, or were dropped).
    const go = ['type byTime []*Entry', '', 'func (s byTime) Len() int      { return len(s) }', 'func (s byTime) Swap(i, j int) {', '\ts[i], s[j] = s[j], s[i]', '}'].join('\n');
    const [, len, swap] = filePlan('cron.go', go, definitionSymbols('cron.go', go).filter((d) => d.kind === 'Method'));
    assert.equal(len.heading, '### Method `byTime.Len` (line 3)');
    assert.deepEqual([len.text, len.model], ['```go\nfunc (s byTime) Len() int      { return len(s) }\n```\n', undefined]);
    assert.deepEqual([swap.text, swap.model], ['```go\nfunc (s byTime) Swap(i, j int) {\n\ts[i], s[j] = s[j], s[i]\n}\n```\n', undefined], 'three lines are short too');
    // A container is its members; a function its code, up to 10 lines; its first line beyond.
    const cls = 'class Size:\n    def get(self, key):\n        return 1\n\n    def put(self, key, value):\n        assert value == 1\n\n    def pop(self, key):\n        return 1\n';
    const [, sizeClass] = filePlan('s.py', cls, definitionSymbols('s.py', cls));
    assert.deepEqual([sizeClass.text, sizeClass.model], ['Members: `get`, `put` and `pop`.\n', undefined], 'an undocumented class is its members');
    const count = '```typescript\nexport function count(lines) {\n  const n = lines.length;\n  return n;\n}\n```';
    assert.equal(filePlan('src/cart.ts', file, [{ name: 'count', kind: 'Function', startLine: 8, endLine: 11 }])[1].text, `${count}\n`);
    const locals = [{ name: 'n', kind: 'Variable', startLine: 9, endLine: 9 }];
    assert.equal(filePlan('src/cart.ts', file, [{ name: 'count', kind: 'Function', startLine: 8, endLine: 11, children: locals }])[1].text, `${count}\n`, "a function's locals are not members");
    const long = ['export function count(lines) {', ...Array.from({ length: 10 }, (_, i) => `  const n${i} = lines.length;`), '  return 0;', '}'].join('\n');
    assert.equal(filePlan('src/long.ts', long, [{ name: 'count', kind: 'Function', startLine: 1, endLine: 13 }])[1].text, '```typescript\nexport function count(lines) {\n```\n', 'past 10 lines, the first line');
    // ... and what it calls and raises, where it calls something (src/code/calls.ts).
    const setitem = ['class Cache:', '    def put(self, key, value):', '        size = self.getsizeof(value)', '        if size > self.maxsize:', "            raise ValueError('too large')", ...Array.from({ length: 8 }, (_, i) => `        self.popitem()  # ${i}`), '        self.data[key] = value', '']
      .join('\n');
    assert.equal(filePlan('c.py', setitem, definitionSymbols('c.py', setitem))[2].text, "```python\ndef put(self, key, value):\n```\nCalls `self.getsizeof` and `self.popitem`; raises `ValueError`.\n");
    const py = 'class A:\n    def pop(self, key):\n        return 1\n';
    assert.equal(filePlan('a.py', py, definitionSymbols('a.py', py))[2].text, '```python\ndef pop(self, key):\n    return 1\n```\n', "a method's lines lose the indentation they share");
    // The gate a summary the model writes (an overview, part of a body) streams through, on a real model's text (the tiny one: random words).
    const tiny = await loadTiny();
    const a = new LocalAssistant({ ...tiny, files: new Map() });
    const part = selectionPlan('src/cart.ts', file.split('\n').slice(8, 10).join('\n'), 9, 10)[0].model!;
    assert.match(part.support, /const n = lines\.length/);
    const gate = new SupportedLines(part.support);
    let shown = '';
    const stopped = await streamSupported((onText, signal) => a.stream({ prompt: part.prompt, maxTokens: 48, useWorkspace: false }, onText, signal), gate, (d) => (shown += d), new AbortController().signal);
    assert.equal(shown, gate.kept);
    for (const line of shown.split('\n')) assert.ok(supports(passageKeys(part.support), line), `shown but unsupported: ${line}`);
    if (stopped === 'unsupported') assert.ok(gate.dropped.length > 0 && !supports(passageKeys(part.support), gate.dropped.split('\n')[0]));
    // A line the text does not support ends the summary; one it does is shown.
    const judge = new SupportedLines(part.support);
    assert.equal(judge.push('Counts the lines.\nThe weather is sunny today in Paris.\n'), 'Counts the lines.\n');
    assert.ok(judge.stopped);
  });

  it("module.exports = { ... } (VS Code's <unknown> variable) is summarized by its functions; a summary ends after its first paragraph", async () => {
    const symbols: SymbolInfo[] = [
      { name: 'isEmail', kind: 'Function', startLine: 1, endLine: 1 },
      { name: '<unknown>', kind: 'Variable', startLine: 3, endLine: 40, children: [{ name: 'warn', kind: 'Method', startLine: 4, endLine: 4 }, { name: 'fixBugsField', kind: 'Method', startLine: 6, endLine: 30 }, { name: 'limit', kind: 'Property', startLine: 31, endLine: 31 }] },
    ];
    assert.deepEqual(notableSymbols(symbols).map((s) => s.name), ['isEmail', 'warn', 'fixBugsField']);
    const inner: SymbolInfo = { name: 'outer', kind: 'Function', startLine: 1, endLine: 9, children: [{ name: 'helper', kind: 'Function', startLine: 2, endLine: 4 }] };
    assert.deepEqual(notableSymbols([inner]).map((s) => s.name), ['outer'], "a function's inner functions are its own");
    // A const holding an arrow function is a Variable to VS Code, its callbacks Functions named after their call.
    const held: SymbolInfo = { name: 'deepMask', kind: 'Variable', startLine: 10, endLine: 21, children: [{ name: 'object[key].map() callback', kind: 'Function', startLine: 15, endLine: 15 }, { name: '<function>', kind: 'Function', startLine: 16, endLine: 18 }] };
    assert.deepEqual(notableSymbols([held]).map((s) => s.name), ['deepMask'], 'anonymous callbacks are not sections');
    assert.ok(!paragraphDone('Fixes the bugs field.\n') && !paragraphDone('\n\nFixes') && paragraphDone('Fixes the bugs field.\n\n'));
    // On a real model's text (the tiny one): its own text supports it, so only `enough` ends it.
    const tiny = await loadTiny();
    const a = new LocalAssistant({ ...tiny, files: new Map() });
    // (A prompt after which the tiny model's greedy text has a line end before it loops.)
    const request = { prompt: summaryPieces(snippetHeader('a.ts', 1, 3), 'function f() {\n  return 1;\n}\n'), maxTokens: 96, useWorkspace: false };
    const whole = (await a.stream(request, () => {}, new AbortController().signal)).text;
    const firstLine = whole.slice(0, whole.indexOf('\n') + 1);
    assert.ok(firstLine && firstLine.length < whole.length, `a line end inside: ${JSON.stringify(whole)}`);
    let shown = '';
    const stopped = await streamSupported((onText, signal) => a.stream(request, onText, signal), new SupportedLines(whole), (d) => (shown += d), new AbortController().signal, (kept) => kept.includes('\n'));
    assert.equal(stopped, 'end');
    assert.equal(shown, firstLine);
  });

  it('a line that puts in a code span a name the text never spells is not supported (case counts)', () => {
    const code = 'export type AllowMessage = {\n    ruleId: string;\n};\nconst deepMask = (object, handler) => object;\n';
    assert.deepEqual(unknownNames('The `allowMessage` option is a function.', spelledNames(code), code), ['allowMessage']);
    assert.deepEqual(unknownNames('`deepMask()` masks `object` and returns `null`; `AllowMessage.ruleId` too.', spelledNames(code), code), []);
    assert.deepEqual(unknownNames('It calls `deepMask.run()` on `x + 1`.', spelledNames(code), code), ['deepMask.run'], 'an expression is no name');
    assert.deepEqual(unknownNames('See `filter-mask-secrets.ts` and `version.py`.', spelledNames(code), code), [], 'a file name is no name of the code');
    // A dotted name on a module or variable is spelled so; on a type its parts suffice (Go's receivers).
    const go = 'import "fmt"\n\nfunc (enc *Encoder) EncodeKeyval(key, value interface{}) error {\n\tfmt.Fprint(enc.w, key)\n\tenc.needSep = true\n}\n';
    assert.deepEqual(unknownNames('The same as `fmt.EncodeKeyval`, but `Encoder.EncodeKeyval` sets `enc.needSep` and calls `fmt.Fprint`.', spelledNames(go), go), ['fmt.EncodeKeyval'], 'a logfmt trial');
    assert.deepEqual(unknownNames('It sets `self.count` and `this.count`.', spelledNames('count = 1'), 'count = 1'), [], "self and this are every class's");
    const gate = new SupportedLines(code);
    assert.equal(gate.push('The `AllowMessage` type holds a rule id string.\nThe `allowMessage` type holds a rule id string.\n'), 'The `AllowMessage` type holds a rule id string.\n');
    assert.ok(gate.stopped);
    // A Q&A answer may name what another cited passage defines.
    const qa = new SupportedLines('const deepMask = (object, handler) => object;', ['function cleanup(messages) {}']);
    assert.equal(qa.push('The deepMask object handler is used by `cleanup` on messages.\n'), 'The deepMask object handler is used by `cleanup` on messages.\n');
  });

  it('shows whole sentences only: one the model left unfinished at a line end is held back, then dropped', () => {
    let shown = '';
    const s = new WholeSentences((t) => (shown += t));
    // A user trial's summary (secretlint's filter-ignored-process.ts), line by line as the support gate passes them.
    s.push('The `filterIgnoredMessagesOptions` type is an option\n');
    assert.equal(shown, '', 'nothing finished yet');
    s.push('of `filterIgnoredMessages`. It lists the messages to\n');
    assert.equal(shown, 'The `filterIgnoredMessagesOptions` type is an option\nof `filterIgnoredMessages`.');
    s.push('drop (see `isContainedRange`). Returns true if the\n');
    assert.equal(shown, 'The `filterIgnoredMessagesOptions` type is an option\nof `filterIgnoredMessages`. It lists the messages to\ndrop (see `isContainedRange`).');
    assert.equal(s.unfinished, ' Returns true if the\n', 'the unfinished sentence is what is left');
    assert.equal(s.shown, shown);
    // Markdown and quotes after the stop belong to the sentence; a version number or a path does not end one.
    shown = '';
    const t = new WholeSentences((x) => (shown += x));
    t.push('Parses "1.2.3" from `setup.py` and returns it (or _None_.)\nThen');
    assert.equal(shown, 'Parses "1.2.3" from `setup.py` and returns it (or _None_.)');
    assert.equal(t.unfinished, '\nThen');
    // Prose ends where code starts (a toml trial: a label, then a doc's example whose "..." ended a "sentence").
    shown = '';
    const u = new WholeSentences((x) => (shown += x));
    for (const line of ['Writes the dict. Toml:\n', '    >>> import toml\n', '    >>> output = {\n', "    ... 'c': 2400\n", '    ...\n', 'More prose.\n']) u.push(line);
    assert.equal(shown, 'Writes the dict.');
    assert.ok(paragraphDone('Toml:\n    >>> import toml\n') && paragraphDone('See:\n```python\n') && !paragraphDone('Fixes the bugs... field.\n'));
    const v = new WholeSentences((x) => (shown += x));
    v.push('Returns a dict or\n... a list');
    assert.equal(v.shown, '', 'a line-opening ellipsis ends no sentence');
    // Doc-comment markup ends prose too (a mnemonist trial's overview: "@param  {any} key   - Key.").
    for (const tag of ['@param  {any} key   - Key.', ' * @returns {number} The size.', ':param key: The key.']) {
      const w = new WholeSentences(() => undefined);
      w.push(`Sets the value.\n${tag}\n`);
      assert.equal(w.shown, 'Sets the value.', tag);
    }
    assert.ok(paragraphDone('Sets.\n@param x\n') && !paragraphDone('Mails user@example.com today.\n'));
  });

  it('without a symbol provider (Python, Go in a bare editor) a file is summarized by the definitions found in it', () => {
    const py = 'class Circle:\n    """A circle."""\n\n    def area(self):\n        return 3.14 * self.r * self.r\n\n\ndef unit():\n    return Circle()\n';
    const symbols = definitionSymbols('geo/shapes.py', py);
    assert.deepEqual(symbols, [
      { name: 'Circle', kind: 'Class', startLine: 1, endLine: 5, children: [{ name: 'area', kind: 'Method', startLine: 4, endLine: 5 }] },
      { name: 'unit', kind: 'Function', startLine: 8, endLine: 9 },
    ]);
    const headings = filePlan('geo/shapes.py', py, symbols).map((p) => p.heading);
    assert.deepEqual(headings, ['## Overview', '### Class `Circle` (lines 1-5)', '### Method `Circle.area` (lines 4-5)', '### Function `unit` (lines 8-9)']);
    const go = 'package geo\n\ntype Circle struct {\n\tR float64\n}\n\nfunc (c *Circle) Area() float64 {\n\treturn 3.14 * c.R * c.R\n}\n';
    const goSymbols = definitionSymbols('geo/circle.go', go);
    assert.deepEqual(goSymbols.map((d) => [d.kind, d.name]), [['Struct', 'Circle'], ['Method', 'Circle.Area']]);
    assert.equal(filePlan('geo/circle.go', go, goSymbols)[0].text, 'Defines `Circle`.\n', "a receiver's method is its type's, as a class's is (a logfmt trial)");
    // Every named Go type is a definition, named as its line says (a cron trial: `Job`, `Schedule` and `byTime` were none, and byTime's methods were listed as the file's own).
    const cron = 'type Job interface {\n\tRun()\n}\n\ntype byTime []*Entry\n\nfunc (s byTime) Len() int { return len(s) }\n';
    const cronSymbols = definitionSymbols('cron.go', cron);
    assert.deepEqual(cronSymbols.map((d) => [d.kind, d.name]), [['Interface', 'Job'], ['Type', 'byTime'], ['Method', 'byTime.Len']]);
    assert.equal(filePlan('cron.go', cron, cronSymbols)[0].text, 'Defines `Job` and `byTime`.\n');
    // A Go struct's fields (embedded types, several on a line, tags, comments) are its members (go-cache's `Item`: the model wrote "Item is a string representation of the item.").
    const cache = 'type Item struct {\n\tObject     interface{}\n\tExpiration int64 // nanoseconds\n}\n\ntype Cache struct {\n\t*cache\n\tsync.Mutex\n\t// a comment\n\tx, y int `json:"x"`\n\tonEvicted func(string,\n\t\tinterface{})\n}\n';
    const cacheSymbols = definitionSymbols('cache.go', cache);
    assert.deepEqual(cacheSymbols.map((d) => [d.name, d.children?.map((c) => c.name)]), [['Item', ['Object', 'Expiration']], ['Cache', ['cache', 'Mutex', 'x', 'y', 'onEvicted']]]);
    assert.deepEqual(filePlan('cache.go', cache, cacheSymbols).slice(1).map((p) => [p.text, p.model]), [['Members: `Object` and `Expiration`.\n', undefined], ['Members: `cache`, `Mutex`, `x`, `y` and `onEvicted`.\n', undefined]]);
    // TypeScript's top-level interfaces, enums and type aliases are types too (immer's types/ folder named only `never_used`).
    const types = 'export interface Patch {\n  op: string\n}\nexport type Draft<T> = T\ntype Objectish = object\nexport const enum ArchType {\n  Object,\n}\nexport function never_used() {}\nconst x = { type: 1 }\n';
    assert.deepEqual(definitionSymbols('types.ts', types).map((d) => [d.kind, d.name]), [['Interface', 'Patch'], ['Type', 'Draft'], ['Type', 'Objectish'], ['Enum', 'ArchType'], ['Function', 'never_used']]);
    assert.equal(filePlan('geo/shapes.py', py, symbols)[0].text, 'Defines `Circle` and `unit`.\n');
    // A function's inner functions are its own, not the file's.
    const deco = 'def cached(cache):\n    def decorator(func):\n        def wrapper(*args):\n            return func(*args)\n        return wrapper\n    return decorator\n\n\ndef other():\n    pass\n';
    assert.deepEqual(definitionSymbols('c.py', deco).map((d) => d.name), ['cached', 'other']);
    assert.deepEqual(definitionSymbols('README.md', '# x\n'), []);
  });

  it('a selection summary names its lines; long text is cut at a line end; special-token text stays text', async () => {
    const [part] = selectionPlan('a.ts', 'one\n<|endoftext|>two\nthree', 5, 7, 24);
    assert.equal(part.heading, '## a.ts:5-7');
    assert.deepEqual(part.model?.prompt, [['special', '<|file|>'], ['text', 'a.ts:5-7\none\n<|endoftext|>two\n'], ['special', '<|summary|>']]);
    const { tokenizer } = await loadTiny();
    const ids = piecesToIds(tokenizer, part.model.prompt, { lower: true });
    assert.deepEqual(ids.filter((id) => id === tokenizer.specialId('<|endoftext|>')), [], 'the text\'s end-of-text is not the token');
  });

  it('a selection of whole definitions is summarized as a file is; part of a body by the model', () => {
    const sel = ['/**', ' * Sum of the line prices.', ' */', 'export function total(lines) {', '  return lines.reduce((s, l) => s + l.price, 0);', '}', '', 'class Cart {', '  items = [];', '  add(item) {', '    this.items.push(item);', '  }', '}'].join('\n');
    const parts = selectionPlan('src/cart.js', sel, 40, 52);
    assert.deepEqual(parts.map((p) => p.heading), ['## src/cart.js:40-52', '### Function `total` (lines 43-45)', '### Class `Cart` (lines 47-52)', '### Method `Cart.add` (lines 49-51)'], 'headings in the file\'s lines');
    assert.deepEqual([parts[0].text, parts[0].model], ['Defines `total` and `Cart`.\n', undefined]);
    assert.equal(parts[1].text, 'Sum of the line prices.\n');
    assert.equal(parts[3].text, '```javascript\nadd(item) {\n  this.items.push(item);\n}\n```\n');
    // A part of a body that holds an inner function is that body's code: the model's paragraph.
    const body = ['  const n = lines.length;', '  function half(x) {', '    return x / 2;', '  }', '  return half(n);'].join('\n');
    const [only, ...none] = selectionPlan('src/cart.js', body, 10, 14);
    assert.deepEqual([only.heading, only.text, only.model?.support, none.length], ['## src/cart.js:10-14', undefined, body, 0]);
  });

  it('a workspace summary covers folders and their key files', () => {
    const files = qaWorkspace();
    const outline = workspaceOutline(files);
    const folders = outline.map((f) => f.folder);
    assert.equal(folders[0], '.', 'the root first');
    assert.deepEqual([...folders].sort(), ['.', 'src', 'src/auth', 'src/db', 'src/email', 'src/http', 'src/pricing', 'src/search']);
    const root = outline.find((f) => f.folder === '.')!;
    assert.deepEqual(root.keyFiles, ['README.md']);
    const pricing = outline.find((f) => f.folder === 'src/pricing')!;
    assert.equal(pricing.keyFiles[0], 'src/pricing/discounts.ts', 'the file other files import ranks first');
    const deep = workspaceOutline(new Map([['a/b/c/d.ts', 'x'], ['a/b/e.ts', 'y']]), { depth: 2 });
    assert.deepEqual(deep.map((f) => [f.folder, f.files.length]), [['a/b', 2]]);
    const parts = workspacePlan(files);
    assert.equal(parts.length, outline.length + 1);
    const pricingPart = parts.find((p) => p.heading.startsWith('### src/pricing/'))!;
    // A folder of code is what it defines, its key file's names first; the model adds nothing.
    assert.match(pricingPart.text ?? '', /^Defines `[^`]+`(, `[^`]+`)* and `[^`]+`\.\n$/);
    assert.equal(pricingPart.model, undefined);
    const rootPart = parts.find((p) => p.heading.startsWith('### ./'))!;
    assert.equal(rootPart.heading, '### ./ (1 file; key file: `README.md`)');
    assert.equal(rootPart.text, undefined, 'no code at the root: the model writes it');
    assert.ok(renderPieces(rootPart.model!.prompt).startsWith('Folder ./ holds 1 files: README.md\n<|file|>README.md\n# Bookshop'), 'from the folder\'s files and key files');
    assert.deepEqual(rootPart.model!.prompt.at(-1), ['special', '<|summary|>']);
    assert.ok(rootPart.model!.fallback?.startsWith('Holds `README.md`'), "what stands in where none of the model's text is shown");
    for (const p of parts.slice(1)) assert.ok(!p.model || renderPieces(p.model.prompt).length < 12_000);
    // The project's own first paragraph is the overview (the README's here), the model writes none.
    assert.equal(parts[0].text, '_From `README.md`:_ A small online bookshop backend: catalog search, cart, checkout, shipping and accounts. Run `npm start`; configuration comes from environment variables (see src/config.ts).\n');
    assert.equal(parts[0].model, undefined);
  });

  it("a Go folder's section: exported names first, tests neither key files nor listed (a retryablehttp trial)", () => {
    const files = new Map([
      ['client.go', 'package retryablehttp\n\ntype hookLogger struct{}\n\n// Client is used to make HTTP requests.\ntype Client struct {\n\tRetryMax int\n}\n\nfunc (c *Client) Do() error {\n\treturn nil\n}\n\nfunc Get() error {\n\treturn nil\n}\n\nfunc NewClient() *Client {\n\treturn &Client{}\n}\n'],
      ['client_test.go', 'package retryablehttp\n\nfunc TestClient_Do(t *testing.T) {\n' + '\tNewClient().Do()\n'.repeat(8) + '}\n' + '// filler\n'.repeat(400)],
      ['go.mod', 'module github.com/hashicorp/go-retryablehttp\n'],
    ]);
    const [root] = workspaceOutline(files);
    assert.deepEqual(root.keyFiles, ['go.mod', 'client.go', 'client_test.go'], 'the longer test file after the code');
    const [, part] = workspacePlan(files);
    assert.equal(part.text, 'Defines `Client`, `NewClient`, `Get` and `hookLogger`.\n', 'types first, then the functions most files use (the test calls NewClient); exported before private');
  });

  it("a folder's error classes come after its other names", () => {
    const py = 'class ParseError(ValueError):\n    pass\n\n\nclass Loader:\n    pass\n\n\ndef load(path):\n    return Loader()\n';
    const [, part] = workspacePlan(new Map([['pkg/loader.py', py]]));
    assert.equal(part.text, 'Defines `Loader`, `load` and `ParseError`.\n');
  });

  it("a project's own first paragraph: the README's prose, a Go package doc right above its clause, a Python package's docstring", () => {
    const readme = '# Tool\n\n[![build](x.svg)](y)\n<p align="center">logo</p>\n\nTool turns logs into\nmetrics.\n\nMore.\n';
    assert.deepEqual(projectDoc(new Map([['README.md', readme], ['a.go', '// Package a does A.\npackage a\n']])), { path: 'README.md', text: 'Tool turns logs into metrics.' });
    const html = '# wretch\n\nA tiny wrapper built around <a href="https://developer.mozilla.org/fetch">fetch</a> with an <b>intuitive</b> syntax.\n';
    assert.equal(projectDoc(new Map([['README.md', html]]))?.text, 'A tiny wrapper built around fetch with an intuitive syntax.', 'inline HTML keeps its text');
    const license = '// Copyright 2020 The Authors.\n// Licensed under Apache-2.0.\n\npackage cron\n';
    const doc = '/*\nPackage cron implements a cron spec parser and job runner.\n\nInstallation\n*/\npackage cron\n';
    assert.deepEqual(projectDoc(new Map([['chain.go', license], ['doc.go', doc]])), { path: 'doc.go', text: 'Package cron implements a cron spec parser and job runner.' });
    assert.equal(projectDoc(new Map([['chain.go', license]])), undefined, 'a license header is no package doc');
    assert.deepEqual(projectDoc(new Map([['cachetools/__init__.py', '"""Extensible memoizing collections and decorators."""\n\nimport collections\n']])), { path: 'cachetools/__init__.py', text: 'Extensible memoizing collections and decorators.' });
    // None: the model writes the overview, and what stands in if none of it is shown is the count.
    const [overview] = workspacePlan(new Map([['src/a.ts', 'export const a = 1;\n'], ['b.ts', 'x']]));
    assert.deepEqual([overview.text, overview.model?.fallback], [undefined, '2 files in 2 folders.']);
    assert.ok(renderPieces(overview.model!.prompt).startsWith('<|file|>workspace folders\n'), 'the model reads the folders');
  });

  it('summary prompts run on the tiny model through the Assistant (random weights: mechanics)', async () => {
    const tiny = await loadTiny();
    const a = new LocalAssistant({ ...tiny, files: new Map() });
    const [part] = selectionPlan('src/cart.ts', FILE.split('\n').slice(3, 5).join('\n'), 4, 5);
    let streamed = '';
    const r = await a.stream({ prompt: part.model!.prompt, maxTokens: 24, useWorkspace: false }, (d) => (streamed += d), new AbortController().signal);
    assert.equal(streamed, r.text);
    assert.ok(['end', 'max', 'loop'].includes(r.stopped));
  });
});
