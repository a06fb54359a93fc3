// A user writing a new function: the signature typed, Enter after its `{` (the editor has closed the
// brace below), a suggestion for the body. For functions of real repositories (TypeScript,
// JavaScript, Go), the body is taken out and the completion pipeline asked there, as the inline
// provider asks (setting a: the file alone; 64 tokens; no line budget, as on a GPU). Each line the
// model wrote is scored (log p of the line, CompletionPipeline's lineLogProbs), and the suggestion is
// compared with the body line by line: lines shown, lines right before the first wrong one, lines
// wrong, when every line is shown and when the suggestion is cut before its first line (after the
// first) scored below a threshold. Only suggestions whose first line typing shows count
// (samba.completions.confidence "likely").
// --walk writes each body from the top instead, line by line as a user does (the lines above typed,
// the brace below): at each line start a suggestion is asked, and one whose first line typing shows
// is right or not. `--log` prints each one shown, with its line's log-probability. (Stop 59 used it to try holding back a suggestion
// typed over a few lines above; bench/RESULTS.md.)
// usage: node dist/function-bodies.js [--model DIR] [--backend cpu|gpu] [--per-repo N] [--seed N] [--walk [--log]] REPO_DIR...
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { cliArgs } from '../src/cli-args';
import { loadModel } from '../src/model/load';
import { loadTokenizer } from '../src/model/tokenizer';
import { createEngine, type Backend } from '../src/backend/create';
import { createDecoder } from '../src/backend/decoder';
import { CompletionPipeline } from '../src/completion/pipeline';
import { cutUnsureLines, firstLineSure, MIN_LATER_LINE_LOG_PROB, MIN_SCORE } from '../src/completion/confidence';
import { postprocess } from '../src/completion/postprocess';
import { findDefinitions } from '../src/code/definitions';
import { languageOf } from '../src/code/language';
import { seededRandom } from '../src/engine/sampling';

const USAGE = 'usage: node dist/function-bodies.js [--model DIR] [--backend cpu|gpu|auto] [--per-repo N] [--seed N] [--walk [--log]] REPO_DIR...';
const { values, positionals } = cliArgs(
  USAGE,
  {
    model: { type: 'string', default: 'models/default' },
    backend: { type: 'string', default: 'cpu', choices: ['auto', 'gpu', 'cpu'] },
    'per-repo': { type: 'int', default: 40, min: 1, max: 100_000 },
    seed: { type: 'int', default: 1, min: 0, max: 2 ** 31 },
    walk: { type: 'boolean', default: false },
    log: { type: 'boolean', default: false },
  },
  process.argv.slice(2),
  true,
);
const CUTS = [-Infinity, -6, -4, -3, MIN_LATER_LINE_LOG_PROB, -1, -0.5, Infinity];

/** `body`: the lines taken out, as the file has them (blank ones too). */
interface Target { repo: string; path: string; line: number; prefix: string; suffix: string; body: string[] }

function files(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) files(p, out);
    else if (/\.(ts|js|go)$/.test(e) && !e.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Functions whose body (2-12 lines) sits between a line ending in `{` and one starting with `}`. */
function targets(dir: string, perRepo: number, random: () => number): Target[] {
  const all: Target[] = [];
  for (const file of files(dir)) {
    const rel = path.relative(dir, file).split(path.sep).join('/');
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    for (const d of findDefinitions(text, languageOf(rel))) {
      if (d.kind === 'class') continue;
      const opener = lines.slice(d.line - 1, d.line + 4).findIndex((l) => l.trimEnd().endsWith('{'));
      if (opener < 0) continue;
      const open = d.line - 1 + opener;
      const close = d.endLine - 1;
      const body = lines.slice(open + 1, close);
      if (!lines[close]?.trim().startsWith('}') || body.length < 2 || body.length > 12 || !body[0].trim()) continue;
      const indent = /^[ \t]*/.exec(body[0])![0];
      all.push({ repo: path.basename(dir), path: rel, line: open + 2, prefix: `${lines.slice(0, open + 1).join('\n')}\n${indent}`, suffix: `\n${lines.slice(close).join('\n')}`, body });
    }
  }
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, perRepo);
}

async function main(): Promise<void> {
  const model = await loadModel(values.model);
  const tokenizer = await loadTokenizer(values.model, model.config.vocabSize);
  const engine = await createEngine(model, { backend: values.backend as Backend });
  const decoder = await createDecoder(engine, model);
  // A body from its signature is about several lines: asked for on the CPU too (autoSeveralLines); --walk asks as the extension does.
  const pipeline = new CompletionPipeline(engine, decoder, tokenizer, { cache: false, ...(values.walk ? {} : { severalLines: true }) });
  const random = seededRandom(values.seed);
  if (values.walk) return walk(pipeline, random, engine.backend).finally(() => decoder?.dispose());
  const sums = CUTS.map(() => ({ shown: 0, right: 0, wrong: 0, allRight: 0 }));
  let asked = 0;
  let firstShown = 0;
  let firstRightAsked = 0;
  const t0 = performance.now();
  for (const dir of positionals) {
    for (const t of targets(dir, values['per-repo'], random)) {
      const r = await pipeline.complete({ path: t.path, prefix: t.prefix, suffix: t.suffix, limits: { maxTokens: 64 } });
      const body = t.body.map((l) => l.trim()).filter(Boolean);
      asked++;
      const first = (r.text ?? '').split('\n').map((l) => l.trim()).find(Boolean);
      if (first === body[0]) firstRightAsked++;
      if (r.text === undefined || !firstLineSure(r, MIN_SCORE.likely)) continue;
      firstShown++;
      CUTS.forEach((cut, k) => {
        // What the pipeline shows with later lines cut at `cut` (its stages 7 and 8, the same functions).
        const text = postprocess({ completion: cutUnsureLines(r.raw, r.lineLogProbs, cut), prefix: t.prefix, suffix: t.suffix, language: languageOf(t.path) }) ?? '';
        const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
        let right = 0;
        while (right < lines.length && lines[right] === body[right]) right++;
        const s = sums[k];
        s.shown += lines.length;
        s.right += right;
        s.wrong += lines.length - right;
        s.allRight += lines.length > 0 && right === lines.length ? 1 : 0;
      });
    }
  }
  console.log(`the first line right in ${firstRightAsked} of ${asked} asked (shown or not)`);
  console.log(`${asked} function bodies asked, ${firstShown} suggestions whose first line typing shows ("likely"), ${((performance.now() - t0) / 1000).toFixed(0)} s on ${engine.backend}`);
  console.log('| later lines cut below | lines shown | right (before the first wrong) | wrong | suggestions wholly right |');
  console.log('|---|---|---|---|---|');
  CUTS.forEach((cut, k) => console.log(`| ${cut === -Infinity ? 'never' : cut === Infinity ? 'always (the first line alone)' : cut} | ${sums[k].shown} | ${sums[k].right} | ${sums[k].wrong} | ${sums[k].allRight} of ${firstShown} |`));
  await decoder?.dispose();
}

/** Each body written from the top: at every line start that is not blank, what typing shows ("likely"), and whether its first line is the line written there. */
async function walk(pipeline: CompletionPipeline, random: () => number, backend: string): Promise<void> {
  const t0 = performance.now();
  let bodies = 0;
  let starts = 0;
  let shown = 0;
  let right = 0;
  for (const dir of positionals) {
    for (const t of targets(dir, values['per-repo'], random)) {
      bodies++;
      const head = t.prefix.slice(0, t.prefix.lastIndexOf('\n') + 1);
      for (let i = 0; i < t.body.length; i++) {
        const line = t.body[i];
        if (line.trim() === '') continue;
        starts++;
        // The lines above written, the cursor after this line's indentation.
        const prefix = head + t.body.slice(0, i).map((l) => `${l}\n`).join('') + /^[ \t]*/.exec(line)![0];
        const r = await pipeline.complete({ path: t.path, prefix, suffix: t.suffix, limits: { maxTokens: 64 } });
        const first = (r.text ?? '').split('\n').map((l) => l.trim()).find(Boolean);
        if (!first || !firstLineSure(r, MIN_SCORE.likely)) continue;
        const isRight = first === line.trim();
        shown++;
        if (isRight) right++;
        if (values.log) console.error(`${t.repo}/${t.path}:${t.line + i} (body line ${i + 1} of ${t.body.length}) ${isRight ? 'right' : 'wrong'}: ${JSON.stringify(first)} (line ${r.lineLogProb?.toFixed(2) ?? '-'}${r.leavesBlock ? ', leaves the block' : ''}${r.between ? ', between' : ''})`);
      }
    }
  }
  console.log(`${bodies} function bodies written from the top, ${starts} line starts asked, ${((performance.now() - t0) / 1000).toFixed(0)} s on ${backend}`);
  console.log(`${shown} shown ("likely"), the first line right in ${right} (${shown ? ((100 * right) / shown).toFixed(1) : '-'}%)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
