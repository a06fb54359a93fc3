import * as assert from 'node:assert/strict';
import { DefinitionIndex, definedNames, identifierMatch, identifiers, proseLines } from '../src/eval/identifiers';
import { languageOf } from '../src/code/language';

describe('eval: identifiers (CrossCodeEval identifier EM) and cross-file lines', () => {
  it('a line\'s identifiers: keywords, strings and comments left out, order kept', () => {
    assert.deepEqual(identifiers('const total = area3(w, h) + "width height" // sum it', 'typescript'), ['total', 'area3', 'w', 'h']);
    assert.deepEqual(identifiers("    return self._parse(text, 'utf-8')  # fast path", 'python'), ['_parse', 'text']);
    assert.deepEqual(identifiers('\tif err := c.Execute(); err != nil {', 'go'), ['err', 'c', 'Execute', 'err']);
    assert.deepEqual(identifiers('let $el = `a ${b}` /* c */ + d', 'javascript'), ['$el', 'd']);
  });

  it('identifier exact match: same identifiers in the same order, whatever the punctuation', () => {
    assert.ok(identifierMatch('  foo(bar, baz);', 'foo(bar,baz)', 'typescript'));
    assert.ok(identifierMatch('x = f(a) # one', 'x = f( a )', 'python'));
    assert.ok(!identifierMatch('foo(baz, bar)', 'foo(bar, baz)', 'typescript'), 'order matters');
    assert.ok(!identifierMatch('foo(bar)', 'foo(bar, baz)', 'typescript'));
    assert.ok(!identifierMatch('', 'return value', 'javascript'));
    // A true line without identifiers: only the exact line counts (else any empty guess would).
    assert.ok(!identifierMatch('', "case '\\n':", 'javascript'));
    assert.ok(!identifierMatch("case '\\t':", "case '\\n':", 'javascript'));
    assert.ok(identifierMatch("  case '\\n':", "case '\\n':", 'javascript'));
  });

  it('definitions per language', () => {
    const ts = definedNames(
      ['export function createDraft<T>(base: T): Draft<T> {', 'export class Immer {', '  produce(base: any, recipe?: any) {', '  }', '}', 'export type Draft<T> = T', 'const { alpha, beta } = require("x")', 'interface Options {}', 'enum Mode { A }'].join('\n'),
      'typescript',
    );
    for (const n of ['createDraft', 'Immer', 'produce', 'Draft', 'alpha', 'beta', 'Options', 'Mode']) assert.ok(ts.has(n), n);
    assert.ok(!ts.has('if') && !ts.has('T'), 'keywords and names under 3 characters are not definitions');
    const js = definedNames(['const Range = require("./range")', 'exports.compareLoose = (a, b) => 0', 'module.exports = {', '  parse: function (s) {},', '}'].join('\n'), 'javascript');
    for (const n of ['Range', 'compareLoose', 'parse']) assert.ok(js.has(n), n);
    const py = definedNames(['class Parser:', '    def parsestr(self, text):', '        self.policy = None', 'async def fetch(url):', 'DEFAULT_LIMIT: int = 5', 'x == 3'].join('\n'), 'python');
    for (const n of ['Parser', 'parsestr', 'policy', 'fetch', 'DEFAULT_LIMIT']) assert.ok(py.has(n), n);
    const go = definedNames(['func (c *Command) Execute() error {', 'func NewRoot() *Command {', 'type Command struct {', '\tUse string', '\tRunE func() error', '}', 'const (', '\tShellCompDirectiveError = 1', ')', 'var initializers []func()'].join('\n'), 'go');
    for (const n of ['Execute', 'NewRoot', 'Command', 'Use', 'RunE', 'ShellCompDirectiveError', 'initializers']) assert.ok(go.has(n), n);
    assert.equal(languageOf('a/b.tsx'), 'typescript');
    assert.equal(languageOf('x.mjs'), 'javascript');
    assert.equal(languageOf('README.md'), 'other');
  });

  it('names a Rust, Java, C or C++ file defines, not words of its comments', () => {
    const rust = definedNames(['/// The trait provides widths.', 'pub(crate) struct Word<\'a> {', '    pub text: &\'a str,', '    width: usize,', '}', 'pub enum Penalty {', '    Hyphen,', '    Space(usize),', '}', 'impl Word<\'_> {', '    pub const fn display_width(&self) -> usize {', '        self.width', '    }', '}', 'macro_rules! chunk {', 'const CUTOFF: u32 = 5;'].join('\n'), 'rust');
    for (const n of ['Word', 'text', 'width', 'Penalty', 'Hyphen', 'Space', 'display_width', 'chunk', 'CUTOFF']) assert.ok(rust.has(n), n);
    assert.ok(!rust.has('provides'), 'a doc comment\'s words');
    const java = definedNames([' * Each class has a parent.', 'public final class NameSpace implements Serializable {', '    private String nsName;', '    public NameSpace(NameSpace parent, String name) {', '    protected Object getVariableImpl(String name, boolean recurse)', '        throws UtilEvalError {', '        return lookup(name,', '            recurse);', '    }', '}', 'interface Listener {}'].join('\n'), 'java');
    for (const n of ['NameSpace', 'nsName', 'getVariableImpl', 'Listener']) assert.ok(java.has(n), n);
    assert.ok(!java.has('has') && !java.has('lookup'), 'a comment\'s word, a call continued on the next line');
    const c = definedNames(['#define STBDS_REALLOC(c, p, s) realloc(p, s)', 'typedef struct {', '  size_t length;', '} stbds_array_header;', 'typedef int (*stbds_cmp)(const void *a, const void *b);', 'extern void *stbds_arrgrowf(void *a, size_t elemsize);', 'static int', 'parse_number (const char *s)', '{', '  return convert(s,', '                 10);', '}'].join('\n'), 'c');
    for (const n of ['STBDS_REALLOC', 'stbds_array_header', 'stbds_cmp', 'stbds_arrgrowf', 'parse_number']) assert.ok(c.has(n), n);
    assert.ok(!c.has('convert') && !c.has('realloc'), 'a call is no definition');
    const cpp = definedNames(['namespace cxxopts {', 'class OptionAdder final {', ' public:', '  OptionAdder& operator()(const std::string& opts);', '  std::size_t count() const {', '    std::cout << describe(x,', '      y);', '  }', '};', '}'].join('\n'), 'cpp');
    for (const n of ['cxxopts', 'OptionAdder', 'count']) assert.ok(cpp.has(n), n);
    assert.ok(!cpp.has('describe'), 'a call after `<<`');
  });

  it('cross-file: identifiers only other files define; builtins, the file\'s own names and prose do not count', () => {
    const index = new DefinitionIndex([
      { path: 'util.ts', text: 'export function clamp(x: number) { return x }\nexport const Object = 1\n' },
      { path: 'math.ts', text: 'import { clamp } from "./util"\nexport function scale(v: number) {\n  return clamp(v)\n}\n' },
      { path: 'cmd.go', text: 'func (d Dir) string() string { return "" }\n' },
      { path: 'main.go', text: 'func main() {\n\tvar s string\n}\n' },
    ]);
    assert.deepEqual(index.crossFile('  return clamp(v)', 'math.ts'), ['clamp']);
    assert.deepEqual(index.crossFile('  return clamp(v)', 'util.ts'), [], 'defined in the same file');
    assert.deepEqual(index.crossFile('  return scale(Object.keys(v))', 'util.ts'), ['scale'], 'a builtin defined by some file is not cross-file');
    assert.deepEqual(index.crossFile('\tvar s string', 'main.go'), []);
    assert.deepEqual(proseLines('a\n/**\n * clamp it\n */\nb /* x */\nc', 'typescript'), [false, true, true, true, true, false]);
    assert.deepEqual(proseLines('def f():\n    """Parse\n    text.\n    """\n    return 1\n    """one"""', 'python'), [false, true, true, true, false, true]);
  });
});
