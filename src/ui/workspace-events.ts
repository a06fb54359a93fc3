import * as vscode from 'vscode';
import type { ModelHost } from './model-host';
import type { ChangeWithText } from '../worker/protocol';

/** Unsaved edits are sent at most this often per document: typing must not flood the worker. */
const EDIT_COALESCE_MS = 250;

/** Forwards editor and file-system changes of workspace files to the model's context. */
export function watchWorkspace(host: ModelHost): vscode.Disposable {
  const dirty = new Map<string, NodeJS.Timeout>();
  const send = (changes: ChangeWithText[]) => host.changed(changes);
  const rel = (uri: vscode.Uri) => host.relative(uri);

  const subs: vscode.Disposable[] = [
    vscode.workspace.onDidChangeTextDocument((e) => {
      const path = rel(e.document.uri);
      if (!path || e.contentChanges.length === 0) return;
      clearTimeout(dirty.get(path));
      dirty.set(
        path,
        setTimeout(() => {
          dirty.delete(path);
          send([{ kind: 'edit', path, text: e.document.isDirty ? e.document.getText() : undefined }]);
        }, EDIT_COALESCE_MS),
      );
    }),
    vscode.workspace.onDidSaveTextDocument((d) => {
      const path = rel(d.uri);
      if (path) send([{ kind: 'edit', path }]);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      // Closed without saving: the disk is the truth again.
      const path = rel(d.uri);
      if (path && d.isDirty) send([{ kind: 'edit', path }]);
    }),
    vscode.workspace.onDidRenameFiles((e) => send(e.files.flatMap((f) => {
      const from = rel(f.oldUri), to = rel(f.newUri);
      return from && to ? [{ kind: 'rename' as const, from, to }] : [];
    }))),
    vscode.window.onDidChangeActiveTextEditor((e) => host.setActive(e?.document.uri)),
  ];
  // Changes made outside the editor (git checkout, a build, another tool).
  const root = host.root;
  if (root) {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, '**/*'));
    const external = (kind: 'edit' | 'create' | 'delete') => (uri: vscode.Uri) => {
      const path = rel(uri);
      const open = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && d.isDirty);
      if (path && !open) send([kind === 'delete' ? { kind, path } : { kind, path }]);
    };
    subs.push(watcher, watcher.onDidChange(external('edit')), watcher.onDidCreate(external('create')), watcher.onDidDelete(external('delete')));
  }
  return vscode.Disposable.from(...subs, { dispose: () => dirty.forEach(clearTimeout) });
}
