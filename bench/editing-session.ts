// Replays a scripted editing session on a real file through the model worker's completion path
// (ModelSession.complete, in process: the worker's pipe is left out) and reports keystroke-to-
// suggestion p50/p95 and the tokens each kind of edit prefilled. The session: the workspace of a
// real repository read first, then typing a few words, auto-closed brackets and quotes, Enter,
// moves 5-30 lines up and down in the same file, typing again, then fresh lines opened at the end of
// lines, where the cursor's line is chosen among candidates (about 90 requests). Each request is
// what the inline provider sends: 12,000 characters before the cursor, 4,000 after, the default
// limits (64 tokens, line budget 500 ms, deadline 2 s); its debounce (120 ms) is not counted.
// --layout both replays it twice in one run: "before" is main's suffix-first prompt
// (bench/legacy-completion.ts, through the same ModelSession), "after" is the pipeline (its default layout, src/prompt/fim.ts DEFAULT_LAYOUT).
// --candidates 1,4 replays the pipeline once per candidate count (src/completion/rerank.ts).
// --read-ahead both replays the pipeline without and with the cursor resting before each request at
// a new place (the first, and each move): the worker reads that place's prompt ahead (ModelSession.readAhead,
// as the inline provider asks after 400 ms at rest), awaited, and its time reported apart.
// usage: node dist/editing-session.js [--model DIR] [--backend gpu|cpu] [--repo DIR] [--file REL]
//          [--line N] [--budget TOKENS] [--layout both|new|old] [--block on|off] [--block-tokens N]
//          [--follow-line auto|on|off] [--candidates N,...]
//          [--read-ahead off|on|both] [--visit FILE] [--line-snapshots RECENT,SPARSE]
// --line-snapshots 32,16 keeps a snapshot at each of the prompt window's last 32 line starts and every
// 16th before them (default: every 8th and no recent ones, RECENT_LINES and SPARSE_LINES in src/completion/prompt.ts).
// --visit FILE looks at FILE (a request at one of its lines) three times during the session and comes
// back (a request on the line below where the cursor was): kinds `visit` and `back`, left out of the session's p50 / p95.
import { cliArgs } from '../src/cli-args';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ModelSession } from '../src/worker/session';
import type { CompletionRequest } from '../src/worker/protocol';
import type { Backend } from '../src/backend/create';
import { LegacyCompleter } from './legacy-completion';
import { DEFAULT_LAYOUT, REQUEST_AFTER_CHARS as SUFFIX_CHARS, REQUEST_BEFORE_CHARS as PREFIX_CHARS } from '../src/prompt/fim';

const LIMITS = { maxTokens: 64, lineBudgetMs: 500, deadlineMs: 2000 }; // src/ui/settings.ts defaults

type Kind = 'first' | 'type' | 'auto-close' | 'enter' | 'move' | 'new-line' | 'visit' | 'back';
interface Event {
  readonly kind: Kind;
  readonly ms: number;
  readonly prefilled: number;
  readonly generated: number;
  readonly shown: boolean;
  /** The read-ahead before it (the cursor rested at a new place), ms; absent: none. */
  readonly readAheadMs?: number;
}

/** The editor: a document and a cursor; each edit is followed by one completion request. */
class Replay {
  readonly events: Event[] = [];
  constructor(
    private readonly session: ModelSession,
    private readonly file: string,
    private doc: string,
    private at: number,
    private readonly useBlock: boolean,
    private readonly candidates: number | undefined,
    private readonly readAhead = false,
    /** Another file of the repository, looked at and left (`visit`): its path and text. */
    private readonly other?: { readonly path: string; readonly text: string },
  ) {}

  private line(doc = this.doc, at = this.at): number {
    return doc.slice(0, at).split('\n').length - 1;
  }

  private async request(kind: Kind, where?: { path: string; doc: string; at: number }): Promise<void> {
    const { path: file, doc, at } = where ?? { path: this.file, doc: this.doc, at: this.at };
    const start = Math.max(0, at - PREFIX_CHARS);
    const req: CompletionRequest = {
      path: file,
      prefix: doc.slice(start, at),
      suffix: doc.slice(at, at + SUFFIX_CHARS),
      prefixOffset: start,
      line: this.line(doc, at),
      useBlock: this.useBlock,
      candidates: this.candidates,
      ...LIMITS,
    };
    let readAheadMs: number | undefined;
    if (this.readAhead && (kind === 'first' || kind === 'move' || kind === 'visit')) {
      const t = performance.now();
      await this.session.readAhead(req);
      readAheadMs = performance.now() - t;
    }
    const t0 = performance.now();
    const r = await this.session.complete(req);
    this.events.push({ kind, ms: performance.now() - t0, prefilled: r.prefilled, generated: r.generated, shown: r.text !== undefined, ...(readAheadMs === undefined ? {} : { readAheadMs }) });
    process.stderr.write(`${this.events.length} ${kind} ${Math.round(performance.now() - t0)} ms, ${r.prefilled} prefilled\n`);
  }

  /** The host reports the unsaved text, then the provider asks. */
  private async edit(kind: Kind, insert: string, cursorAfter = insert.length): Promise<void> {
    this.doc = this.doc.slice(0, this.at) + insert + this.doc.slice(this.at);
    this.at += cursorAfter;
    this.session.update([{ kind: 'edit', path: this.file, text: this.doc }]);
    await this.request(kind);
  }

  async first(): Promise<void> {
    await this.request('first');
  }

  async type(s: string): Promise<void> {
    for (const ch of s) await this.edit('type', ch);
  }

  /** An opener typed, its closer added by the editor: the cursor between them. */
  async autoClose(pair: string): Promise<void> {
    await this.edit('auto-close', pair, 1);
  }

  /** Over the closer the editor added (typing it steps over it). */
  async stepOver(): Promise<void> {
    this.at++;
    await this.request('type');
  }

  async enter(kind: Kind = 'enter'): Promise<void> {
    const lineStart = this.doc.lastIndexOf('\n', this.at - 1) + 1;
    const indent = /^[ \t]*/.exec(this.doc.slice(lineStart))![0];
    await this.edit(kind, `\n${indent}`);
  }

  /** To the end of the line `by` lines away, then Enter: a fresh line above the file's next one. */
  async newLine(by: number): Promise<void> {
    const lines = this.doc.split('\n');
    const target = Math.max(0, Math.min(lines.length - 1, this.line() + by));
    let at = 0;
    for (let i = 0; i <= target; i++) at += lines[i].length + 1;
    this.at = at - 1;
    await this.request('move');
    await this.enter('new-line');
  }

  private visits = 0;

  /**
   * A look at another file (Go to Definition, say): a request at one of its lines (another each
   * time), then one back in this file on the line below the cursor, nothing edited (`back`: what
   * coming back costs; the same place would be served from the completion cache).
   */
  async visit(): Promise<void> {
    if (!this.other) return;
    const lines = this.other.text.split('\n');
    const target = Math.max(0, Math.min(lines.length - 1, Math.floor(lines.length / 2) + 20 * this.visits++));
    const at = lines.slice(0, target).join('\n').length + 1 + /^[ \t]*/.exec(lines[target])![0].length;
    await this.request('visit', { path: this.other.path, doc: this.other.text, at });
    const next = this.doc.indexOf('\n', this.at);
    if (next >= 0) this.at = next + 1 + /^[ \t]*/.exec(this.doc.slice(next + 1))![0].length;
    await this.request('back');
  }

  /** To the end of the indentation of the line `by` lines away. */
  async move(by: number): Promise<void> {
    const lines = this.doc.split('\n');
    const target = Math.max(0, Math.min(lines.length - 1, this.line() + by));
    let at = 0;
    for (let i = 0; i < target; i++) at += lines[i].length + 1;
    this.at = at + /^[ \t]*/.exec(lines[target])![0].length;
    await this.request('move');
  }
}

/** The scripted session: about 80 requests. */
async function script(r: Replay): Promise<void> {
  await r.first();
  await r.type('const total = ');
  await r.autoClose('()');
  await r.type('items');
  await r.stepOver();
  await r.type(';');
  await r.enter();
  await r.type('if ');
  await r.autoClose('()');
  await r.type('total');
  await r.stepOver();
  await r.enter();
  await r.visit();
  await r.move(-12);
  await r.type('x = ');
  await r.autoClose('""');
  await r.type('id');
  await r.move(25);
  await r.type('return ');
  await r.enter();
  await r.move(-30);
  await r.type('let y');
  await r.move(8);
  await r.enter();
  await r.type('log');
  await r.autoClose('()');
  await r.visit();
  await r.move(-5);
  await r.type('const ');
  for (const by of [6, -20, 14, 9, -3]) await r.newLine(by);
  await r.visit();
}

const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : NaN);
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

function summarize(events: Event[]) {
  const after = events.filter((e) => e.kind !== 'first' && e.kind !== 'visit' && e.kind !== 'back');
  const kinds: Record<string, unknown> = {};
  for (const k of ['first', 'type', 'auto-close', 'enter', 'move', 'new-line', 'visit', 'back'] as const) {
    const es = events.filter((e) => e.kind === k);
    if (!es.length) continue;
    kinds[k] = {
      n: es.length,
      p50Ms: Math.round(pct(es.map((e) => e.ms), 50)),
      p95Ms: Math.round(pct(es.map((e) => e.ms), 95)),
      meanPrefilled: Math.round(mean(es.map((e) => e.prefilled))),
      maxPrefilled: Math.max(...es.map((e) => e.prefilled)),
      ...(es.some((e) => e.readAheadMs !== undefined) ? { readAheadP50Ms: Math.round(pct(es.map((e) => e.readAheadMs ?? 0), 50)) } : {}),
    };
  }
  return {
    requests: after.length,
    p50Ms: Math.round(pct(after.map((e) => e.ms), 50)),
    p95Ms: Math.round(pct(after.map((e) => e.ms), 95)),
    meanGenerated: +mean(after.map((e) => e.generated)).toFixed(1),
    shown: after.filter((e) => e.shown).length,
    kinds,
  };
}

const USAGE =
  'usage: node dist/editing-session.js [--model DIR] [--backend auto|gpu|cpu] [--repo DIR] [--file PATH] [--line N] [--budget TOKENS] [--layout old|new|both] [--block on|off] [--block-tokens N] [--follow-line auto|on|off] [--candidates N,...] [--read-ahead off|on|both] [--visit FILE] [--line-snapshots RECENT,SPARSE]';

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    model: { type: 'string', default: 'models/default' },
    backend: { type: 'string', default: 'gpu', choices: ['auto', 'gpu', 'cpu'] },
    repo: { type: 'string', default: '.' },
    file: { type: 'string', default: 'src/workspace/context.ts' },
    line: { type: 'int', default: 150, min: 0, max: 10_000_000 },
    budget: { type: 'int', default: 16000, min: 0, max: 10_000_000 },
    layout: { type: 'string', default: 'both', choices: ['old', 'new', 'both'] },
    block: { type: 'string', default: 'on', choices: ['on', 'off'] },
    // The block's budget (0: the extension's, autoBlockTokens) and whether a new line looks up its continuations (auto: on a GPU).
    'block-tokens': { type: 'int', default: 0, min: 0, max: 100_000 },
    'follow-line': { type: 'string', default: 'auto', choices: ['auto', 'on', 'off'] },
    candidates: { type: 'string', default: '' },
    'read-ahead': { type: 'string', default: 'off', choices: ['off', 'on', 'both'] },
    // Another file of the repository looked at three times and left (requests `visit` and `back`, not in the session's p50 / p95).
    visit: { type: 'string', default: '' },
    'line-snapshots': { type: 'ints', default: [], min: 0, max: 100_000 },
  });
  const repo = path.resolve(values.repo!);
  const text = readFileSync(path.join(repo, values.file!), 'utf8');
  const lines = text.split('\n');
  const line = Math.min(Number(values.line), lines.length - 1);
  const at = lines.slice(0, line).join('\n').length + 1 + /^[ \t]*/.exec(lines[line])![0].length;
  const layouts = values.layout === 'both' ? (['old', 'new'] as const) : [values.layout as 'old' | 'new'];
  // The legacy completer has no candidates: it runs once; the pipeline once per count asked for (none: its default).
  const counts = values.candidates ? values.candidates.split(',').map(Number) : [undefined];
  if (counts.some((n) => n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 16))) throw new Error(`--candidates: whole numbers from 1 to 16, comma-separated (got ${values.candidates})`);
  type Run = { layout: 'old' | 'new'; candidates: number | undefined; readAhead: boolean };
  const reads = values['read-ahead'] === 'both' ? [false, true] : [values['read-ahead'] === 'on'];
  const runs = layouts.flatMap((layout): Run[] => (layout === 'old' ? [{ layout, candidates: undefined, readAhead: false }] : counts.flatMap((candidates) => reads.map((readAhead) => ({ layout, candidates, readAhead })))));
  const name = (r: Run) => (r.layout === 'old' ? 'before (suffix-first)' : `pipeline, ${DEFAULT_LAYOUT} layout${r.candidates === undefined ? '' : `, ${r.candidates} candidate${r.candidates > 1 ? 's' : ''}`}${r.readAhead ? ', read ahead at rest' : ''}`);
  // The block's budget and per-line continuations: the extension's choices unless named.
  const blockTokens = Number(values['block-tokens']) || undefined;
  const blockFollowsLine = values['follow-line'] === 'auto' ? undefined : values['follow-line'] === 'on';
  const snapshotsAt = values['line-snapshots'] as number[];
  if (snapshotsAt.length && (snapshotsAt.length !== 2 || snapshotsAt[1] < 1)) throw new Error(`--line-snapshots: RECENT,SPARSE, the second at least 1 (got ${snapshotsAt.join(',')})`);
  const lineSnapshots = snapshotsAt.length ? { recentLines: snapshotsAt[0], sparseLines: snapshotsAt[1] } : undefined;
  const results: ReturnType<typeof summarize>[] = [];
  for (const run of runs) {
    const session = new ModelSession(
      {},
      { completer: run.layout === 'old' ? (e, d, t) => new LegacyCompleter(e, d, t) : undefined, blockTokens, blockFollowsLine, lineSnapshots },
    );
    const summary = await session.load({ modelDir: values.model!, backend: values.backend as Backend });
    const t0 = performance.now();
    const report = await session.open({ root: repo, filter: {}, budgetTokens: Number(values.budget), activePath: values.file });
    const readMs = performance.now() - t0;
    session.setActive(values.file);
    const other = values.visit ? { path: values.visit, text: readFileSync(path.join(repo, values.visit), 'utf8') } : undefined;
    const replay = new Replay(session, values.file!, text, at, values.block !== 'off', run.candidates, run.readAhead, other);
    await script(replay);
    const result = summarize(replay.events);
    results.push(result);
    console.log(JSON.stringify({ kind: 'editing-session', blockTokens: blockTokens ?? 'auto', followLine: values['follow-line'], lineSnapshots: lineSnapshots ?? 'auto', layout: run.layout, candidates: run.candidates ?? 'default', readAhead: run.readAhead, device: summary.deviceName, decoder: summary.decoder, model: summary.model, repo: path.basename(repo), file: values.file, line, contextFiles: report.files.length, contextTokens: report.totalTokens, readMs: Math.round(readMs), ...result }));
    await session.dispose();
  }
  // The table for bench/RESULTS.md.
  const cols = runs.map(name);
  const row = (label: string, f: (s: ReturnType<typeof summarize>) => string) => `| ${label} | ${results.map(f).join(' | ')} |`;
  console.log(`\n| | ${cols.join(' | ')} |\n|---|${cols.map(() => '---').join('|')}|`);
  console.log(row('keystroke to suggestion p50 / p95 (ms)', (s) => `${s.p50Ms} / ${s.p95Ms}`));
  for (const k of ['first', 'type', 'auto-close', 'enter', 'move', 'new-line']) {
    console.log(row(`${k}: n, p50 / p95 ms, prefilled mean (max)[, read ahead p50 ms]`, (s) => {
      const v = s.kinds[k] as { n: number; p50Ms: number; p95Ms: number; meanPrefilled: number; maxPrefilled: number; readAheadP50Ms?: number } | undefined;
      return v ? `${v.n}, ${v.p50Ms} / ${v.p95Ms}, ${v.meanPrefilled} (${v.maxPrefilled})${v.readAheadP50Ms === undefined ? '' : `, ${v.readAheadP50Ms}`}` : '-';
    }));
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
