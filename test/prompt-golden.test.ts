import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadTokenizer, type Tokenizer } from '../src/model/tokenizer';
import { SPECIAL_NAMES, completionStopIds, cutAtLineEnd, fileTokens, lastLinesStart, piecesToIds, renderPieces, type Piece } from '../src/prompt';
import { loadTiny } from './helpers/workspace';
import { goldenPieces, type GoldenCase } from './helpers/prompt-golden';

const root = path.resolve(__dirname, '..', '..');
const golden = JSON.parse(readFileSync(path.join(root, 'test/fixtures/prompt-golden.json'), 'utf8')) as {
  tokenizer: string;
  cases: (GoldenCase & { pieces: Piece[]; ids: number[] })[];
};

describe('prompt golden vectors (test/fixtures/prompt-golden.json, shared with training/)', () => {
  let tokenizer: Tokenizer;
  before(async () => {
    tokenizer = await loadTokenizer(path.dirname(path.join(root, golden.tokenizer)), 16384);
  });

  it('the fixture covers every kind of prompt', () => {
    assert.deepEqual(new Set(golden.cases.map((c) => c.kind)), new Set(['file', 'fim', 'block', 'summary', 'question']));
  });

  for (const c of golden.cases) {
    it(`${c.kind}: ${c.name}`, () => {
      const pieces = goldenPieces(c);
      assert.deepEqual(pieces, c.pieces, 'pieces');
      assert.deepEqual(piecesToIds(tokenizer, pieces), c.ids, 'ids');
      // Special ids come only from special pieces, never from text.
      const specials = c.ids.filter((id) => id < SPECIAL_NAMES.length);
      assert.deepEqual(specials, pieces.filter((p) => p[0] === 'special').map((p) => SPECIAL_NAMES.indexOf(p[1] as (typeof SPECIAL_NAMES)[number])));
    });
  }
});

describe('prompt encoding: special-token text is text', () => {
  let tokenizer: Tokenizer;
  before(async () => {
    tokenizer = await loadTokenizer(path.join(root, 'models/default'), 16384);
  });

  it('a file containing <|fim_middle|> yields no id 4 from its text, and decodes back', () => {
    const text = 'const s = "<|fim_middle|>";\n// <|endoftext|><|file|><|summary|>\n';
    const ids = fileTokens(tokenizer, 'weird/<|fim_middle|>.ts', text);
    assert.equal(ids[0], 1, '<|file|> opens the unit');
    assert.deepEqual([...ids.subarray(1)].filter((id) => id < SPECIAL_NAMES.length), []);
    assert.ok(!ids.includes(4));
    assert.equal(tokenizer.decode([...ids.subarray(1)]), `weird/<|fim_middle|>.ts\n${text}`);
  });

  it('decoding gives back code exactly: spaces before ! . , ? and quotes stay', () => {
    for (const code of ['if (a && !b) {', 'x !== y ? a : b', "const s = x .trim() , t = 'it' + 's'", "don 't", '  return a ? b : c\n']) {
      assert.equal(tokenizer.decode(tokenizer.encode(code)), code);
    }
  });

  it('every special token spelled in text encodes to plain ids', () => {
    for (const name of SPECIAL_NAMES) {
      const ids = tokenizer.encode(`x${name}y`);
      assert.ok(ids.every((id) => id >= SPECIAL_NAMES.length), `${name}: ${ids}`);
      assert.equal(tokenizer.specialId(name), SPECIAL_NAMES.indexOf(name), `${name} has id ${SPECIAL_NAMES.indexOf(name)} (layout.md)`);
    }
  });

  it('renderPieces spells the prompt as the layout reads', () => {
    assert.equal(renderPieces(goldenPieces({ name: '', kind: 'fim', input: { path: 'a.ts', before: 'x\n  y', after: ')\n' } })), '<|file|>a.ts\n<|fim_prefix|>x\n<|fim_suffix|>)\n<|fim_middle|>  y');
  });
});

describe('prompt stops and line cuts (src/prompt/stop.ts)', () => {
  it('generation stops at every special token the tokenizer has', async () => {
    const tokenizer = await loadTokenizer(path.join(root, 'models/default'), 16384);
    assert.deepEqual(completionStopIds(tokenizer), [0, 1, 2, 3, 4, 5, 6, 7]);
    const tiny = await loadTiny();
    assert.deepEqual(completionStopIds(tiny.tokenizer), SPECIAL_NAMES.slice(0, 5).map((n) => tiny.tokenizer.specialId(n)));
  });

  it('one rule cuts at a line end: whole lines within the characters and lines, else a hard cut', () => {
    assert.equal(cutAtLineEnd('ab\ncd\nef', 6), 'ab\ncd\n');
    assert.equal(cutAtLineEnd('ab\ncd\nef', 8), 'ab\ncd\nef');
    assert.equal(cutAtLineEnd('ab\ncd\nef', 100, 2), 'ab\ncd\n');
    assert.equal(cutAtLineEnd('abcdef\nx', 4), 'abcd', 'no whole line fits');
    assert.equal(cutAtLineEnd('', 4), '');
    assert.equal(lastLinesStart('ab\ncd\nef\n', 6), 3, 'from the end: "cd\\nef\\n"');
    assert.equal(lastLinesStart('ab\ncd\nef\n', 5), 6);
    assert.equal(lastLinesStart('abcdefgh\n', 4), 5, 'no whole line fits: the last characters');
    assert.equal(lastLinesStart('ab\n', 9), 0);
  });
});
