// usage (from the repository root, after npm run build): node bench/results/2026-12-07-stop68-walk/walk.js FOLDER FILE LINE LINES_FILE [ROUNDS]
// Writes a body line by line through ModelSession as the extension does (Enter and the line's indentation, ask, then
// the true line typed) and says per request where the time went: the pipeline's stages and each engine call kind's
// count and time (a proxy around the engine; microseconds per call). Stop 67's writing-walk.js folded in (the same loop).
// BACKEND=cpu|gpu (default cpu), CANDS=N candidates, MINSCORE=likely|sure (the extension's threshold while typing),
// PROF=FILE a CPU profile from the second request on, ROOT=another checkout's build, MODEL_DIR=a model folder.
const root = process.env.ROOT || process.cwd();
const { ModelSession } = require(root + '/out/src/worker/session.js');
const { CompletionPipeline } = require(root + '/out/src/completion/pipeline.js');
const { buildContextBlock } = require(root + '/out/src/completion/context-block.js');
const { MIN_SCORE } = require(root + '/out/src/completion/confidence.js');
const fs = require('fs'), path = require('path');
const [repo, file, lineArg, linesFile, rounds] = process.argv.slice(2);
const OPTIONS = { maxTokens: 64, lineBudgetMs: 500, deadlineMs: 2000, ...(process.env.MINSCORE ? { minScore: MIN_SCORE[process.env.MINSCORE] } : {}), ...(process.env.CANDS ? { candidates: Number(process.env.CANDS) } : {}) };
(async () => {
  const calls = {};
  const timed = (e) => new Proxy(e, { get(t, k) { const v = t[k]; if (typeof v !== 'function') return v; return (...a) => {
    const key = k === 'prefill' ? `prefill${a[0].length > 16 ? '>16' : a[0].length > 1 ? '2-16' : '1'}${a[2] && a[2].logProbsOf ? '+lp' : ''}` : String(k);
    const c = (calls[key] = calls[key] || { n: 0, ms: 0 }); c.n++;
    const t0 = performance.now(); const r = v.apply(t, a);
    if (r && typeof r.then === 'function') return r.then((x) => { c.ms += performance.now() - t0; return x; });
    c.ms += performance.now() - t0; return r; }; } });
  let stages;
  const session = new ModelSession({}, { completer: (e, d, t) => { const p = new CompletionPipeline(timed(e), d && timed(d), t, { selectBlock: buildContextBlock }); const c = p.complete.bind(p); p.complete = async (r) => { const x = await c(r); stages = x.stageMs; return x; }; return p; } });
  const s = await session.load({ modelDir: process.env.MODEL_DIR || root + '/models/default', backend: process.env.BACKEND || 'cpu' });
  console.log('device', s.deviceName, 'decoder', s.decoder);
  await session.open({ root: repo, filter: {}, budgetTokens: 196608, activePath: file });
  session.setActive(file);
  const truth = fs.readFileSync(linesFile, 'utf8').split('\n').filter((l) => l.trim());
  const inspector = require('inspector'); const ins = new inspector.Session(); ins.connect();
  const post = (m, p) => new Promise((res, rej) => ins.post(m, p || {}, (e, r) => (e ? rej(e) : res(r))));
  if (process.env.PROF) await post('Profiler.enable');
  const startProfile = async () => { if (process.env.PROF) { await post('Profiler.setSamplingInterval', { interval: 100 }); await post('Profiler.start'); } };
  for (let round = 0; round < Number(rounds || 1); round++) {
    let doc = fs.readFileSync(path.join(repo, file), 'utf8');
    let at = doc.split('\n').slice(0, Number(lineArg)).join('\n').length; // the end of line LINE (1-based)
    const req = (at) => { const start = Math.max(0, at - 12000); return { path: file, prefix: doc.slice(start, at), suffix: doc.slice(at, at + 4000), prefixOffset: start, line: doc.slice(0, at).split('\n').length - 1, useBlock: true, ...OPTIONS }; };
    await session.readAhead(req(at));
    const times = [];
    for (const t of truth) {
      const indent = /^\s*/.exec(t)[0];
      doc = doc.slice(0, at) + '\n' + indent + doc.slice(at); at += 1 + indent.length;
      session.update([{ kind: 'edit', path: file, text: doc }]);
      for (const k in calls) delete calls[k];
      const t0 = performance.now();
      const r = await session.complete(req(at));
      const ms = performance.now() - t0;
      times.push(ms);
      if (times.length === 1 && round === 0) await startProfile();
      const c = Object.entries(calls).map(([k, v]) => `${k}:${v.n}/${Math.round(v.ms)}`).join(' ');
      const st = stages ? Object.entries(stages).map(([k, v]) => `${k}=${Math.round(v)}`).join(' ') : '';
      console.log(`${Math.round(ms)} ms | ${st} | ${c} | pre ${r.prefilled} gen ${r.generated} ${JSON.stringify(r.text)} ${r.text === t.trimStart() ? 'RIGHT' : ''}`);
      const rest = t.slice(indent.length);
      doc = doc.slice(0, at) + rest + doc.slice(at); at += rest.length;
      session.update([{ kind: 'edit', path: file, text: doc }]);
    }
    times.sort((a, b) => a - b);
    console.log('round', round, 'median', Math.round(times[times.length >> 1]), 'sum', Math.round(times.reduce((a, b) => a + b)));
  }
  if (process.env.PROF) fs.writeFileSync(process.env.PROF, JSON.stringify((await post('Profiler.stop')).profile));
  await session.dispose();
})().catch((e) => { console.error(e); process.exit(1); });
