// Training pairs for the Q&A ranker's word vectors (training/qa_ranker.py): from the training
// corpus (JSONL files on stdin: {repo, path, split, text}), each documented function, method or class
// as a question (its doc comment's first paragraph) and the code that answers it (the definition
// without its doc), both as the terms Q&A retrieval indexes (src/qa/terms.ts). Only `split: "train"`.
//   xz -dc training/data/shards/shard-01.jsonl.xz | node out/bench/qa-ranker-pairs.js > pairs-01.jsonl
import { createInterface } from 'node:readline';
import { findDefinitions } from '../src/code/definitions';
import { languageOf } from '../src/code/language';
import { terms } from '../src/qa/terms';

/** Most pairs from one repository, so a few huge ones do not teach their own vocabulary alone. */
const PER_REPO = 1500;
/** Most code lines of one definition (a passage is at most 40). */
const CODE_LINES = 40;

const perRepo = new Map<string, number>();
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  let file: { repo: string; path: string; split?: string; text: string };
  try {
    file = JSON.parse(line);
  } catch {
    return;
  }
  if (file.split !== 'train') return;
  const language = languageOf(file.path);
  if (language === 'other' || file.text.length > 400_000) return;
  const lines = file.text.split('\n');
  for (const d of findDefinitions(file.text, language)) {
    if (!d.doc || d.doc.split(/\s+/).length < 4) continue;
    const n = perRepo.get(file.repo) ?? 0;
    if (n >= PER_REPO) break;
    // The signature, then the body after a Python docstring (or after the signature elsewhere).
    const from = d.codeLine ?? d.line + 1;
    const body = lines.slice(from - 1, Math.min(d.endLine, from - 1 + CODE_LINES));
    const code = [lines[d.line - 1], ...body].join('\n');
    const q = terms(d.doc);
    const c = terms(`${file.path}\n${code}`);
    if (q.length < 3 || c.length < 3) continue;
    perRepo.set(file.repo, n + 1);
    process.stdout.write(JSON.stringify({ r: file.repo, q, c }) + '\n');
  }
});
