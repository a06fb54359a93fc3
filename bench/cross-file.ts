// Does the workspace state help? A symbol is defined in one file and used in another: for each case,
// a small workspace defines a uniquely named export in src/<module>.ts (among distractor files), and the
// completion fills `import { | } from './<module>';` in a new file. Measured with the workspace read into
// the state, and without it (the current file only). Prints one JSON line per setting.
// usage: node out/bench/cross-file.js [--model DIR] [--backend gpu|cpu] [--cases 50] [--seed 1]
import { cliArgs } from '../src/cli-args';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ModelSession } from '../src/worker/session';
import { seededRandom } from '../src/engine/sampling';
import type { Backend } from '../src/backend/create';

const VERBS = ['compute', 'resolve', 'format', 'collect', 'validate', 'merge', 'render', 'parse', 'estimate', 'normalize', 'schedule', 'summarize'];
const NOUNS = ['Invoice', 'Ledger', 'Shipment', 'Route', 'Tenant', 'Voucher', 'Payload', 'Quota', 'Sensor', 'Budget', 'Ticket', 'Catalog'];
const EXTRAS = ['Totals', 'Entries', 'Window', 'Limits', 'Digest', 'Margin', 'Offsets', 'Weights'];
const MODULES = ['billing', 'ledger', 'shipping', 'routing', 'tenants', 'vouchers', 'quotas', 'sensors', 'budget', 'tickets'];

function defineFile(name: string, noun: string): string {
  return `/** ${noun} helpers. */
export interface ${noun} {
  id: string;
  amount: number;
}

export function ${name}(items: readonly ${noun}[]): number {
  let total = 0;
  for (const item of items) total += item.amount;
  return total;
}
`;
}

interface Case {
  readonly files: Record<string, string>;
  readonly module: string;
  readonly name: string;
}

function makeCase(random: () => number): Case {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const mods = [...MODULES].sort(() => random() - 0.5).slice(0, 4);
  const files: Record<string, string> = {};
  const names: string[] = [];
  for (const m of mods) {
    let name: string;
    do name = `${pick(VERBS)}${pick(NOUNS)}${pick(EXTRAS)}`;
    while (names.includes(name));
    names.push(name);
    files[`src/${m}.ts`] = defineFile(name, pick(NOUNS));
  }
  const k = Math.floor(random() * mods.length);
  return { files, module: mods[k], name: names[k] };
}

const USAGE = `usage: node out/bench/cross-file.js [--model DIR] [--backend gpu|cpu] [--cases 50] [--seed 1]`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    model: { type: 'string', default: 'models/default' },
    backend: { type: 'string', default: 'gpu', choices: ['gpu', 'cpu'] },
    cases: { type: 'int', default: 50, min: 1, max: 100_000 },
    seed: { type: 'int', default: 1, min: 0, max: Number.MAX_SAFE_INTEGER },
  });
  const withCtx = new ModelSession();
  const without = new ModelSession();
  const summary = await withCtx.load({ modelDir: values.model!, backend: values.backend as Backend });
  await without.load({ modelDir: values.model!, backend: values.backend as Backend });
  const random = seededRandom(Number(values.seed));
  const hits = { workspace: 0, currentFile: 0 };
  const examples: { name: string; workspace: string; currentFile: string }[] = [];
  const n = Number(values.cases);
  for (let i = 0; i < n; i++) {
    const c = makeCase(random);
    const root = mkdtempSync(path.join(tmpdir(), 'samba-xfile-'));
    mkdirSync(path.join(root, 'src'));
    for (const [p, text] of Object.entries(c.files)) writeFileSync(path.join(root, p), text);
    await withCtx.open({ root, filter: {}, budgetTokens: 1_000_000 });
    const req = { path: 'src/main.ts', prefix: 'import { ', suffix: ` } from './${c.module}';\n\nconsole.log(`, maxTokens: 16, lineBudgetMs: 5000, deadlineMs: 10000 };
    const a = await withCtx.complete(req);
    const b = await without.complete(req);
    const used = (t: string | undefined) => (t ?? '').includes(c.name);
    if (used(a.raw)) hits.workspace++;
    if (used(b.raw)) hits.currentFile++;
    if (examples.length < 5) examples.push({ name: c.name, workspace: a.raw, currentFile: b.raw });
    rmSync(root, { recursive: true, force: true });
  }
  const base = { model: summary.model, device: summary.deviceName, cases: n, seed: Number(values.seed) };
  console.log(JSON.stringify({ ...base, setting: 'workspace state', usesSymbol: hits.workspace, rate: +(hits.workspace / n).toFixed(3) }));
  console.log(JSON.stringify({ ...base, setting: 'current file only', usesSymbol: hits.currentFile, rate: +(hits.currentFile / n).toFixed(3) }));
  console.error(JSON.stringify(examples, null, 1));
  withCtx.dispose();
  without.dispose();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
