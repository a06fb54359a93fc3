// Writes test/fixtures/prompt-golden.json: prompt inputs -> pieces -> exact token ids with the real
// default tokenizer, through the extension's own src/prompt/ (bundled here from the sources).
// test/prompt-golden.test.ts rebuilds every case; training/'s Python tests read the same file.
// Usage: node scripts/make-prompt-golden.mjs
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const dir = mkdtempSync(join(tmpdir(), 'prompt-golden-'));
const entry = "export { loadTokenizer } from './src/model/tokenizer'; export { piecesToIds } from './src/prompt'; export { goldenPieces } from './test/helpers/prompt-golden';";
await build({ stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: join(dir, 'golden.mjs'), logLevel: 'warning' });
const { loadTokenizer, piecesToIds, goldenPieces } = await import(pathToFileURL(join(dir, 'golden.mjs')).href);
rmSync(dir, { recursive: true });

const TOKENIZER = 'models/default/tokenizer.json';
const tokenizer = await loadTokenizer('models/default', 16384);

const mathFile = 'export function clamp(x: number, lo: number, hi: number): number {\n  if (x < lo) return lo;\n  return Math.min(hi, x);\n}\n';
// A long file whose text before the cursor's line is over 6000 characters: the window starts at a line.
const longLines = Array.from({ length: 260 }, (_, i) => `    total += values[${i}] * weights[${i % 7}];  // step ${i}\n`).join('');
const longBefore = `def weighted(values, weights):\n    total = 0\n${longLines}    return tot`;
const longAfter = 'al\n\n\ndef main():\n    print(weighted([1, 2], [3, 4]))\n';
const manyLinesAfter = Array.from({ length: 30 }, (_, i) => `line ${i}\n`).join('');

const cases = [
  { name: 'plain file', kind: 'file', input: { path: 'src/math.ts', text: mathFile } },
  { name: 'file with special-token text in path and content', kind: 'file', input: { path: 'docs/<|fim_middle|>.md', text: 'The tokens <|file|>, <|fim_middle|> and <|endoftext|> are text here.\n<|summary|>\n' } },
  { name: 'fim, cursor at a line start (empty lineHead)', kind: 'fim', input: { path: 'src/math.ts', before: 'export function clamp(x: number, lo: number, hi: number): number {\n', after: '  return Math.min(hi, x);\n}\n' } },
  { name: 'fim, mid-line with an auto-closed bracket in the suffix', kind: 'fim', input: { path: 'src/math.ts', before: 'export function clamp(x: number, lo: number, hi: number): number {\n  if (x < lo) return lo;\n  return Math.min(', after: ')\n}\n' } },
  { name: 'fim, after the indentation', kind: 'fim', input: { path: 'app/main.py', before: 'import os\n\ndef main():\n    ', after: '\n' } },
  { name: 'fim, near the file start', kind: 'fim', input: { path: 'src/a.ts', before: 'imp', after: 'ort { x } from "./x";\nexport const y = x + 1;\n' } },
  { name: 'fim, at the file end', kind: 'fim', input: { path: 'src/a.ts', before: 'import { x } from "./x";\nexport const y = x', after: '' } },
  { name: 'fim, suffix cut at 10 lines', kind: 'fim', input: { path: 'notes.txt', before: 'head\nli', after: `ne\n${manyLinesAfter}` } },
  { name: 'fim, suffix cut at 600 characters', kind: 'fim', input: { path: 'data.csv', before: 'a,b\n1,', after: `2\n${'x'.repeat(300)}\n${'y'.repeat(300)}\n${'z'.repeat(10)}\n` } },
  { name: 'fim, a rest of line over 600 characters', kind: 'fim', input: { path: 'min.js', before: 'var a=', after: `${'f(1)+'.repeat(150)}0;\nvar b=2;\n` } },
  { name: 'fim, long prefix windowed to its last lines within 6000 characters', kind: 'fim', input: { path: 'calc.py', before: longBefore, after: longAfter } },
  { name: 'fim, long prefix, the previous window start kept (fits 1.5x)', kind: 'fim', input: { path: 'calc.py', before: longBefore, after: longAfter, windowStart: longBefore.indexOf('    total += values[100]') } },
  { name: 'fim, special-token text in the path and around the cursor', kind: 'fim', input: { path: 'x/<|file|>.py', before: 's = "<|fim_prefix|>"\nt = "<|fim_', after: 'middle|>"\n' } },
  {
    name: 'block of 2 snippets (least relevant first)', kind: 'block',
    input: { snippets: [
      { path: 'src/util.ts', startLine: 3, endLine: 5, text: 'export function sum(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\n' },
      { path: 'src/types.ts', startLine: 1, endLine: 2, text: 'export interface Invoice {\n  amount: number; }' },
    ] },
  },
  { name: 'summary of a symbol', kind: 'summary', input: { header: 'src/math.ts:1-4', text: mathFile, intro: '' } },
  { name: 'summary with an intro', kind: 'summary', input: { header: 'README.md', text: '# Demo\nA demo <|endoftext|> project.', intro: 'Folders of this workspace:\nsrc/ (2 files; key: src/a.ts)\n' } },
  {
    name: 'question with a passage and an earlier turn', kind: 'question',
    input: {
      history: [{ question: 'What does clamp do?', answer: 'It limits x to [lo, hi].' }],
      passages: [{ path: 'src/math.ts', startLine: 1, endLine: 4, text: mathFile }],
      question: '  Where is clamp used? <|answer|> ',
    },
  },
];

const out = { tokenizer: TOKENIZER, cases: cases.map((c) => {
  const pieces = goldenPieces(c);
  return { ...c, pieces, ids: piecesToIds(tokenizer, pieces) };
}) };
// One case per line pair keeps diffs readable.
const json = `{ "tokenizer": ${JSON.stringify(out.tokenizer)},\n  "cases": [\n${out.cases.map((c) => `    ${JSON.stringify(c)}`).join(',\n')}\n  ] }\n`;
writeFileSync('test/fixtures/prompt-golden.json', json);
console.log(`test/fixtures/prompt-golden.json: ${out.cases.length} cases, ${out.cases.reduce((n, c) => n + c.ids.length, 0)} ids`);
