import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ContextIndex, buildContextBlock, snippetCost, type BlockRequest, type ContextSnippet } from '../src/completion/context-block';
import { LineIndex, lineKeys } from '../src/completion/context-block/continuations';
import { SourceFile, splitLines } from '../src/completion/context-block/source';
import { loadTokenizer, type Tokenizer } from '../src/model/tokenizer';
import { FIXTURES } from './helpers/fixtures';

const ROOT = path.join(FIXTURES, 'context-block');
const MODEL = path.resolve(__dirname, '../../models/default');

/** A fixture workspace: workspace-relative path -> text. */
function workspace(name: string): Map<string, string> {
  const dir = path.join(ROOT, name);
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  return new Map(walk(dir).sort().map((f) => [path.relative(dir, f).split(path.sep).join('/'), readFileSync(f, 'utf8')]));
}

describe('context block', () => {
  let tok: Tokenizer;
  const count = (s: string) => tok.encode(s).length;
  before(async () => {
    tok = await loadTokenizer(MODEL, 1 << 20);
  });

  /** The block for the current file `current` of fixture `name` (or of an inline workspace), the cursor on the first line containing `at`. */
  function block(name: string | Map<string, string>, current: string, at: string, more: Partial<BlockRequest> = {}): ContextSnippet[] {
    const files = typeof name === 'string' ? workspace(name) : name;
    const text = files.get(current)!;
    files.delete(current);
    const cursorLine = text.split('\n').findIndex((l) => l.includes(at));
    assert.ok(cursorLine >= 0, at);
    const out = buildContextBlock({ path: current, text, cursorLine, files, budgetTokens: 4000, countTokens: count, ...more });
    checkShape(out, files);
    return out;
  }

  /** Invariants of any block: lines match the file, text ends with "\n", no two snippets of one file overlap, the nearest kinds last (recent edits after definitions). */
  function checkShape(out: readonly ContextSnippet[], files: ReadonlyMap<string, string>): void {
    const rank = { similar: 0, definition: 1, recent: 2, continuation: 3 };
    out.forEach((s, i) => {
      const lines = files.get(s.path)!.split('\n');
      assert.ok(s.text.endsWith('\n'), `${s.path} text ends with a newline`);
      assert.ok(s.startLine >= 1 && s.endLine >= s.startLine && s.endLine <= lines.length, `${s.path}:${s.startLine}-${s.endLine}`);
      assert.equal(s.text.split('\n')[0], lines[s.startLine - 1], `${s.path}:${s.startLine} starts the snippet`);
      if (s.why !== 'definition') assert.equal(s.text, lines.slice(s.startLine - 1, s.endLine).join('\n') + '\n');
      if (i) assert.ok(rank[out[i - 1].why] <= rank[s.why], `order: ${out[i - 1].why} before ${s.why}`);
      // Only a definition shown as its members' signatures may overlap another snippet (which shows the bodies it leaves out).
      const verbatim = (x: ContextSnippet) => x.text === lines.slice(x.startLine - 1, x.endLine).join('\n') + '\n';
      for (const o of out.slice(0, i))
        if (o.path === s.path && verbatim(o) && verbatim(s)) assert.ok(o.endLine < s.startLine || s.endLine < o.startLine, `${s.path}: ${o.startLine}-${o.endLine} overlaps ${s.startLine}-${s.endLine}`);
    });
  }

  const defs = (out: readonly ContextSnippet[]) => out.filter((s) => s.why === 'definition');
  const defOf = (out: readonly ContextSnippet[], p: string, head: string) => defs(out).find((s) => s.path === p && s.text.startsWith(head));

  describe('TypeScript', () => {
    it('picks the definitions of imported symbols, through an index file, a renamed re-export, a `.js` specifier and a default import', () => {
      const out = block('ts', 'src/api/users.ts', 'return ok({ id: updated.id');
      assert.ok(defOf(out, 'src/models/user.ts', 'export class UserStore'), 'UserStore through `export *`');
      assert.ok(defOf(out, 'src/models/user.ts', 'export function isValidEmail'));
      assert.ok(defOf(out, 'src/models/format.ts', 'export function formatName'), 'fullName is formatName renamed');
      assert.ok(defOf(out, 'src/util/http.ts', 'export default function badRequest'), 'default import');
      assert.ok(defOf(out, 'src/util/http.ts', 'export const ok'));
      assert.ok(defOf(out, 'src/util/http.ts', 'export interface Reply'), 'type-only import');
      // Nothing of the current file, of packages (express) or of files that do not exist.
      assert.ok(out.every((s) => s.path !== 'src/api/users.ts'));
    });

    it('shows a long class as its members\' signatures, a short function whole', () => {
      const out = block('ts', 'src/api/users.ts', 'return ok({ id: updated.id');
      const cls = defOf(out, 'src/models/user.ts', 'export class UserStore')!;
      assert.equal(cls.startLine, 14);
      assert.equal(cls.endLine, 58);
      assert.match(cls.text, /^ {2}update\(id: string, patch: UserPatch\): User \{ \.\.\. \}$/m);
      assert.match(cls.text, /^ {2}private readonly byId = new Map<string, User>\(\);$/m);
      assert.doesNotMatch(cls.text, /Object\.assign/);
      assert.match(cls.text, /\n\}\n$/);
      const fmt = defOf(out, 'src/models/format.ts', 'export function formatName')!;
      assert.equal(fmt.text, workspace('ts').get('src/models/format.ts')!.split('\n').slice(0, 5).join('\n') + '\n');
    });

    it('puts the definitions used nearest the cursor last, and keeps them first when the budget is small', () => {
      const out = block('ts', 'src/api/users.ts', "if (!user) return notFound('user');");
      assert.match(out.at(-1)!.text, /^export function notFound/);
      assert.equal(out.at(-1)!.why, 'definition');
      const atCreate = block('ts', 'src/api/users.ts', "return badRequest('invalid email')");
      assert.match(atCreate.at(-1)!.text, /^export default function badRequest/);
      // Room for about one definition: the one used on the cursor's line.
      const small = block('ts', 'src/api/users.ts', "return badRequest('invalid email')", { budgetTokens: 45 });
      assert.deepEqual(small.map((s) => s.text.split('\n')[0]), ['export default function badRequest(message: string): Reply {']);
    });
  });

  it('JavaScript: an ESM import and a destructuring require resolve to their functions; a package require to nothing', () => {
    const out = block('js', 'app.mjs', 'const k = clamp');
    assert.ok(defOf(out, 'lib/math.js', 'function clamp'));
    assert.ok(defOf(out, 'lib/math.js', 'function lerp'));
    assert.ok(defOf(out, 'lib/color.mjs', 'export function parseHex'));
    assert.equal(out.at(-1)!.text.split('\n')[0], 'function clamp(value, min, max) {', 'clamp is used on the cursor line');
  });

  it('JavaScript: CommonJS exports, `import x = require()`, and a minified file left out', () => {
    const files = new Map([
      ['lib/slug.js', "exports.slugify = function (s) {\n  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-');\n};\n"],
      ['lib/pad.js', 'function padLeft(s, n) {\n  return s.padStart(n);\n}\nmodule.exports = padLeft;\n'],
      ['lib/min.js', `export function tiny(a){return a${'+a'.repeat(5000)}}\n`],
    ]);
    const text = "import slug = require('./lib/slug');\nconst padLeft = require('./lib/pad');\nimport { tiny } from './lib/min.js';\nexport const title = (s: string) => padLeft(slug.slugify(s), tiny(8));\n";
    const out = buildContextBlock({ path: 'main.ts', text, cursorLine: 3, files, budgetTokens: 100_000, countTokens: count });
    checkShape(out, files);
    assert.ok(defOf(out, 'lib/slug.js', 'exports.slugify = function (s) {'));
    assert.ok(defOf(out, 'lib/pad.js', 'function padLeft(s, n) {'), 'module.exports = padLeft, required as the default');
    assert.ok(!out.some((s) => s.path === 'lib/min.js'), 'a 10,000-character line is not worth the window');
  });

  it('Python: relative, module and package-local absolute imports (through __init__), a class as its methods', () => {
    const out = block('py', 'shop/checkout.py', 'total = pricing.with_tax');
    assert.ok(defOf(out, 'shop/pricing.py', 'def apply_discount'), 'from .pricing import apply_discount');
    assert.ok(defOf(out, 'shop/pricing.py', 'def with_tax'), 'from . import pricing; pricing.with_tax');
    const cart = defOf(out, 'shop/cart.py', '@dataclass\nclass Cart:');
    assert.ok(cart, 'from shop import Cart, re-exported by shop/__init__.py');
    assert.match(cart.text, /^ {4}def total\(self\) -> float: \.\.\.$/m);
    assert.doesNotMatch(cart.text, /self\.items\.pop/);
    assert.match(out.at(-1)!.text, /^def with_tax/);
  });

  it('Go: exported names of a package of the module (go.mod), grouped vars included; standard and outside packages give nothing', () => {
    const out = block('go', 'cmd/server/main.go', 'errors.Is(err, store.ErrNotFound)');
    assert.ok(defOf(out, 'store/store.go', 'func New() *Store'));
    assert.ok(defOf(out, 'store/store.go', 'type Item struct'));
    const err = defOf(out, 'store/errors.go', '\tErrNotFound = errors.New(');
    assert.ok(err);
    assert.equal(out.at(-1), err, 'ErrNotFound is used on the cursor line');
    assert.ok(out.every((s) => s.path.startsWith('store/')));
  });

  it('Go: names of the same package defined in its other files, unexported ones included', () => {
    const out = block('go', 'store/adjust.go', 'return *it, ErrNegative');
    assert.ok(defOf(out, 'store/sku.go', 'func validSKU(sku string) bool {'));
    assert.ok(defOf(out, 'store/store.go', 'type Item struct'));
    assert.ok(defOf(out, 'store/errors.go', '\tErrNotFound = errors.New('));
    assert.equal(out.at(-1)!.text, '\tErrNegative = errors.New("store: negative quantity")\n');
    assert.ok(!out.some((s) => s.why === 'definition' && s.text.startsWith('func (s *Store) Get')), 'methods are not looked up by bare name');
  });

  it('Rust: `use crate::` and `super::` paths resolve to their module files (a.rs or a/mod.rs); another crate to nothing', () => {
    const out = block(
      new Map([
        ['src/lib.rs', 'pub mod core;\npub mod wrap;\n'],
        ['src/core.rs', '/// A word.\npub struct Word<\'a> {\n    pub text: &\'a str,\n}\n\npub fn display_width(text: &str) -> usize {\n    text.len()\n}\n'],
        ['src/wrap/mod.rs', 'pub mod first_fit;\n\npub struct Options {\n    pub width: usize,\n}\n'],
        ['src/wrap/first_fit.rs', 'use crate::core::{Word, display_width as width};\nuse super::Options;\nuse std::borrow::Cow;\n\npub fn wrap(words: &[Word], o: &Options) -> usize {\n    let w = width(words[0].text);\n    w\n}\n'],
      ]),
      'src/wrap/first_fit.rs',
      'let w = width(',
    );
    assert.ok(defOf(out, 'src/core.rs', "pub struct Word<'a> {"), 'use crate::core::{Word}');
    assert.equal(defOf(out, 'src/core.rs', 'pub fn display_width')?.text.split('\n')[0], 'pub fn display_width(text: &str) -> usize {', 'imported under another name, used as it');
    assert.ok(defOf(out, 'src/wrap/mod.rs', 'pub struct Options {'), 'use super::Options from wrap/mod.rs');
    assert.equal(out.at(-1)!.text.split('\n')[0], 'pub fn display_width(text: &str) -> usize {', 'used on the cursor line: nearest');
  });

  it("Java: an imported class by its package's path (not another package's of that name); not a class of its own package, named without an import", () => {
    const out = block(
      new Map([
        ['src/org/acme/cache/LruCache.java', 'package org.acme.cache;\n\nimport org.acme.util.Clock;\n\npublic class LruCache {\n    private final Clock clock = new Clock();\n    public Entry get(String key) {\n        return new Entry(key, clock.now());\n    }\n}\n'],
        ['src/org/acme/cache/Entry.java', 'package org.acme.cache;\n\npublic class Entry {\n    public Entry(String key, long at) {\n        this.key = key;\n    }\n    public String key() {\n        return key;\n    }\n}\n'],
        ['src/org/acme/util/Clock.java', 'package org.acme.util;\n\npublic class Clock {\n    public long now() {\n        return System.nanoTime();\n    }\n}\n'],
        ['src/org/other/Clock.java', 'package org.other;\n\npublic class Clock {\n}\n'],
      ]),
      'src/org/acme/cache/LruCache.java',
      'return new Entry(',
    );
    assert.ok(defOf(out, 'src/org/acme/util/Clock.java', 'public class Clock {'), 'import org.acme.util.Clock');
    assert.ok(!defOf(out, 'src/org/acme/cache/Entry.java', 'public class Entry {'), 'its own package: left to the similar windows');
    assert.ok(!defs(out).some((s) => s.path === 'src/org/other/Clock.java'), "another package's class of the same name is not");
  });

  it('C: the names a file uses that a header it includes declares: prototypes, typedefs, macros, a struct', () => {
    const out = block(
      new Map([
        ['include/table.h', '#ifndef TABLE_H\n#define TABLE_H\n#ifdef __cplusplus\nextern "C" {\n#endif\n#define TABLE_MAX 64\ntypedef unsigned long hash_t;\nstruct table {\n    hash_t *slots;\n};\n/* Finds a key. */\nint table_find(const struct table *t,\n               const char *key);\nvoid table_unused(void);\n#ifdef __cplusplus\n}\n#endif\n#endif\n'],
        ['src/table.c', '#include "../include/table.h"\n#include <stdio.h>\n\nint count(struct table *t) {\n    hash_t h = 0;\n    if (table_find(t, "x") < TABLE_MAX)\n        return 1;\n    return 0;\n}\n'],
      ]),
      'src/table.c',
      'if (table_find(',
    );
    assert.ok(defOf(out, 'include/table.h', 'int table_find(const struct table *t,\n               const char *key);'), 'a prototype over two lines');
    assert.ok(defOf(out, 'include/table.h', 'typedef unsigned long hash_t;'));
    assert.ok(defOf(out, 'include/table.h', '#define TABLE_MAX 64'));
    assert.ok(defOf(out, 'include/table.h', 'struct table {'));
    assert.ok(!defOf(out, 'include/table.h', 'void table_unused'), 'a name the file does not use');
    // table_find is documented, so also a definition of src/code/definitions.ts: listed once.
    const header = new SourceFile('include/table.h', '/* Finds a key. */\nint table_find(const struct table *t,\n               const char *key);\n');
    assert.deepEqual(header.defs.get('table_find')?.map((d) => [d.start, d.end]), [[1, 2]]);
    // A library's own header in angle brackets, named from a folder above the workspace's root.
    const angled = buildContextBlock({ path: 'src/use.c', text: '#include <acme/include/table.h>\n#include <stdio.h>\nint f(void) { return TABLE_MAX; }\n', cursorLine: 2, files: new Map([['include/table.h', '#define TABLE_MAX 64\n'], ['test/table.h', '#define TABLE_MAX 1\n']]), budgetTokens: 500, countTokens: count });
    assert.deepEqual(defs(angled).map((s) => [s.path, s.text]), [['include/table.h', '#define TABLE_MAX 64\n']], 'the header sharing the most folders with the include');
  });

  it('an unresolvable import, an empty file and a file of another language do not throw', () => {
    const files = new Map([['a.ts', "import { x } from './nowhere';\nimport y from '@scope/pkg';\nimport z from '../../outside';\n"], ['b.txt', 'hello']]);
    for (const [p, text] of [['c.ts', "import { x } from './a';\nimport { q } from './nowhere';\nx(q);\n"], ['d.py', 'from ...far import x\nimport a.b.c\n'], ['e.go', 'package main\nimport "nope/x"\n'], ['f.md', '# hi'], ['g.ts', ''], ['h.rs', 'use super::super::x::Y;\nuse crate::nope::{A, B};\n'], ['I.java', 'import a.b.*;\nimport static a.B.c;\n'], ['j.c', '#include "../../../x.h"\n#include "nope.h"\n']])
      assert.doesNotThrow(() => buildContextBlock({ path: p, text, cursorLine: 99, files, budgetTokens: 500, countTokens: count }));
    assert.deepEqual(buildContextBlock({ path: 'c.ts', text: '', cursorLine: 0, files: new Map(), budgetTokens: 500, countTokens: count }), []);
  });

  describe('budget', () => {
    it('stays within the budget, headers included, and uses more of it when there is more', () => {
      let previous = -1;
      for (const budget of [0, 20, 60, 150, 400, 1000, 4000]) {
        for (const [name, current, at] of [['ts', 'src/api/users.ts', 'const updated'], ['py', 'shop/checkout.py', 'discounted ='], ['go', 'cmd/server/main.go', 'it, err']]) {
          const out = block(name, current, at, { budgetTokens: budget });
          const spent = out.reduce((a, s) => a + snippetCost(s, count), 0);
          assert.ok(spent <= budget, `${name} budget ${budget}: spent ${spent}`);
          assert.ok(out.reduce((a, s) => a + count(s.text), 0) <= budget);
          if (name === 'ts') {
            assert.ok(spent >= previous, `budget ${budget}: ${spent} < ${previous}`);
            previous = spent;
          }
        }
      }
      assert.ok(previous > 400, `a budget of 4000 holds more than 400 tokens of the TS fixture (${previous})`);
    });

    it('keeps a share of a small budget for similar windows and recent edits, not all for definitions', () => {
      const recentEdits = [{ path: 'src/models/user.ts', startLine: 5, endLine: 5 }];
      const all = block('ts', 'src/api/users.ts', 'const updated', { recentEdits });
      const cost = (why: string) => all.filter((s) => s.why === why).reduce((a, s) => a + snippetCost(s, count), 0);
      // 300 tokens: the definitions alone would fill them so far that the edit no longer fits.
      assert.ok(cost('definition') > 300 && cost('recent') < 60, `${cost('definition')} ${cost('recent')}`);
      const out = block('ts', 'src/api/users.ts', 'const updated', { budgetTokens: 300, recentEdits });
      assert.ok(defs(out).length >= 3, 'definitions');
      assert.deepEqual(out.filter((s) => s.why === 'recent').map((s) => [s.path, s.startLine, s.endLine]), [['src/models/user.ts', 2, 8]]);
    });
  });

  describe('dedup', () => {
    it('leaves out a copy of the text the prompt already holds, and identical text in two files once', () => {
      const files = workspace('ts');
      const current = 'src/api/users.ts';
      const text = files.get(current)!;
      const cursorLine = text.split('\n').findIndex((l) => l.includes('const updated'));
      // A backup copy of the current file: the most similar window there is, and all of it in the prompt already.
      files.set('src/api/users.backup.ts', text);
      files.set('vendor/orders.ts', files.get('src/api/orders.ts')!);
      const req = { path: current, text, cursorLine, files, budgetTokens: 4000, countTokens: count };
      const out = buildContextBlock(req);
      checkShape(out, files);
      assert.ok(out.every((s) => s.path !== 'src/api/users.backup.ts' && s.path !== current), out.map((s) => s.path).join());
      const orders = out.filter((s) => s.path.endsWith('orders.ts'));
      assert.equal(orders.length, 1, 'orders.ts and its vendored copy: one window');
      // Once the prompt no longer holds those lines (the cursor in a different file), the copy is similar enough to show.
      const elsewhere = buildContextBlock({ ...req, path: 'src/api/other.ts', text: text.split('\n').slice(cursorLine - 12, cursorLine + 1).join('\n') + '\n', cursorLine: 12 });
      assert.ok(elsewhere.some((s) => s.path === 'src/api/users.backup.ts' || s.path === current));
    });

    it('shows windows of the current file outside what the prompt holds of it, numbered as the document is', () => {
      const filler = (n: number) => Array.from({ length: n }, () => 'export const limit = compute(base, step);');
      const fn = (name: string) => [`export function ${name}(rows: Row[], key: string): Row[] {`, '  const seen = new Set<string>();', '  return rows.filter((row) => {', '    const value = String(row[key]);', '    if (seen.has(value)) return false;', '    seen.add(value);', '    return true;', '  });', '}'];
      // uniqueBy stands far above the cursor, past the prompt's window of the file (MAX_PREFIX_CHARS).
      const doc = [...filler(20), ...fn('uniqueBy'), ...filler(300), 'export function distinctBy(rows: Row[], key: string): Row[] {', '  const seen = new Set<string>();', ''];
      const files = new Map([['src/other.ts', 'export const x = 1;\n']]);
      // The request carries the document from its line 5 on, as the editor's window would.
      const req = { path: 'src/rows.ts', text: doc.slice(5).join('\n'), cursorLine: doc.length - 6, firstLine: 5, files, budgetTokens: 4000, countTokens: count };
      const out = buildContextBlock({ ...req, sameFile: true });
      const own = out.filter((x) => x.path === 'src/rows.ts');
      assert.ok(own.some((x) => x.text.includes('export function uniqueBy(')), JSON.stringify(out.map((x) => `${x.path}:${x.startLine}`)));
      for (const x of own) {
        assert.equal(x.text, doc.slice(x.startLine - 1, x.endLine).join('\n') + '\n', `${x.startLine}-${x.endLine} are the document's lines`);
        assert.ok(!x.text.includes('distinctBy'), 'nothing the prompt holds');
      }
      // Not asked for (the CPU's pipeline), none; nor in a file the prompt holds whole.
      assert.ok(buildContextBlock(req).every((x) => x.path !== 'src/rows.ts'));
      const short = [...fn('uniqueBy'), ...filler(10), 'export function distinctBy(rows: Row[], key: string): Row[] {', ''];
      assert.ok(buildContextBlock({ path: 'src/rows.ts', text: short.join('\n'), cursorLine: short.length - 1, files, budgetTokens: 4000, countTokens: count, sameFile: true }).every((x) => x.path !== 'src/rows.ts'));
    });

    it('leaves out what the prompt holds of the file by the prompt\'s window (prefixChars)', () => {
      const filler = (n: number) => Array.from({ length: n }, () => 'export const limit = compute(base, step);');
      const fn = (name: string) => [`export function ${name}(rows: Row[], key: string): Row[] {`, '  const seen = new Set<string>();', '  return rows.filter((row) => {', '    const value = String(row[key]);', '    if (seen.has(value)) return false;', '    seen.add(value);', '    return true;', '  });', '}'];
      // uniqueBy ends about 3,900 characters above the cursor's line: inside a 6,000-character window, outside a 3,000 one.
      const doc = [...filler(20), ...fn('uniqueBy'), ...filler(92), 'export function distinctBy(rows: Row[], key: string): Row[] {', '  const seen = new Set<string>();', ''];
      const req = { path: 'src/rows.ts', text: doc.join('\n'), cursorLine: doc.length - 1, files: new Map([['src/other.ts', 'export const x = 1;\n']]), budgetTokens: 4000, countTokens: count, sameFile: true };
      const own = (prefixChars?: number) => buildContextBlock({ ...req, prefixChars }).filter((x) => x.path === 'src/rows.ts' && x.text.includes('export function uniqueBy('));
      assert.equal(own().length, 0, 'the default window (6,000) holds uniqueBy');
      assert.equal(own(3000).length, 1, 'a 3,000-character window does not');
    });

    it('trims a similar window to the part no chosen definition holds', () => {
      const out = block('go', 'cmd/server/main.go', 'errors.Is(err, store.ErrNotFound)');
      const sim = out.filter((s) => s.path === 'store/store.go' && s.why === 'similar');
      assert.ok(sim.length, 'a window of store.go');
      for (const d of defs(out).filter((s) => s.path === 'store/store.go')) for (const s of sim) assert.ok(s.endLine < d.startLine || d.endLine < s.startLine);
    });
  });

  describe('recent edits', () => {
    it('shows recently edited ranges of other files with a few lines around, the most recent last, the current file left out', () => {
      const recentEdits = [
        { path: 'src/models/format.ts', startLine: 7, endLine: 7 },
        { path: 'src/api/users.ts', startLine: 10, endLine: 12 },
        { path: 'gone.ts', startLine: 1, endLine: 3 },
        { path: 'src/api/orders.ts', startLine: 18, endLine: 19 },
        { path: 'src/models/user.ts', startLine: 5, endLine: 5 },
      ];
      const out = block('ts', 'src/api/users.ts', 'const updated', { recentEdits });
      const recent = out.filter((s) => s.why === 'recent');
      // format.ts 4-10 less the definition of formatName (1-5); orders.ts 15-22 lies inside the similar window of orders.ts;
      assert.deepEqual(recent.map((s) => [s.path, s.startLine, s.endLine]), [['src/models/format.ts', 6, 7], ['src/models/user.ts', 2, 8]]);
      assert.ok(out.some((s) => s.why === 'similar' && s.path === 'src/api/orders.ts' && s.startLine <= 15 && s.endLine >= 22));
      // Nearer the cursor than the definitions and windows (a name just written is what comes next), before any continuation.
      const after = out.slice(out.indexOf(recent[0]));
      assert.deepEqual(after.filter((s) => s.why !== 'continuation'), recent, 'recent edits come after the definitions and windows');
    });

    it('shows an edit inside a class that a definition shows as signatures only', () => {
      const out = block('py', 'shop/checkout.py', 'discounted =', { recentEdits: [{ path: 'shop/cart.py', startLine: 32, endLine: 32 }] });
      assert.ok(defOf(out, 'shop/cart.py', '@dataclass\nclass Cart:'));
      assert.deepEqual(out.filter((s) => s.why === 'recent').map((s) => [s.path, s.startLine, s.endLine]), [['shop/cart.py', 29, 35]]);
    });

    it('clamps edits past the end of a file and drops edits that start beyond it', () => {
      const edits = [{ path: 'shop/cart.py', startLine: 40, endLine: 400 }, { path: 'shop/pricing.py', startLine: 90, endLine: 95 }];
      const out = block('py', 'shop/checkout.py', 'discounted =', { recentEdits: edits });
      assert.deepEqual(out.filter((s) => s.why === 'recent').map((s) => [s.path, s.startLine, s.endLine]), [['shop/cart.py', 37, 41]]);
    });
  });

  it('ContextIndex follows updates and deletes, and gives what buildContextBlock gives', () => {
    const files = workspace('ts');
    const current = 'src/api/users.ts';
    const text = files.get(current)!;
    files.delete(current);
    const req = { path: current, text, cursorLine: 12, budgetTokens: 4000, countTokens: count };
    const index = new ContextIndex(files);
    assert.deepEqual(index.block(req), buildContextBlock({ ...req, files }));
    index.delete('src/models/format.ts');
    assert.ok(!index.block(req).some((s) => s.path === 'src/models/format.ts'));
    index.update('src/models/format.ts', 'export function formatName(a: string, b: string): string {\n  return [a, b].join(" ");\n}\n');
    assert.ok(index.block(req).some((s) => s.path === 'src/models/format.ts' && s.text.includes('[a, b].join(" ")')));
    // Counts kept between requests belong to the countTokens that made them.
    assert.ok(index.block({ ...req, countTokens: (s) => s.length >> 2 }).length > 0);
    assert.deepEqual(index.block({ ...req, countTokens: (s) => s.length * 100 }), []);
    // The functional form follows a changed Map too.
    files.set('src/models/format.ts', 'export const formatName = (a: string) => a.toUpperCase();\n');
    assert.ok(buildContextBlock({ ...req, files }).some((s) => s.text === 'export const formatName = (a: string) => a.toUpperCase();\n'));
  });

  describe('continuations', () => {
    const helper = [
      'package semver',
      '',
      'func checkVersion(t *testing.T, v string) {',
      '\tparsed, err := NewVersion(v)',
      '\trequire.NoError(t, err, "parsing %s", v)',
      '\tassert.Equal(t, v, parsed.Original())',
      '}',
      '',
    ].join('\n');
    const current = ['package semver', '', 'func TestOriginal(t *testing.T) {', '\tfor _, v := range originals {', '\t\tparsed, err := NewVersion(v)', '\t\t', '\t}', '}', ''].join('\n');

    it('shows what follows, in another file, the line above the cursor, as the most relevant snippet', () => {
      const files = new Map([['helpers_test.go', helper]]);
      const out = buildContextBlock({ path: 'original_test.go', text: current, cursorLine: 5, files, budgetTokens: 4000, countTokens: count });
      checkShape(out, files);
      const last = out.at(-1)!;
      assert.equal(last.why, 'continuation');
      assert.deepEqual([last.path, last.startLine, last.endLine], ['helpers_test.go', 4, 7]);
      assert.ok(last.text.includes('require.NoError(t, err, "parsing %s", v)'), last.text);
    });

    it('prefers the place where more lines above match, and skips short lines and idioms', () => {
      const files = new Map<string, string>();
      const index = new LineIndex();
      const add = (p: string, ...l: string[]) => {
        files.set(p, l.join('\n') + '\n');
        index.add(p, files.get(p)!);
      };
      const find = (p: string, lines: string[], cursor: number, limit = 4) => index.find(p, lines, cursor, limit, (q) => files.get(q)!.split('\n'));
      add('one.py', 'x = load(path)', 'result = parse(text)', 'first()');
      add('two.py', 'text = read(path)', '  result  =  parse(text)\r', 'second()');
      const mine = ['text = read(path)', 'result = parse(text)', ''];
      assert.deepEqual(find('mine.py', mine, 2).map((c) => [c.path, c.line, c.matched]), [['two.py', 1, 2], ['one.py', 1, 1]]);
      // A blank or short line between the anchor and the cursor does not hide the anchor.
      assert.deepEqual(find('mine.py', [...mine.slice(0, 2), '', 'x = 1', ''], 4, 1).map((c) => c.path), ['two.py']);
      // The current file's own copies are not continuations.
      assert.deepEqual(find('two.py', mine, 2).map((c) => c.path), ['one.py']);
      // A line standing in many places is an idiom, not a place.
      for (let i = 0; i < 16; i++) add(`f${i}.py`, 'result = parse(text)', `use${i}()`);
      assert.deepEqual(find('mine.py', mine, 2), []);
      for (let i = 0; i < 16; i++) index.remove(`f${i}.py`);
      assert.equal(find('mine.py', mine, 2).length, 2);
      // Adding a file again replaces its lines.
      add('two.py', 'text = read(path)', 'other = parse(text)');
      assert.deepEqual(find('mine.py', mine, 2).map((c) => c.path), ['one.py']);
    });

    it('keeps one key per line, as splitLines counts lines', () => {
      for (const text of ['', '\n', 'a\nb', 'a\nb\n', 'first line here\r\n\r\nthird line here\r\n'])
        assert.equal(lineKeys(text).length, splitLines(text).length, JSON.stringify(text));
      const [a, b, c, d] = lineKeys('  return  value;\nreturn value;  \nreturn\tvalue;\n  x = 1; ');
      assert.ok(a !== 0 && a === b && b === c, 'whitespace squeezed');
      assert.equal(d, 0, 'a line of fewer than 8 characters');
    });
  });
});
