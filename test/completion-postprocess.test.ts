import * as assert from 'node:assert/strict';
import { chooseMode, isTrivial, postprocess, repeatsItself, repeatsLineAbove, repeatsNextLine } from '../src/completion/postprocess';

describe('completion postprocess', () => {
  const pp = (prefix: string, completion: string, suffix = '', mode?: 'single' | 'multi') => postprocess({ prefix, suffix, completion, mode });

  it('chooses multi-line after an opener at the end of a line or in an empty body, else single', () => {
    assert.equal(chooseMode('function f() {', '\n}'), 'multi');
    assert.equal(chooseMode('def f(x):', '\n'), 'multi');
    assert.equal(chooseMode('function f() {\n  ', '\n}\n'), 'multi');
    assert.equal(chooseMode('const x = ', ';\n'), 'single');
    assert.equal(chooseMode('foo(', 'bar)'), 'single');
    assert.equal(chooseMode('// a comment {', ''), 'single');
    assert.equal(chooseMode('  return a', '\n}'), 'single');
  });

  it('single-line keeps the first line and stops where the rest of the line begins', () => {
    assert.equal(pp('const x = ', '42;\nconst y = 1;', ';', 'single'), '42');
    assert.equal(pp('call(', 'a, b)', ')', 'single'), 'a, b');
    assert.equal(pp('if (ok', ') {\n', ') {', 'single'), undefined);
  });

  it('drops lines that repeat what follows the cursor', () => {
    const suffix = '\n  return total;\n}\n';
    assert.equal(pp('function sum(xs) {\n  let total = 0;', '\n  for (const x of xs) total += x;\n  return total;\n}', suffix, 'multi'), '\n  for (const x of xs) total += x;');
  });

  it('drops a suggestion that makes the cursor\'s line the file\'s next line again (Enter above it)', () => {
    const prefix = "  debug('caret return', ret)\n  ";
    assert.equal(pp(prefix, 'return ret', '\n  return ret\n}\n', 'single'), undefined);
    assert.equal(pp(prefix, 'return ret', '\n\n  return ret\n}\n', 'single'), undefined, 'blank lines between');
    assert.equal(pp(prefix, 'return ret', '\n    return ret\n}\n', 'single'), 'return ret', 'indented otherwise: another line');
    assert.equal(pp(prefix, 'return next', '\n  return ret\n}\n', 'single'), 'return next');
    assert.equal(repeatsNextLine('  ', 'return ret', ')\n  return ret'), false, 'text after the cursor on its line');
  });

  it('drops a suggestion that copies a long line a few lines below (a user trial on cenkalti/backoff)', () => {
    const prefix = '\telapsed := b.GetElapsedTime()\n\tnext := getRandomValueFromInterval(b.RandomizationFactor, rand.Float64(), b.currentInterval)\n\t';
    const suffix = '\n\tb.incrementCurrentInterval()\n\tif b.MaxElapsedTime != 0 && elapsed+next > b.MaxElapsedTime {\n\t\treturn b.Stop\n\t}\n';
    assert.equal(pp(prefix, 'if b.MaxElapsedTime != 0 && elapsed+next > b.MaxElapsedTime {', suffix, 'single'), undefined);
    assert.equal(pp(prefix, 'b.incrementCurrentInterval()', suffix, 'single'), undefined, 'the next line');
    assert.equal(pp(prefix, 'return b.Stop', suffix, 'single'), 'return b.Stop', 'a short line below: code repeats those');
    const far = '\n\ta()\n\tb()\n\tc()\n\tif b.MaxElapsedTime != 0 && elapsed+next > b.MaxElapsedTime {\n';
    assert.equal(pp(prefix, 'if b.MaxElapsedTime != 0 && elapsed+next > b.MaxElapsedTime {', far, 'single'), 'if b.MaxElapsedTime != 0 && elapsed+next > b.MaxElapsedTime {', 'too far below to say');
  });

  it('drops a suggestion that declares again what the next statement declares (a user trial on karlseguin/ccache)', () => {
    const prefix = 'func (c *Cache) Replace(key string, value interface{}) bool {\n\t';
    const suffix = '\n\titem := c.bucket(key).get(key)\n\tif item == nil {\n';
    assert.equal(pp(prefix, 'item := c.get(key)', suffix, 'single'), undefined, 'Go: no new variable on the left of :=');
    assert.equal(pp(prefix, 'item, err := c.get(key)', suffix, 'single'), 'item, err := c.get(key)', 'another set of names');
    assert.equal(pp(prefix, 'key = strings.TrimSpace(key)', suffix, 'single'), 'key = strings.TrimSpace(key)');
    assert.equal(pp('function f(rows) {\n  ', 'const total = 0;', '\n  const total = rows.length;\n', 'single'), undefined, 'JavaScript: declared twice');
    assert.equal(pp('fn f(s: &str) {\n    ', 'let s = s.trim();', '\n    let s = s.to_lowercase();\n', 'single'), 'let s = s.trim();', 'shadowing that reads the first value');
    assert.equal(pp('function f(rows) {\n  ', 'const total = 0;', '\n    const total = rows.length;\n', 'single'), 'const total = 0;', 'another block');
  });

  it('drops the next line\'s call with its last arguments left out (a user trial on cachetools)', () => {
    const prefix = '    def __update(self, key):\n        try:\n            ';
    const suffix = '\n            self.__order.move_to_end(key, last=False)\n        except KeyError:\n';
    assert.equal(pp(prefix, 'self.__order.move_to_end(key)', suffix, 'single'), undefined);
    assert.equal(pp(prefix, 'self.__order.move_to_end(other)', suffix, 'single'), 'self.__order.move_to_end(other)', 'another argument');
    assert.equal(pp(prefix, 'self.__order.pop(key)', suffix, 'single'), 'self.__order.pop(key)', 'another call');
    assert.equal(pp(prefix, 'self.__order.move_to_end(key)', '\n                self.__order.move_to_end(key, last=False)\n', 'single'), 'self.__order.move_to_end(key)', 'indented otherwise: another block');
    const js = '  ';
    assert.equal(pp(js, 'assert.equal(f(a, b), 1);', '\n  assert.equal(f(a, b), 1, "why");\n', 'single'), undefined, 'a nested call stays one argument');
    assert.equal(pp(js, 'assert.equal(f(a), 1);', '\n  assert.equal(f(a, b), 1, "why");\n', 'single'), 'assert.equal(f(a), 1);', 'the first argument differs');
    assert.equal(repeatsNextLine(js, 'log("a, b")', '\n  log("a, b", c)\n'), true, 'a comma inside a string is no argument\'s end');
  });

  it('drops a Go return of a call to a function that returns nothing (a user trial on ccache, H200)', () => {
    const cache = 'func (c *Cache) restart() {\n\tc.control <- restart{}\n}\n\nfunc (c *Cache) Has(key string) bool {\n\t';
    const go = (prefix: string, completion: string, suffix = '\n}\n') => postprocess({ prefix, suffix, completion, mode: 'single', language: 'go' });
    assert.equal(go(cache, 'return c.restart()'), undefined);
    assert.equal(go(cache.replace('restart() {', 'restart() bool {'), 'return c.restart()'), 'return c.restart()', 'a function with a result');
    assert.equal(go(cache, 'return c.has(key)'), 'return c.has(key)', 'a name the text does not define');
    assert.equal(go('func (c *Cache) Has(key string) bool {\n\t', 'return c.restart()', '\n}\n\nfunc (c *Cache) restart() {\n}\n'), undefined, 'defined below the cursor');
    const fetch = 'func (c *Cache) fetch(key string, f func() (interface{}, error)) {\n}\n\nfunc (c *Cache) Get(key string) error {\n\t';
    assert.equal(go(fetch, 'return c.fetch(key, nil)'), undefined, 'a parameter of func type has its own parentheses');
    const both = 'func (c *Cache) restart() {\n}\n\nfunc (c *LayeredCache) restart() error {\n}\n\nfunc (c *Cache) Has(key string) bool {\n\t';
    assert.equal(go(both, 'return c.restart()'), 'return c.restart()', 'one of that name returns a value');
    assert.equal(postprocess({ prefix: cache, suffix: '\n}\n', completion: 'return c.restart()', mode: 'single', language: 'typescript' }), 'return c.restart()', 'only Go');
  });

  it('drops a function body\'s first line that calls the function with its own parameters (a user trial on semver, Rust)', () => {
    const rust = 'fn matches_impl(cmp: &Comparator, ver: &Version) -> bool {\n    ';
    const suffix = '\n}\n';
    const rs = (completion: string) => postprocess({ prefix: rust, suffix, completion, mode: 'single', language: 'rust' });
    assert.equal(rs('matches_impl(cmp, ver) && (ver.pre.is_empty() || pre_is_compatible(cmp, ver))'), undefined);
    assert.equal(rs('matches_exact(cmp, ver)'), 'matches_exact(cmp, ver)', 'another function');
    assert.equal(repeatsLineAbove('\t', 'return c.Get(key) != nil', 'func (c *Cache) Get(key string) *Item {\n', 'go'), true, 'Go: through the receiver');
    assert.equal(repeatsLineAbove('\t', 'return other.Get(key)', 'func (c *Cache) Get(key string) *Item {\n', 'go'), false, 'on another value');
    assert.equal(repeatsLineAbove('\t', 'return Get(url)', 'func (c *Client) Get(url string) (*Response, error) {\n', 'go'), false, 'Go: a bare name in a method is the package\'s function');
    const cls = 'class Version:\n    def parse(self, text: str) -> "Version":\n';
    assert.equal(repeatsLineAbove('        ', 'return self.parse(text)', cls, 'python'), true, 'Python: self is the receiver');
    assert.equal(repeatsLineAbove('        ', 'return parse(text)', cls, 'python'), false, 'Python: a bare name in a method is the module\'s function');
    assert.equal(repeatsLineAbove('    ', 'return dumps(obj)', 'def dumps(obj):\n', 'python'), true, 'Python: a function calling itself');
    assert.equal(repeatsLineAbove('    ', 'return this.hash(key) + 1;', 'class H {\n  public int hash(String key) {\n', 'java'), true, 'Java: the type before the name');
    assert.equal(repeatsLineAbove('    ', 'return n <= 1 ? 1 : n * factorial(n - 1);', 'function factorial(n) {\n', 'javascript'), false, 'recursion on other values');
    assert.equal(repeatsLineAbove('    ', 'return parse(text)', 'function parse(text) {\n  const x = 1;\n', 'javascript'), false, 'not the body\'s first line');
    assert.equal(repeatsLineAbove('    ', 'x = range(n)', 'for i in range(n):\n', 'python'), false, 'a loop, not a function');
    assert.equal(repeatsLineAbove('    ', 'return parse(text)', 'function parse(text) {\n'), false, 'no language: no definitions to read');
  });

  it('drops the last statement of the block that just closed above, again (a user trial on opossum)', () => {
    const get = '  get (key) {\n    const cached = this.cache.get(key);\n    if (cached) {\n      if (cached.expiresAt > Date.now()) {\n        return cached.value;\n      }\n';
    assert.equal(repeatsLineAbove('      ', 'return cached.value;', get, 'javascript'), true);
    assert.equal(repeatsLineAbove('      ', 'this.cache.delete(key);', get, 'javascript'), false, 'another statement');
    assert.equal(repeatsLineAbove('    ', 'return cached.value;', get + '    }\n', 'javascript'), true, 'two blocks closed');
    assert.equal(repeatsLineAbove('        ', 'return cached.value;', get, 'javascript'), false, 'as deep as the closed block\'s line: another block');
    assert.equal(repeatsLineAbove('      ', 'return cached.value;', get.replace('return cached.value;', 'cached.hits++;'), 'javascript'), false, 'the block ended otherwise');
    assert.equal(repeatsLineAbove('\t', 'return', 'for _, x := range xs {\n\tif x {\n\t\treturn\n\t}\n}\n', 'go'), false, 'a lone word repeats in code');
  });

  it('drops a suggestion that copies the line above, or a declaration a few lines above (a user trial on textlint)', () => {
    const prefix = '    let formatter: FormatterFunction;\n    let formatterPath;\n    ';
    assert.equal(pp(prefix, 'let formatter: FormatterFunction;', '\n    if (ok) {\n', 'single'), undefined, 'declared again two lines below');
    assert.equal(pp(prefix, 'let formatterPath;', '\n', 'single'), undefined, 'the line right above');
    assert.equal(pp(prefix, 'if (fs.existsSync(formatterName)) {', '\n', 'single'), 'if (fs.existsSync(formatterName)) {');
    const above = 'x = f(a)\ny = g(x)\nself.pos += 1\n';
    assert.ok(repeatsLineAbove('  ', 'self.pos += 1', above));
    assert.ok(!repeatsLineAbove('', 'x = f(a)', above), 'not a declaration, not right above: code repeats statements');
    assert.ok(repeatsLineAbove('', 'const x = 1', 'const x = 1\nfoo()\nbar()\n'), 'a declaration again');
    assert.ok(!repeatsLineAbove('', 'const x = 1', 'const x = 1\n' + 'f()\n'.repeat(8)), 'too far above to say');
    // A declaration counts as a copy only in the cursor's own block (a tinydb trial).
    const ops = 'def delete(field):\n    def transform(doc):\n        del doc[field]\n\n    return transform\n\n\ndef add(field, n):\n    """\n    Add n.\n    """\n';
    assert.ok(!repeatsLineAbove('    ', 'def transform(doc):', ops), 'the same nested name under another function declares another');
    assert.ok(repeatsLineAbove('    ', 'def transform(doc):', 'def add(field, n):\n    def transform(doc):\n        pass\n'), 'twice in one function');
    assert.ok(repeatsLineAbove('\t', 'var err error', 'func f() {\n\tvar err error\n\tif x {\n\t\tg()\n\t}\n'), 'a nested block between, tabs');
    const hash = 'def hash_key(key):\n    return b64encode(sha224(key.encode() if isinstance(key, str) else key).digest()).decode()\n';
    assert.ok(repeatsLineAbove('    ', 'return b64encode(sha224(key.encode() if isinstance(key, str) else key).digest()', hash), 'a long start of the line above (a yq trial)');
    assert.ok(!repeatsLineAbove('    ', 'return b64', hash) && !repeatsLineAbove('', 'self.tokens.append(', 'self.tokens.append(KeyToken(**marks))\n'), 'a short start is not');
    for (const closer of ['}', '});', 'end', 'fi', 'return;']) assert.ok(!repeatsLineAbove('  ', closer, `  ${closer}\n`), `${closer} under ${closer}`);
  });

  it("after a block's opening brace at the end of the line, shows only code that starts on the next line", () => {
    const prefix = 'function f(object) {\n  for (const key of Object.keys(object)) {';
    assert.equal(pp(prefix, '{[key]: value}} = object[key];', '\n}\n'), undefined, 'an H200 trial, after Tab');
    assert.equal(pp(prefix, '\n    visit(object[key]);', '\n}\n'), '\n    visit(object[key]);');
    assert.equal(pp('const o = {', ' a: 1 };', '\n'), ' a: 1 };', 'an object literal may go on');
    assert.equal(pp('  } else {', ' return 1; }', '\n'), undefined);
  });

  it('a suggestion that glues letters onto a literal at the cursor makes no name the file lacks', () => {
    const prefix = 'func (enc *Encoder) EncodeKeyval(key, value interface{}) error {\n\tenc.needSep = true';
    assert.equal(pp(prefix, 'n(enc.scratch.Len())', '\n\treturn nil\n}\n'), undefined, 'an H200 trial, after Tab: truen(...)');
    assert.equal(pp('type T = { a: null', 'able: boolean }', '\n// nullable fields\n'), 'able: boolean }', 'a name the file spells');
    assert.equal(pp('  x = true', ' && y', '\n'), ' && y', 'not glued: a space first');
    assert.equal(pp('  const value', 'Of = 1', '\n'), 'Of = 1', 'a word that is no literal may become a new name');
  });

  it('keeps brackets balanced: no closer the file already has, none that matches nothing', () => {
    assert.equal(pp('foo(bar(', 'x))', '))', 'single'), 'x');
    assert.equal(pp('const a = [1, ', '2, 3]', ']', 'single'), '2, 3');
    assert.equal(pp('x = ', 'y) + 1', '', 'single'), 'y');
    assert.equal(pp('const s = ', '"(" + f(a)', '', 'single'), '"(" + f(a)');
  });

  it('ends at the block and closes it only when the file does not', () => {
    const prefix = 'function f(a) {';
    const completion = '\n  if (a) {\n    return 1;\n  }\n  return 0;\n}\n\nfunction g() {\n}';
    assert.equal(pp(prefix, completion, '', 'multi'), '\n  if (a) {\n    return 1;\n  }\n  return 0;\n}');
    assert.equal(pp(prefix, completion, '\n}\n', 'multi'), '\n  if (a) {\n    return 1;\n  }\n  return 0;');
    // Inside a body: stops at the dedent that leaves it.
    assert.equal(pp('  x = 1\n  ', 'y = 2\n  z = 3\nprint(z)', '', 'multi'), 'y = 2\n  z = 3');
    // An arrow's expression body: the next line at the arrow's indentation is a new statement.
    const gt = "const gt = (a, b, loose) => compare(a, b, loose) > 0\nmodule.exports = gt\n\nconst gtLoose = (a, b) => ";
    assert.equal(pp(gt, 'compare(a, b, true) > 0\nmodule.exports = gt\n\nconst lt = (a, b) => a < b', '', 'multi'), 'compare(a, b, true) > 0');
    // ... and an indented continuation stays.
    assert.equal(pp('  const f = (x) =>', '\n    x + 1\n  g()', '', 'multi'), '\n    x + 1');
  });

  it('matches indentation: no doubled indent at the cursor, and the file\'s tabs', () => {
    assert.equal(pp('function f() {\n  ', '  return 1;', '\n}', 'single'), 'return 1;');
    assert.equal(pp('function f() {\n\tlet a = 1;\n\t', 'if (a) {\n        a++;\n    }', '\n}', 'multi'), 'if (a) {\n\t\ta++;\n\t}');
  });

  it('suppresses trivial suggestions', () => {
    assert.equal(pp('x', '   ', '', 'single'), undefined);
    assert.equal(pp('f(x', ';', '', 'single'), undefined);
    assert.equal(pp('  f(x', '})', '', 'multi'), undefined);
    assert.ok(isTrivial('\n\n'));
    assert.ok(!isTrivial('x'));
  });

  it('drops a suggestion that repeats itself (the loops of a small model), keeps ordinary code', () => {
    // The demo's completion of `function add(a, b) {` by the v1 model.
    assert.equal(pp('function add(a, b) {\n  ', 'let i = 0; let i2 = 0; let i3 = 0;', '\n}\n'), undefined);
    for (const looped of [
      'let i = 0; let i2 = 0; let i3 = 0;',
      '\n  x.push(value);\n  x.push(value);',
      'foo(a, b); foo(a, b);',
      'hands the RateLimiter hands the RateLimiter',
      'a[0] = 0; a[1] = 1; a[2] = 2; a[3] = 3;',
    ]) assert.ok(repeatsItself(looped), looped);
    for (const fine of [
      'let a = 0; let b = 0;',
      'return a + b;',
      '{ x: 1, y: 2 }',
      '\n  if (a) {\n    return 1;\n  }\n  return 0;\n}',
      'i++; j++;',
      '[0, 0, 0]',
      'this.total += value; this.count++;',
      // Go repeats its error return: two, apart, are code, not a loop.
      'if err != nil {\n\t\treturn nil, err\n\t}\n\tvar c Config\n\tif err := json.Unmarshal(data, &c); err != nil {\n\t\treturn nil, err\n\t}',
    ]) assert.ok(!repeatsItself(fine), fine);
    assert.ok(repeatsItself('return nil, err\nx()\nreturn nil, err\ny()\nreturn nil, err'), 'three times');
    // A definition written twice (a trial at the end of a TypeScript file): the first one is kept.
    const twice = 'export function distance(text: string): string {\n  return text.length ? text[0] : text;\n}\n\nexport function distance(text: string): string {\n  return text.length ? text[0] : text;';
    assert.ok(repeatsItself(twice, 'typescript'));
    assert.equal(postprocess({ prefix: '}\n\n', completion: twice, suffix: '', mode: 'multi', language: 'typescript' }), 'export function distance(text: string): string {\n  return text.length ? text[0] : text;\n}');
    assert.ok(repeatsItself('def parse(self, text):\n    return text\n\ndef parse(self, text):', 'python'));
    // A block's opening line again inside that block (a writing trial, pkg/errors): the first line alone is shown.
    const nested = "switch verb {\n    case 'v':\n        switch verb {\n        case 's':";
    assert.equal(pp('func (w *withStack) Format(s fmt.State, verb rune) {\n    ', nested, '\n}\n', 'multi'), 'switch verb {');
    // The document's own opener around the cursor, again in the suggestion (the next trial line,
    // after `switch verb {` was taken): the suggestion stops before it, or shows nothing.
    const format = 'func (w *withStack) Format(s fmt.State, verb rune) {\n\tswitch verb {\n\t';
    assert.equal(pp(format, "case 'v':\n\t\tswitch verb {\n\t\tcase 's':", '\n}\n', 'multi'), "case 'v':");
    assert.equal(pp(format, 'switch verb {', '\n}\n', 'single'), undefined);
    const python = 'class Cache:\n    def get(self, key):\n        if key in self.data:\n            ';
    assert.equal(pp(python, 'value = self.data[key]\n            if key in self.data:', '\n', 'multi'), 'value = self.data[key]');
    // Openers that closed, data keys that nest, and short ones are not loops.
    assert.equal(pp('if (a) {\n  go();\n}\nwhile (more) {\n  ', 'if (a) {', '\n}\n', 'single'), 'if (a) {');
    assert.equal(pp('{\n  "properties": {\n    "items": {\n      ', '"properties": {', '\n', 'single'), '"properties": {');
    // The same opener after its block closed, or a different one inside, is code.
    const fn = 'func (w *withStack) Format(s fmt.State, verb rune) {\n\t';
    const twoSwitches = "switch verb {\n\tcase 'v':\n\t\treturn\n\t}\n\tswitch verb {\n\tcase 's':\n\t\treturn\n\t}";
    assert.equal(pp(fn, twoSwitches, '\n}\n', 'multi'), twoSwitches);
    const closeTwice = 'if err != nil {\n\t\tif err := f.Close(); err != nil {\n\t\t\treturn err\n\t\t}\n\t}';
    assert.equal(pp(fn, closeTwice, '\n}\n', 'multi'), closeTwice);
    // Two different definitions, or one line of a body twice, are code.
    assert.ok(!repeatsItself('func (c *Client) Get(url string) (*Response, error) {\n\treturn c.Do(req)\n}\n\nfunc (c *Client) Head(url string) (*Response, error) {\n\treturn c.Do(req)\n}', 'go'));
    assert.equal(pp('const x = ', 'add(1, 2);', '\n', 'single'), 'add(1, 2);');
    // A block that starts well and then loops keeps its start, up to where its brackets close.
    const go = 'func Load(path string) (*Config, error) {\n\tdata, err := os.ReadFile(path)\n\t';
    const looping = 'if err != nil {\n\t\treturn nil, err\n\t}\n\treturn &Config{\n\t\tName: data,\n\t\tName: data,\n\t\tName: data,';
    assert.equal(pp(go, looping, '', 'multi'), 'if err != nil {\n\t\treturn nil, err\n\t}');
    // No such start: the line being written is kept alone, its bracket open (its body looped).
    const ts = 'export function pinning(table) {\n  ';
    const body = 'table.getRows = (rows, ids) => {\n    rows.push(ids);\n    rows.push(ids);\n    rows.push(ids);';
    assert.equal(pp(ts, body, '\n}\n', 'multi'), 'table.getRows = (rows, ids) => {');
  });

  it('ends a suggestion before bytes that decode to no character (U+FFFD)', () => {
    assert.equal(pp('const x = ', 'add(1, 2);\uFFFD\uFFFD;', '\n', 'single'), 'add(1, 2);');
    assert.equal(pp('const x = ', '\uFFFDadd(1, 2);', '\n', 'single'), undefined);
  });
});
