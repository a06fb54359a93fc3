// The workspace context in a real VS Code: what the model read, and that edits reach it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import type { ContextReport } from '../../src/worker/protocol';
import { modelWorkers } from './workers';

const report = () => vscode.commands.executeCommand<ContextReport | undefined>('samba.showContext');

/** Polls the context until `ok` holds (the worker coalesces edits for a few hundred ms). */
async function until(ok: (r: ContextReport) => boolean, what: string, timeoutMs = 30_000): Promise<ContextReport> {
  const t0 = Date.now();
  let last: ContextReport | undefined;
  while (Date.now() - t0 < timeoutMs) {
    last = await report();
    if (last && last.ready && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; last context: ${JSON.stringify(last?.files.map((f) => f.path))}`);
}

describe('workspace context', () => {
  const root = () => vscode.workspace.workspaceFolders![0].uri;

  it('reads the workspace files and shows them in the context view', async () => {
    const r = await until((x) => x.files.length > 0, 'the first read');
    const paths = r.files.map((f) => f.path);
    for (const p of ['src/geometry.ts', 'src/strings.ts']) assert.ok(paths.includes(p), `${p} missing from ${paths}`);
    assert.ok(r.totalTokens > 100);
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.scheme, 'samba');
    // The open view refreshes from the provider asynchronously.
    for (let i = 0; i < 40 && !doc!.getText().includes('src/geometry.ts'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(doc!.getText(), /# Samba: workspace context/);
    assert.match(doc!.getText(), /\| `src\/geometry\.ts` \| \d+ \|/);
  });

  it('an unsaved edit in another file updates the context; that file moves to the end, so editing it again costs only itself', async () => {
    const uri = vscode.Uri.joinPath(root(), 'src', 'strings.ts');
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = async (text: string) => {
      const before = (await report())!;
      const e = new vscode.WorkspaceEdit();
      e.insert(uri, new vscode.Position(doc.lineCount, 0), text);
      assert.ok(await vscode.workspace.applyEdit(e));
      return until((x) => x.lastUpdate !== undefined && x.lastUpdate.at > (before.lastUpdate?.at ?? 0) && x.lastUpdate.files.includes('src/strings.ts'), 'the edit');
    };
    const first = await edit('\nexport const SEPARATOR = " - ";\n');
    assert.equal(first.files[first.files.length - 1].path, 'src/strings.ts');
    const second = await edit('export const ELLIPSIS = "...";\n');
    const own = second.files[second.files.length - 1];
    assert.equal(own.path, 'src/strings.ts');
    assert.equal(second.lastUpdate!.tokens, own.tokens, `the second edit should re-run only strings.ts (${own.tokens} tokens), ran ${second.lastUpdate!.tokens} of ${second.totalTokens}`);
  });

  it('a file created on disk enters the context', async () => {
    const uri = vscode.Uri.joinPath(root(), 'src', 'created.ts');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('export const created = true;\n'));
    await until((x) => x.files.some((f) => f.path === 'src/created.ts'), 'the new file');
  });

  it('secrets stay out and say why', async () => {
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root(), '.env'), Buffer.from('TOKEN=not-for-the-model\n'));
    await vscode.commands.executeCommand('samba.reindex');
    const r = await until((x) => x.skipped.some((s) => s.path === '.env'), '.env to be listed as skipped');
    assert.equal(r.skipped.find((s) => s.path === '.env')?.reason, 'secret');
    assert.ok(!r.files.some((f) => f.path === '.env'));
  });

  it('a link to .env opened in an editor stays out of the context, saved or typed into', async () => {
    await until((x) => x.files.length > 0, 'the first read');
    const dir = root().fsPath;
    const secret = 'sk_live_51HqLyjWDarjtT1zdp7dc9KzB3c';
    const { writeFileSync, symlinkSync } = await import('node:fs');
    const { join } = await import('node:path');
    writeFileSync(join(dir, '.env'), `STRIPE_KEY=${secret}\n`);
    symlinkSync('.env', join(dir, 'README.txt'));
    // An editor opens the link (a file event names it too) and the user types into it.
    const link = vscode.Uri.joinPath(root(), 'README.txt');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(link));
    assert.ok(editor.document.getText().includes(secret), 'the editor shows the linked file');
    const typed = new vscode.WorkspaceEdit();
    typed.insert(link, new vscode.Position(1, 0), 'MORE=1\n');
    assert.ok(await vscode.workspace.applyEdit(typed));
    await new Promise((r) => setTimeout(r, 1000)); // past the edit coalescing
    // Then an ordinary edit elsewhere: once the context shows it, the link's edit was handled before it.
    const before = (await report())!;
    const other = vscode.Uri.joinPath(root(), 'src', 'geometry.ts');
    const doc = await vscode.workspace.openTextDocument(other);
    const e = new vscode.WorkspaceEdit();
    e.insert(other, new vscode.Position(doc.lineCount, 0), '\nexport const AFTER_LINK = 1;\n');
    assert.ok(await vscode.workspace.applyEdit(e));
    const r = await until((x) => x.lastUpdate !== undefined && x.lastUpdate.at > (before.lastUpdate?.at ?? 0) && x.lastUpdate.files.includes('src/geometry.ts'), 'the edit after the link');
    assert.ok(!r.files.some((f) => f.path === 'README.txt' || f.path === '.env'), `the link entered the context: ${r.files.map((f) => f.path)}`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('a read in flight stops from the command palette (its progress is in the status bar), and reading again brings the context back', async () => {
    // A file long enough that the read is still going when the stop comes.
    const big = vscode.Uri.joinPath(root(), 'src', 'big.ts');
    const body = Array.from({ length: 400 }, (_, i) => `export function step${i}(x: number): number {\n  return x * ${i} + ${i % 7};\n}\n`).join('');
    await vscode.workspace.fs.writeFile(big, Buffer.from(body));
    try {
      const read = vscode.commands.executeCommand<ContextReport | undefined>('samba.reindex');
      let done = false;
      void read.then(() => (done = true));
      let stopped = false;
      while (!stopped && !done) {
        await new Promise((r) => setTimeout(r, 20));
        stopped = (await vscode.commands.executeCommand<boolean>('samba.stopReading')) === true;
      }
      assert.ok(stopped, 'the read ended before it could be stopped');
      assert.equal(await read, undefined, 'a stopped read reports nothing');
      assert.equal(await vscode.commands.executeCommand<boolean>('samba.stopReading'), false, 'nothing to stop now');
    } finally {
      await vscode.workspace.fs.delete(big);
    }
    // (strings.ts: geometry.ts, active now and edited above, may be held by the prompt instead of the chain.)
    const again = await vscode.commands.executeCommand<ContextReport | undefined>('samba.reindex');
    assert.ok(again && again.files.some((f) => f.path === 'src/strings.ts'), `read again: ${JSON.stringify(again?.files.map((f) => f.path))}`);
    assert.equal(await vscode.commands.executeCommand<boolean>('samba.stopReading'), false, 'a finished read has nothing to stop');
    const after = await report();
    assert.ok(after?.ready && after.files.some((f) => f.path === 'src/strings.ts'), 'and its context stays');
  });

  it('unsaved text outlives the model worker: a new worker reads the editor, not the disk', async () => {
    // strings.ts was edited above and never saved.
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith('/src/strings.ts'));
    assert.ok(doc?.isDirty, 'strings.ts has unsaved edits');
    // Its current copy (an older, stale one may stay in place until the background rebuild).
    const tokens = (r: ContextReport) => r.files.filter((f) => f.path === 'src/strings.ts' && !f.stale).at(-1)?.tokens;
    const before = await until((x) => tokens(x) !== undefined, 'strings.ts in the context');
    const [worker] = modelWorkers();
    process.kill(worker, 'SIGKILL');
    for (let i = 0; i < 100 && existsSync(`/proc/${worker}`); i++) await new Promise((r) => setTimeout(r, 100));
    await vscode.commands.executeCommand('samba.reindex');
    const after = await until((x) => tokens(x) !== undefined, 'strings.ts read again');
    assert.notEqual(modelWorkers()[0], worker);
    assert.equal(tokens(after), tokens(before), `strings.ts has ${tokens(after)} tokens after the restart, ${tokens(before)} with its unsaved text`);
  });
});
