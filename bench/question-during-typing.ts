// What a first question over a large folder costs a completion asked while it is retrieved. The
// model worker (real process, the embedded model) opens FOLDER with a small token budget (the
// question index still covers every file the folder admits, src/workspace/files.ts), warms a
// completion at PATH's end, then asks a question and, DELAY_MS later, a completion at the same
// place; the completion's time from its request to its result is reported, beside the same
// completion asked with no question running. Rounds alternate: a new worker for each round (the
// first question indexes the folder).
// usage: node out/bench/question-during-typing.js --folder DIR --path REL [--budget 4096] [--delay 50] [--rounds 3] [--backend cpu]
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ModelWorkerClient } from '../src/worker/client';

const { values } = parseArgs({
  options: {
    folder: { type: 'string', default: '.' },
    path: { type: 'string', default: 'src/extension.ts' },
    budget: { type: 'string', default: '4096' },
    delay: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    backend: { type: 'string', default: 'cpu' },
    model: { type: 'string', default: 'models/default' },
  },
});

async function round(): Promise<{ alone: number; duringQuestion: number; questionMs: number }> {
  const client = new ModelWorkerClient(() => undefined);
  try {
    await client.request('load', { modelDir: path.resolve(values.model!), backend: values.backend as 'cpu' });
    await client.request('open', { root: path.resolve(values.folder!), filter: {}, budgetTokens: Number(values.budget) });
    await client.request('whenIdle', null);
    const text = readFileSync(path.join(values.folder!, values.path!), 'utf8');
    const req = { path: values.path!, prefix: `${text}\n`, suffix: '', maxTokens: 16, lineBudgetMs: 400, deadlineMs: 5000 };
    const timed = async () => {
      const t0 = performance.now();
      await client.request('complete', req);
      return performance.now() - t0;
    };
    await timed(); // the prompt read once
    const alone = await timed();
    const t0 = performance.now();
    const asked = client.request('assistAsk', { id: 1, question: 'Where is the retry delay computed?', history: [], options: { maxTokens: 1 } }).then(() => performance.now() - t0);
    await new Promise((r) => setTimeout(r, Number(values.delay)));
    const duringQuestion = await timed();
    return { alone, duringQuestion, questionMs: await asked };
  } finally {
    client.terminate();
  }
}

async function main(): Promise<void> {
  for (let i = 0; i < Number(values.rounds); i++) {
    const r = await round();
    console.log(JSON.stringify({ folder: values.folder, budget: Number(values.budget), aloneMs: Math.round(r.alone), duringQuestionMs: Math.round(r.duringQuestion), questionMs: Math.round(r.questionMs) }));
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
