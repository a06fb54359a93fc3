// What a stale copy costs completions. An edit of a file far back in the workspace's order leaves
// the file's old copy in place (src/workspace/context.ts, tailTokens) until the idle rebuild, where
// it used to re-run everything after it with the file left out. So while a user types in such a
// file, the state holds an old version of it instead of nothing. Setting b of `samba eval` (the
// workspace state, the active file out of it) against the same with the active file's old copy
// in place: its text without the lines being completed (they are what the user is writing).
// usage: node out/bench/stale-copy.js --repo DIR [--model DIR] [--backend auto|gpu|cpu] [--targets 40] [--seed 0]
import { cliArgs } from '../src/cli-args';
import { loadModel } from '../src/model/load';
import { loadTokenizer } from '../src/model/tokenizer';
import { createEngine, type Backend } from '../src/backend/create';
import { createDecoder } from '../src/backend/decoder';
import { CompletionPath, RepoWorkspace, sampleCompletionTargets, score, type CompletionTarget, type Score, type TargetWorkspace } from '../src/eval/completion';
import { WorkspaceContext } from '../src/workspace/context';

const USAGE = 'usage: node out/bench/stale-copy.js --repo DIR [--model DIR] [--backend auto|gpu|cpu] [--targets 40] [--seed 0]';

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    repo: { type: 'string' },
    model: { type: 'string', default: 'models/default' },
    backend: { type: 'string', default: 'auto', choices: ['auto', 'gpu', 'cpu'] },
    targets: { type: 'int', default: 40, min: 1, max: 10_000 },
    seed: { type: 'int', default: 0, min: 0, max: 2 ** 31 },
  });
  if (!values.repo) throw new Error(USAGE);
  const model = await loadModel(values.model!);
  const engine = await createEngine(model, { backend: values.backend as Backend });
  const tokenizer = await loadTokenizer(model.dir, model.config.vocabSize);
  const decoder = await createDecoder(engine, model);
  const ws = await RepoWorkspace.open(values.repo, engine, tokenizer);
  const path = new CompletionPath(engine, decoder, tokenizer);
  const targets = sampleCompletionTargets(ws.name, ws.files, Number(values.targets), Number(values.seed));
  const byFile = new Map<string, CompletionTarget[]>();
  for (const t of targets) byFile.set(t.path, [...(byFile.get(t.path) ?? []), t]);
  const rows: { target: CompletionTarget; b: Score; stale: Score }[] = [];
  const t0 = performance.now();
  for (const [file, ts] of byFile) {
    // b: the extension's context with `file` active (out of the chain).
    const b = await ws.open(file);
    const bScores: Score[] = [];
    for (const t of ts) bScores.push(score(t, await path.completeAt(t, 'b', b)));
    b.dispose();
    // stale: every file in its order with no file active, `file` as its old copy.
    const cut = new Set(ts.map((t) => t.line));
    const files = ws.files.map((f) => (f.path === file ? { path: f.path, text: f.text.split('\n').filter((_, i) => !cut.has(i)).join('\n') } : f));
    const texts = new Map(files.map((f) => [f.path, f.text]));
    const ctx = new WorkspaceContext({ engine, tokenizer, read: async (p) => texts.get(p) });
    await ctx.open(files);
    const stale: TargetWorkspace = { ready: ctx.ready()!, files: texts, paths: files.map((f) => f.path) };
    for (const [i, t] of ts.entries()) rows.push({ target: t, b: bScores[i], stale: score(t, await path.completeAt(t, 'b', stale)) });
    ctx.dispose();
    console.error(`${file}: ${ts.length} targets (${rows.length}/${targets.length}, ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const mean = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0) / rows.length;
  const summary = {
    repo: ws.name,
    model: model.dir,
    device: engine.deviceName,
    targets: rows.length,
    exact: { b: mean((r) => +r.b.exact), stale: mean((r) => +r.stale.exact) },
    editSim: { b: mean((r) => r.b.editSim), stale: mean((r) => r.stale.editSim) },
    samePrediction: mean((r) => +(r.b.predicted === r.stale.predicted)),
    better: rows.filter((r) => r.stale.editSim > r.b.editSim).length,
    worse: rows.filter((r) => r.stale.editSim < r.b.editSim).length,
  };
  console.log(JSON.stringify(summary));
  ws.close();
  await engine.dispose();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
