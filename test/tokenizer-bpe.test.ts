import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { byteLevelBpe, loadTokenizer, type Tokenizer } from '../src/model/tokenizer';

const root = path.resolve(__dirname, '..', '..');

/** The repository's own text files (under 64 KB): TypeScript, Python, Go, JavaScript, C, WGSL, Markdown, shell. */
function realFiles(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (/\.(ts|py|go|js|c|h|wgsl|md|sh)$/.test(e.name)) {
        const text = readFileSync(path.join(root, rel), 'utf8');
        if (text.length < 64_000) out.push({ path: rel, text });
      }
    }
  };
  for (const d of ['src', 'training', 'test/fixtures', 'bench', 'docs']) {
    try {
      walk(d);
    } catch {
      // a folder this checkout lacks
    }
  }
  return out;
}

/** Text that takes the rarer roads: non-ASCII letters and digits, Unicode spaces, lone surrogates, long runs, contractions. */
function oddTexts(): string[] {
  let seed = 7;
  const rand = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0), seed % n);
  const alphabet = ['a', 'e', 'r', 'in', 'the', ' ', '  ', '\t', '\n', '\r\n', '_', '.', '(', ')', '{', '}', '=', '-', '0', '7', "'s", "'ll", 'é', 'ß', 'Ж', '中文', '😀', '\u0301', '\u00a0', '\u2003', '٣', '\ud800', '\udc00', '<|file|>'];
  const random = Array.from({ length: 40 }, () => Array.from({ length: 20 + rand(300) }, () => alphabet[rand(alphabet.length)]).join(''));
  return [
    ...random,
    '',
    ' ',
    'x',
    `${' '.repeat(200)}x`,
    `${'-'.repeat(500)}\n${'='.repeat(61)}`,
    'a'.repeat(1000),
    'ab'.repeat(700),
    `const s = "${'AbC123xyz+/'.repeat(40)}";`,
    'Ünïcödé façade naïve — “quotes” and ‘single’ … ½ ² ① Ⅻ',
    'def f(x):\n\treturn x  # comment\n\n\n    \n',
    "it's we'll they're I'm you've he'd don't",
    '日本語のテキストとコード: let 変数 = 42; // コメント',
    'emoji 👩‍👩‍👧‍👦 flags 🇩🇪 skin 👍🏽',
    '\u200b\u200d\ufeff zero width, \u3000 ideographic space',
  ];
}

function same(x: number[], y: number[], what: string): void {
  if (x.length === y.length && x.every((v, i) => v === y[i])) return;
  const differ = x.findIndex((v, i) => v !== y[i]);
  const at = differ < 0 ? Math.min(x.length, y.length) : differ;
  assert.fail(`${what}: ids differ from the library's at token ${at} (${JSON.stringify(x.slice(Math.max(0, at - 3), at + 5))} vs ${JSON.stringify(y.slice(Math.max(0, at - 3), at + 5))})`);
}

for (const model of ['models/default', 'test/fixtures/samba-tiny']) {
  describe(`tokenizer: the fast encoder gives the library's ids (${model})`, () => {
    let library: Tokenizer, fast: Tokenizer;
    before(async () => {
      library = await loadTokenizer(path.join(root, model), 1 << 30, { library: true });
      fast = await loadTokenizer(path.join(root, model), 1 << 30);
    });

    it("the repository's own files, read twice (the second time from the word cache)", () => {
      const files = realFiles();
      assert.ok(files.length > 100, `found ${files.length} files`);
      assert.ok(new Set(files.map((f) => path.extname(f.path))).size >= 6, 'several languages');
      const texts = files.map((f) => `${f.path}\n${f.text}`);
      const want = texts.map((t) => library.encode(t));
      for (const round of [1, 2]) texts.forEach((t, i) => same(fast.encode(t), want[i], `${files[i].path} (round ${round})`));
    });

    it('odd text: Unicode letters, digits and spaces, lone surrogates, long runs (the heap merge), special-token text', () => {
      for (const round of [1, 2]) oddTexts().forEach((t, i) => same(fast.encode(t), library.encode(t), `odd text ${i} (round ${round})`));
    });

    it("decodes as the library does: the files' and odd texts' ids, and random ids (special tokens, UTF-8 cut mid-character)", async () => {
      const texts = [...realFiles().slice(0, 60).map((f) => f.text), ...oddTexts()];
      for (const t of texts) {
        const ids = library.encode(t);
        assert.equal(fast.decode(ids), library.decode(ids));
      }
      let seed = 11;
      const rand = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0), seed % n);
      const multiByte = library.encode('é中😀ж').concat(library.encode(' ½ “x”'));
      for (let k = 0; k < 300; k++) {
        const ids = Array.from({ length: 1 + rand(40) }, () => (rand(4) === 0 ? multiByte[rand(multiByte.length)] : rand(4) === 0 ? rand(8) : rand(fast.vocabSize)));
        assert.equal(fast.decode(ids), library.decode(ids), JSON.stringify(ids));
      }
      assert.equal(fast.decode([]), '');
      // An added token's text stands as it is, spaces and all (as byte symbols, a space would be no byte).
      const json = JSON.parse(readFileSync(path.join(root, model, 'tokenizer.json'), 'utf8'));
      const id = fast.vocabSize;
      json.added_tokens.push({ id, content: '<| a é\tb |>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
      const dir = mkdtempSync(path.join(tmpdir(), 'tok-added-'));
      writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(json));
      const [lib2, fast2] = await Promise.all([loadTokenizer(dir, 1 << 30, { library: true }), loadTokenizer(dir, 1 << 30)]);
      const ids = [...library.encode('x = é'), id, ...library.encode(' y')];
      assert.equal(fast2.decode(ids), lib2.decode(ids));
      assert.equal(fast2.decode(ids), 'x = é<| a é\tb |> y');
      assert.equal(fast.decode([fast.specialId('<|file|>')!, ...library.encode('a.ts')]), '<|file|>a.ts');
    });

    it('covers this tokenizer.json (the fast path is the one under test), and leaves a layout it does not cover to the library', () => {
      const json = JSON.parse(readFileSync(path.join(root, model, 'tokenizer.json'), 'utf8'));
      assert.ok(byteLevelBpe(json), 'covered');
      assert.equal(byteLevelBpe({ ...json, normalizer: { type: 'NFC' } }), undefined, 'a normalizer');
      assert.equal(byteLevelBpe({ ...json, pre_tokenizer: { ...json.pre_tokenizer, add_prefix_space: true } }), undefined, 'a prefix space');
      assert.equal(byteLevelBpe({ ...json, model: { ...json.model, ignore_merges: true } }), undefined, 'ignore_merges');
      assert.equal(byteLevelBpe({ ...json, decoder: { type: 'Metaspace' } }), undefined, 'another decoder');
    });
  });
}
