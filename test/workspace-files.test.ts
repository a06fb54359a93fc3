import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { MAX_SEARCH_CHARS, WorkspaceFiles, searchedTexts } from '../src/workspace/files';
import { WorkspaceFilter, type FileSource } from '../src/workspace/filter';
import { loadWorkspaceFiles } from '../src/workspace/load';
import { loadTiny, tempDir, text, writeFiles, type Tiny } from './helpers/workspace';

// The one copy of the workspace's file text in the worker (src/workspace/files.ts): what the context
// reads, and what the completion's block, questions and summaries search.

const STRIPE = 'sk_live_51HqLyjWDarjtT1zdp7dc9KzB3c';

describe('workspace files (the one copy of file text)', () => {
  let tiny: Tiny;
  before(async () => {
    tiny = await loadTiny();
  });

  async function setup() {
    const root = tempDir('files');
    await writeFiles(root, { 'src/a.ts': text('a', 3), 'src/b.ts': text('b', 3), '.env': `KEY=${STRIPE}\n` });
    const files = new WorkspaceFiles();
    const loaded = await files.load(new WorkspaceFilter(root), tiny.tokenizer, {});
    return { root, files, loaded };
  }

  it('holds what the load kept, the filter decides; unsaved text wins over the disk once read, and saving gives the disk back', async () => {
    const { root, files, loaded } = await setup();
    assert.deepEqual([...files.texts.keys()].sort(), ['src/a.ts', 'src/b.ts']);
    assert.deepEqual(loaded.files.map((f) => f.path).sort(), ['src/a.ts', 'src/b.ts']);
    assert.ok(files.skipped.some((s) => s.path === '.env'));
    assert.equal(files.root, root);
    const map = files.texts;

    const typed = `${text('a', 3)}export const more = 1;\n`;
    files.change([{ kind: 'edit', path: 'src/a.ts', text: typed }]);
    assert.deepEqual(files.unsavedPaths(), ['src/a.ts']);
    // The context has not read it yet: what it holds is still the disk's text.
    assert.equal(files.texts.get('src/a.ts'), text('a', 3));
    assert.equal(await files.read('src/a.ts'), typed);
    assert.equal(files.texts.get('src/a.ts'), typed);
    assert.deepEqual(files.recentEdits(), [{ path: 'src/a.ts', startLine: 4, endLine: 4 }]);

    // Saved elsewhere (the change carries no text): the disk is the truth again.
    await fs.writeFile(path.join(root, 'src/a.ts'), 'export const saved = 2;\n');
    files.change([{ kind: 'edit', path: 'src/a.ts' }]);
    assert.deepEqual(files.unsavedPaths(), []);
    assert.equal(await files.read('src/a.ts'), 'export const saved = 2;\n');
    // One map for everyone, kept in place: readers that keyed on it (the BM25 index) see the same object.
    assert.equal(files.texts, map);
  });

  it('unsaved text with a secret never reaches the text others search, and the file leaves it', async () => {
    const { files } = await setup();
    files.change([{ kind: 'edit', path: 'src/b.ts', text: `const key = '${STRIPE}';\n` }]);
    assert.equal(await files.read('src/b.ts'), undefined);
    assert.equal(files.texts.has('src/b.ts'), false);
    assert.ok(![...files.texts.values()].some((t) => t.includes(STRIPE)));
    // A .env created later is refused at read too.
    assert.equal(await files.read('.env'), undefined);
    assert.equal(files.texts.has('.env'), false);
  });

  it('a deleted or renamed file leaves at once, with its unsaved text and its recent edits', async () => {
    const { files } = await setup();
    files.change([{ kind: 'edit', path: 'src/b.ts', text: `${text('b', 3)}// typed\n` }]);
    files.change([{ kind: 'delete', path: 'src/b.ts' }, { kind: 'rename', from: 'src/a.ts', to: 'src/c.ts' }]);
    assert.deepEqual([...files.texts.keys()], []);
    assert.deepEqual(files.unsavedPaths(), []);
    assert.deepEqual(files.recentEdits(), []);
  });

  it('files over the token budget are searched too (the model reads only part of a large folder), the state\'s first', async () => {
    const root = tempDir('files-budget');
    await writeFiles(root, { 'src/a.ts': text('a', 40), 'src/b.ts': text('b', 40), 'src/c.ts': text('c', 40) });
    const files = new WorkspaceFiles();
    const one = (await loadWorkspaceFiles(new WorkspaceFilter(root), tiny.tokenizer)).files[0].tokenCount;
    const loaded = await files.load(new WorkspaceFilter(root), tiny.tokenizer, { budgetTokens: one + 1 });
    assert.equal(loaded.files.length, 1);
    assert.equal(loaded.dropped.length, 2);
    assert.deepEqual([...files.texts.keys()], [loaded.files[0].path, ...loaded.dropped.map((d) => d.path)]);
    assert.equal(files.texts.get('src/c.ts'), text('c', 40));
  });

  it('what is searched beyond the state stops at MAX_SEARCH_CHARS, most wanted first', () => {
    const big = 'x'.repeat(MAX_SEARCH_CHARS / 2);
    const all = new Map([['kept.ts', 'k'], ['first.ts', big], ['second.ts', big], ['small.ts', 's']]);
    const out = searchedTexts({ files: [{ path: 'kept.ts', text: 'k' }], dropped: [{ path: 'first.ts' }, { path: 'second.ts' }, { path: 'small.ts' }] }, all);
    // kept + first fit; second would pass the limit by one character; a small one after it still fits.
    assert.deepEqual([...out.keys()], ['kept.ts', 'first.ts', 'small.ts']);
  });

  it('reads ahead where reads wait (a folder through the host), one file at a time where they are done at once (the local disk)', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `m${i}.ts`);
    const bytes = Buffer.from('export const x = 1;\n');
    const inFlight = async (readsAtOnce: boolean) => {
      let open = 0;
      let most = 0;
      const source: FileSource = {
        readsAtOnce,
        list: async () => names.map((name) => ({ name, kind: 'file' as const })),
        stat: async () => ({ size: bytes.length, mtimeMs: 0, isFile: true }),
        read: async () => {
          most = Math.max(most, ++open);
          await new Promise((r) => setTimeout(r, 1));
          open--;
          return bytes;
        },
      };
      const loaded = await loadWorkspaceFiles(new WorkspaceFilter('/in-memory', {}, source), tiny.tokenizer);
      assert.equal(loaded.files.length, 40);
      return most;
    };
    assert.equal(await inFlight(true), 1);
    assert.ok((await inFlight(false)) >= 16, 'reads waiting side by side');
  });

  it('loading lets the event loop turn between files even when no read waits (a local folder reads synchronously)', async () => {
    const names = Array.from({ length: 200 }, (_, i) => `m${i}.ts`);
    const bytes = Buffer.from('export const x = 1;\n');
    // Every call answers at once: without the load's own yields, no turn would come until it ends.
    const source: FileSource = {
      list: async () => names.map((name) => ({ name, kind: 'file' as const })),
      stat: async () => ({ size: bytes.length, mtimeMs: 0, isFile: true }),
      read: async () => bytes,
      open: async (rel) => ({ real: rel, isFile: true, size: bytes.length, mtimeMs: 0, bytes }),
    };
    let turns = 0;
    let loading = true;
    const tick = () => {
      if (!loading) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const loaded = await loadWorkspaceFiles(new WorkspaceFilter('/in-memory', {}, source), tiny.tokenizer);
    loading = false;
    assert.equal(loaded.files.length, 200);
    assert.ok(turns >= 3, `${turns} turns of the event loop while 200 files loaded`);
  });
});
