// usage (from the repository root, after npm run build): node bench/results/2026-12-07-stop67-release/writing-walk.js FOLDER FILE LINE LINES_FILE [ROUNDS]
// ROOT=another checkout runs its build; PROF=FILE writes a CPU profile from the second request on; COUNT=1 counts engine calls per request.
// Writes a body line by line through ModelSession as the extension does: Enter (line break + indent), ask, then type the true line.
const { ModelSession } = require((process.env.ROOT || process.cwd()) + '/out/src/worker/session.js');
const fs = require('fs'), path = require('path');
const [repo, file, lineArg, linesFile, rounds] = process.argv.slice(2);
const LIMITS = { maxTokens: 64, lineBudgetMs: 500, deadlineMs: 2000 };
(async () => {
  const { CompletionPipeline } = require((process.env.ROOT || process.cwd()) + '/out/src/completion/pipeline.js');
  const { buildContextBlock } = require((process.env.ROOT || process.cwd()) + '/out/src/completion/context-block.js');
  const counts = {};
  const wrap = (e) => new Proxy(e, { get(t, k) { const v = t[k]; if (typeof v !== 'function') return v; return (...a) => { const key = k === 'prefill' ? `prefill${a[0].length > 8 ? '>8' : a[0].length}` : String(k); counts[key] = (counts[key] || 0) + 1; return v.apply(t, a); }; } });
  const session = new ModelSession({}, process.env.COUNT ? { completer: (e, d, t) => new CompletionPipeline(wrap(e), d, t, { selectBlock: buildContextBlock }) } : {});
  const s = await session.load({ modelDir: (process.env.ROOT || process.cwd()) + '/models/default', backend: 'cpu' });
  console.error(s.deviceName, s.decoder);
  await session.open({ root: repo, filter: {}, budgetTokens: 196608, activePath: file });
  session.setActive(file);
  const truth = fs.readFileSync(linesFile, 'utf8').split('\n').filter((l) => l.trim());
  const inspector = require('inspector'); const ins = new inspector.Session(); ins.connect();
  const post = (m, p) => new Promise((res, rej) => ins.post(m, p || {}, (e, r) => (e ? rej(e) : res(r))));
  if (process.env.PROF) { await post('Profiler.enable'); } const startProf = async () => { if (!process.env.PROF) return; await post('Profiler.setSamplingInterval', { interval: 100 }); await post('Profiler.start'); };
  for (let round = 0; round < Number(rounds || 1); round++) {
    let doc = fs.readFileSync(path.join(repo, file), 'utf8');
    const lines = doc.split('\n');
    const L = Number(lineArg); // 1-based line whose end the cursor starts at
    let at = lines.slice(0, L).join('\n').length;
    const req = (at) => { const start = Math.max(0, at - 12000); return { path: file, prefix: doc.slice(start, at), suffix: doc.slice(at, at + 4000), prefixOffset: start, line: doc.slice(0, at).split('\n').length - 1, useBlock: true, ...LIMITS }; };
    await session.readAhead(req(at));
    const times = [];
    for (const t of truth) {
      const indent = /^\s*/.exec(t)[0];
      doc = doc.slice(0, at) + '\n' + indent + doc.slice(at); at += 1 + indent.length;
      session.update([{ kind: 'edit', path: file, text: doc }]);
      const t0 = performance.now();
      const r = await session.complete(req(at));
      const ms = performance.now() - t0;
      times.push(ms); if (times.length === 1) await startProf();
      const c = JSON.stringify(counts); for (const k in counts) delete counts[k];
      console.log(`${c} ${Math.round(ms)} ms prefilled ${r.prefilled} generated ${r.generated} ${JSON.stringify(r.text)} ${r.text === t.trimStart() ? 'RIGHT' : ''}`);
      const rest = t.slice(indent.length);
      doc = doc.slice(0, at) + rest + doc.slice(at); at += rest.length;
      session.update([{ kind: 'edit', path: file, text: doc }]);
    }
    times.sort((a, b) => a - b);
    console.log('round', round, 'median', Math.round(times[times.length >> 1]), 'sum', Math.round(times.reduce((a, b) => a + b)));
  }
  if (process.env.PROF) { const { profile } = await post('Profiler.stop'); fs.writeFileSync(process.env.PROF, JSON.stringify(profile)); }
  await session.dispose();
})().catch((e) => { console.error(e); process.exit(1); });
