import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ModelWorkerClient } from '../src/worker/client';
import type { WorkerEvent } from '../src/worker/protocol';
import { fixtureDir } from './helpers/fixtures';
import { qaWorkspace } from './helpers/qa-workspace';

/** test/fixtures/qa-workspace copied to a folder of its own. */
function qaFolder(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'samba-qa-'));
  for (const [rel, text] of qaWorkspace()) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('qa in the model worker: a question is one request (real worker process, tiny model)', function () {
  this.timeout(300_000);
  let client: ModelWorkerClient;
  const events: WorkerEvent[] = [];
  /** The assistSources and assistText events of request `id`, in the order they came. */
  const eventsOf = (id: number) => events.filter((e) => (e.event === 'assistSources' || e.event === 'assistText') && e.data.id === id);

  before(async () => {
    client = new ModelWorkerClient((e) => events.push(e));
    await client.request('load', { modelDir: fixtureDir('samba-tiny'), backend: 'auto' });
    await client.request('open', { root: qaFolder(), filter: {}, budgetTokens: 0 });
  });
  after(() => client.terminate());

  it('streams the sources, then the answer, then replies; the reply repeats what streamed', async () => {
    const r = await client.request('assistAsk', { id: 1, question: 'What order total qualifies for free shipping?', history: [], options: { maxTokens: 12, rerankFiles: 3 } });
    const seen = eventsOf(1);
    assert.equal(seen[0]?.event, 'assistSources', 'the sources come first');
    assert.ok(seen.slice(1).every((e) => e.event === 'assistText'), 'then only text');
    const sources = seen[0].event === 'assistSources' ? seen[0].data.sources : [];
    assert.equal(sources[0].path, 'src/shipping.ts');
    assert.deepEqual(r.sources, sources);
    assert.equal(seen.map((e) => (e.event === 'assistText' ? e.data.delta : '')).join(''), r.text);
    assert.match(seen[1].event === 'assistText' ? seen[1].data.delta : '', /^`\w+` in src\/shipping\.ts, line \d+:$/, 'the answer starts with where the best source is');
    // (The tiny model's bytes rarely decode: the answer may end where the source stops supporting it.)
    assert.ok(['end', 'max', 'loop', 'unsupported'].includes(r.stopped), r.stopped);
  });

  it('retrieves over the files as they change: an unsaved new file is found, a deleted one is gone', async () => {
    const ask = async (id: number) => (await client.request('assistAsk', { id, question: 'Which parcel weight bands exist?', history: [], options: { maxTokens: 2, rerankFiles: 1 } })).sources.map((s) => s.path);
    assert.ok(!(await ask(2)).includes('src/parcels.ts'));
    client.request('update', { changes: [{ kind: 'create', path: 'src/parcels.ts', text: '// Parcel weight bands: light, medium, heavy.\nexport const PARCEL_WEIGHT_BANDS = ["light", "medium", "heavy"];\n' }] });
    await client.request('whenIdle', null);
    assert.equal((await ask(3))[0], 'src/parcels.ts');
    client.request('update', { changes: [{ kind: 'delete', path: 'src/parcels.ts' }] });
    await client.request('whenIdle', null);
    assert.ok(!(await ask(4)).includes('src/parcels.ts'));
  });

  it('a cancelled question stops in the worker after its sources', async () => {
    const running = client.request('assistAsk', { id: 5, question: 'How is tax computed for a region?', history: [{ question: 'Hi?', answer: 'Hello.' }], options: { maxTokens: 4000, repetition: { penalty: 1, ngram: 0, lines: false } } });
    for (let i = 0; i < 400 && !eventsOf(5).length; i++) await new Promise((r) => setTimeout(r, 5));
    void client.request('assistCancel', { id: 5 });
    const r = await running;
    assert.equal(r.stopped, 'aborted');
    assert.ok(r.sources.length > 0);
  });

  it('plans the workspace summary where the files are (no file text crosses to the host but the prompts)', async () => {
    const parts = await client.request('assistWorkspacePlan', null);
    assert.ok(parts && parts[0].heading === '## Overview' && parts.some((p) => p.heading.startsWith('### src/pricing/')));
  });
});

describe('qa in the model worker over a folder larger than the model reads (real worker process, tiny model)', function () {
  this.timeout(300_000);
  let client: ModelWorkerClient;
  before(async () => {
    client = new ModelWorkerClient(() => undefined);
    await client.request('load', { modelDir: fixtureDir('samba-tiny'), backend: 'auto' });
    // A budget of a few files' tokens, as a machine without a GPU has for a large folder (32,768 tokens on the 2-core machine).
    await client.request('open', { root: qaFolder(), filter: {}, budgetTokens: 1200 });
  });
  after(() => client.terminate());

  it('a question finds the file that answers it though that file is over the budget, and an edit of such a file is found as typed', async () => {
    const report = await client.request('describe', null);
    assert.ok(report.overBudget.includes('src/shipping.ts'), `src/shipping.ts is over the budget (in the state: ${report.files.map((f) => f.path).join(', ')})`);
    const ask = async (id: number, question: string) => (await client.request('assistAsk', { id, question, history: [], options: { maxTokens: 2, rerankFiles: 1 } })).sources.map((s) => s.path);
    assert.equal((await ask(1, 'What order total qualifies for free shipping?'))[0], 'src/shipping.ts');
    const over = report.overBudget.find((p) => p !== 'src/shipping.ts' && p.endsWith('.ts'))!;
    client.request('update', { changes: [{ kind: 'edit', path: over, text: '// Gift wrapping costs a flat fee per parcel.\nexport const GIFT_WRAP_FEE = 4;\n' }] });
    await client.request('whenIdle', null);
    assert.equal((await ask(2, 'How much does gift wrapping cost?'))[0], over);
  });
});
