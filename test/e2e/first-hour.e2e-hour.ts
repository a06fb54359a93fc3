// The first hour of a new user, scripted, in a real VS Code (run by test/e2e/first-hour.mjs, which
// opens a copy of a real npm package the model was not trained on: @textlint/linter-formatter, MIT,
// its TypeScript sources, its build under lib/ with maps, README and LICENSE). Opens files, types in
// three, switches tabs, asks a question, summarizes a file, and writes the latencies it saw to the
// JSON file named by SAMBA_FIRST_HOUR_REPORT. Checks what the issue found broken: what the context
// reads, no completion on merely opening a file, a switch costs at most the files involved.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { SambaApi } from '../../src/extension';
import type { ContextReport } from '../../src/worker/protocol';

const report = () => vscode.commands.executeCommand<ContextReport | undefined>('samba.showContext');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const root = () => vscode.workspace.workspaceFolders![0].uri;

async function until<T>(get: () => PromiseLike<T | undefined>, ok: (x: T) => boolean, what: string, timeoutMs: number): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const x = await get();
    if (x !== undefined && ok(x)) return x;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

describe('first hour on a real package', function () {
  this.timeout(1_800_000);
  let api: SambaApi;
  const latencies: Record<string, unknown> = {};
  const open = (rel: string) => vscode.window.showTextDocument(vscode.Uri.joinPath(root(), ...rel.split('/')), { preview: false });

  before(async () => {
    api = (await vscode.extensions.getExtension('samba-code.samba-code')!.activate()) as SambaApi;
  });
  after(() => {
    if (process.env.SAMBA_FIRST_HOUR_REPORT) writeFileSync(process.env.SAMBA_FIRST_HOUR_REPORT, JSON.stringify(latencies, null, 2));
  });

  it('reads the sources, not the build, maps or license, and says why', async () => {
    const t0 = Date.now();
    const r = await until(report, (x) => x.ready && x.files.length > 0, 'the first read', 1_500_000);
    latencies.firstRead = { ms: Date.now() - t0, tokens: r.totalTokens, files: r.files.length, budget: r.budgetTokens, readMs: r.lastUpdate?.ms, tokensPerS: r.lastUpdate ? Math.round(r.totalTokens / (r.lastUpdate.ms / 1000)) : undefined };
    const paths = r.files.map((f) => f.path);
    const why = Object.fromEntries(r.skipped.map((s) => [s.path, s.reason]));
    // tsc's output in lib/ (a name that may hold sources elsewhere): left out by its source-map comment.
    assert.ok(!paths.some((p) => p.startsWith('lib/') || p.endsWith('.map')), `${paths}`);
    assert.ok(Object.keys(why).some((p) => p.startsWith('lib/') && why[p] === 'build output'), JSON.stringify(why));
    assert.ok(Object.keys(why).some((p) => p.endsWith('.map') && why[p] === 'source map'), JSON.stringify(why));
    // Under the budget, sources first: a source is left out only if every doc and license is out too.
    const over = r.overBudget;
    if (over.some((p) => p.startsWith('src/'))) assert.ok(!paths.includes('LICENSE') && !paths.includes('README.md'), `sources left out while docs are in: ${paths}`);
    latencies.context = { files: paths, overBudget: over };
  });

  it('opening files asks for no completion', async () => {
    const before = api.completions().length;
    await open('src/formatters/compact.ts');
    await open('src/formatters/unix.ts');
    await sleep(4000);
    assert.equal(api.completions().length, before, 'a completion ran on opening a file');
  });

  it('types in three files and gets completions where it types', async () => {
    const typed: { file: string; ms: number; prefilled: number; shown: boolean; unsure?: boolean; typedAlong?: boolean }[] = [];
    for (const file of ['src/formatters/compact.ts', 'src/formatters/unix.ts', 'src/index.ts']) {
      const editor = await open(file);
      const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
      editor.selection = new vscode.Selection(end, end);
      // What was typed since the last suggestion shown in this file: while it is a start of that
      // suggestion, the editor keeps showing the rest and asks the model nothing.
      let shown: string | undefined;
      let since = '';
      for (const text of ['\n', 'export function ', 'format']) {
        const n = api.completions().length;
        await vscode.commands.executeCommand('type', { text });
        since += text;
        if (shown !== undefined && shown.startsWith(since)) {
          typed.push({ file, ms: 0, prefilled: 0, shown: true, typedAlong: true });
          continue;
        }
        // The editor asks by itself after typing; wait for the answer.
        const got = await until(async () => api.completions(), (c) => c.length > n, `a completion after typing in ${file}`, 180_000).catch(() => undefined);
        const c = got?.at(-1);
        if (c) typed.push({ file, ms: Math.round(c.ms), prefilled: c.prefilled, shown: c.shown, ...(c.unsure ? { unsure: true } : {}) });
        if (c?.shown) [shown, since] = [c.text, ''];
      }
    }
    latencies.completions = typed;
    const ms = typed.filter((t) => !t.typedAlong).map((t) => t.ms).sort((a, b) => a - b);
    latencies.completionMs = { n: ms.length, p50: ms[Math.floor(ms.length / 2)], max: ms.at(-1) };
    assert.ok(typed.filter((t) => !t.typedAlong).length >= 3, `completions after typing: ${JSON.stringify(typed)}`);
  });

  it('where the cursor rests, the prompt is read ahead: the first suggestion there runs only a few prompt tokens', async () => {
    await until(report, (x) => x.ready && x.pendingChanges === 0, 'the context to settle', 600_000);
    await open('src/formatters/tap.ts');
    // The switch brings the file edited before back into the context; a new state makes the worker
    // read its last place again, which would replace the read this test waits for.
    await sleep(1000);
    await until(report, (x) => x.ready && x.pendingChanges === 0, 'the switch to be read', 600_000);
    // The context view (samba.showContext) took the editor's place: back to the file.
    const editor = await open('src/formatters/tap.ts');
    const line = Math.min(20, editor.document.lineCount - 1);
    const end = editor.document.lineAt(line).range.end;
    const since = Date.now();
    editor.selection = new vscode.Selection(end, end);
    const read = await until(async () => api.readAheads(), (r) => r.some((x) => x.at >= since && x.path === 'src/formatters/tap.ts' && x.line === line && x.outcome === 'read'), 'the read-ahead at the cursor', 300_000);
    // The rest can be reported twice (the selection set, then the editor's focus); the second read
    // finds the prompt already read and runs nothing, so the read that ran the most tokens counts.
    const ahead = read.filter((x) => x.at >= since && x.path === 'src/formatters/tap.ts' && x.line === line && x.outcome === 'read').reduce((a, b) => (b.prefilled > a.prefilled ? b : a));
    const n = api.completions().length;
    await vscode.commands.executeCommand('type', { text: '\n' });
    const got = await until(async () => api.completions(), (c) => c.length > n, 'a completion after Enter', 180_000);
    const c = got.at(-1)!;
    latencies.readAhead = { readMs: Math.round(ahead.ms), readTokens: ahead.prefilled, completionMs: Math.round(c.ms), prefilled: c.prefilled };
    assert.ok(ahead.prefilled > 20, `the read-ahead ran ${ahead.prefilled} prompt tokens`);
    assert.ok(c.prefilled <= 8, `after the read-ahead, Enter prefilled ${c.prefilled} tokens (the read ran ${ahead.prefilled})`);
  });

  it('switching tabs back and forth re-reads at most the files involved', async () => {
    const r0 = await until(report, (x) => x.ready, 'the edits to be read', 1_500_000);
    const cost = (p: string) => r0.files.find((f) => f.path === p)?.tokens ?? 0;
    const t0 = Date.now();
    await open('src/formatters/compact.ts');
    await open('src/formatters/unix.ts');
    await open('src/formatters/compact.ts');
    const r1 = await until(report, (x) => x.ready && x.pendingChanges === 0, 'the switches', 600_000);
    const spent = r1.prefilledTokens - r0.prefilledTokens;
    latencies.switch = { tokens: spent, ms: Date.now() - t0 };
    // index.ts (edited, active before) comes back; the two switched-to files cost at most themselves.
    const bound = r1.files.filter((f) => ['src/index.ts', 'src/formatters/compact.ts', 'src/formatters/unix.ts'].includes(f.path)).reduce((s, f) => s + f.tokens, 0) + cost('src/index.ts');
    assert.ok(spent <= bound, `switching re-ran ${spent} tokens; the files involved have ${bound}`);
  });

  it('asks a question and summarizes a file', async () => {
    let t0 = Date.now();
    const a = await vscode.commands.executeCommand<{ text: string; stopped: string; sources: unknown[] }>('samba.qa.ask', 'Which formatter prints one line per message?');
    latencies.question = { ms: Date.now() - t0, chars: a?.text.length, stopped: a?.stopped, sources: a?.sources.length };
    assert.ok(a && a.text.length > 0);
    await open('src/formatters/unix.ts');
    t0 = Date.now();
    const s = await vscode.commands.executeCommand<{ text: string; cancelled: boolean }>('samba.summarizeFile');
    latencies.summary = { ms: Date.now() - t0, chars: s?.text.length };
    assert.ok(s && !s.cancelled && s.text.length > 0);
  });
});
