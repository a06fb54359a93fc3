// What retrieval costs a question, before and after it moved into the model worker (issue 18 item 2).
// Before: the worker shipped every file's text to the extension host (assistFiles, structured-clone
// serialization as the worker's IPC does it) and the host built the BM25 index again for each
// question. After: the worker's index is brought up to date (only changed files split and counted
// again) and searched where the text is. Both on the same files, in one run; medians of 7.
// usage: node --expose-gc out/bench/qa-index.js [--files DIR] [--max-mb N] [--ranker on|off]   (indexHeapMiB: what the index holds)
// (--ranker off: BM25 without the Q&A ranker's word vectors, src/qa/ranker.ts; the "before" column always has them)
import { parseArgs } from 'node:util';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { Bm25Index } from '../src/qa/bm25';
import { shippedTermVectors, type TermVectors } from '../src/qa/ranker';
import { indexFiles } from '../src/qa/retrieval';

const SKIP = new Set(['node_modules', '.git', 'out', 'dist', 'models', '.vscode-test']);

function textFiles(root: string, dir: string, out: Map<string, string>, limit: number, bytes = { n: 0 }): Map<string, string> {
  for (const e of readdirSync(path.join(root, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!SKIP.has(e.name)) textFiles(root, rel, out, limit, bytes);
    } else if (/\.(ts|js|mjs|py|go|rs|md|wgsl|json)$/.test(e.name) && statSync(path.join(root, rel)).size < 256 * 1024 && bytes.n < limit) {
      const text = readFileSync(path.join(root, rel), 'utf8');
      out.set(rel, text);
      bytes.n += text.length;
    }
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const time = (f: () => unknown) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

/** The heap in use after a full collection (run with --expose-gc; without it, the heap as it stands). */
function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function main(): void {
  const { values } = parseArgs({ options: { files: { type: 'string', default: '.' }, 'max-mb': { type: 'string', default: '16' }, ranker: { type: 'string', default: 'on' } } });
  const files = textFiles(values.files!, '', new Map(), Number(values['max-mb']) * 1e6);
  const chars = [...files.values()].reduce((n, t) => n + t.length, 0);
  const question = 'How does the RateLimiter decide whether to reject a call?';
  const runs = 7;
  // The ranker's vectors, read once (the "before" column's index uses them too).
  let shipped: TermVectors | undefined;
  const load = time(() => (shipped = shippedTermVectors()));
  // Before: ship the workspace, index it, search.
  const before = Array.from({ length: runs }, () => time(() => indexFiles(deserialize(serialize(files)) as Map<string, string>).search(question)));
  // After: the worker's index, synced with the files as they are (nothing changed / one file edited), then searched.
  const index = new Bm25Index({}, values.ranker === 'off' ? null : shipped);
  const heapBefore = heapMiB();
  const first = time(() => index.sync(files));
  // What the index holds (questions search every file the folder admits, up to MAX_SEARCH_CHARS).
  const indexHeapMiB = +(heapMiB() - heapBefore).toFixed(1);
  const unchanged = Array.from({ length: runs }, () => time(() => (index.sync(files), index.search(question))));
  const edited = [...files.keys()][files.size >> 1];
  const oneEdit = Array.from({ length: runs }, (_, i) => {
    const now = new Map(files).set(edited, `${files.get(edited)}\n// edit ${i}\n`);
    return time(() => (index.sync(now), index.search(question)));
  });
  const searchOnly = Array.from({ length: runs }, () => time(() => index.search(question)));
  const ms = (x: number) => +x.toFixed(2);
  console.log(JSON.stringify({ ranker: values.ranker, rankerLoadMs: ms(load), files: files.size, mchars: +(chars / 1e6).toFixed(2), beforeMs: ms(median(before)), firstIndexMs: ms(first), unchangedMs: ms(median(unchanged)), oneFileEditedMs: ms(median(oneEdit)), searchMs: ms(median(searchOnly)), indexHeapMiB, rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) }));
}

main();
