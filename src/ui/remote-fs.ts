import * as vscode from 'vscode';
import type { FsReply, FsRequest } from '../worker/protocol';

/**
 * Answers the model worker's `fs` event for a folder not on this machine's disk (a remote folder
 * seen from the UI side, a virtual file system): lists, stats and reads under `root` through VS
 * Code's workspace.fs. The worker filters what it gets as it filters its own disk (src/workspace/filter.ts).
 */
export async function serveRemoteFs(root: vscode.Uri | undefined, req: FsRequest): Promise<FsReply> {
  try {
    if (!root) throw new Error('no workspace folder');
    const uri = req.path ? vscode.Uri.joinPath(root, ...req.path.split('/')) : root;
    let result: unknown;
    if (req.op === 'list') {
      const entries = await vscode.workspace.fs.readDirectory(uri);
      result = entries.map(([name, type]) => ({ name, kind: type & vscode.FileType.Directory ? 'dir' : type & vscode.FileType.File ? 'file' : 'other' }));
    } else if (req.op === 'stat') {
      const st = await vscode.workspace.fs.stat(uri).then((x) => x, () => undefined);
      result = st && { size: st.size, mtimeMs: st.mtime, isFile: (st.type & vscode.FileType.File) !== 0 };
    } else result = await vscode.workspace.fs.readFile(uri);
    return { fsReply: req.id, result };
  } catch (e) {
    return { fsReply: req.id, error: (e as Error).message };
  }
}
