import * as vscode from 'vscode';
import type { ContextReport } from '../worker/session';

export const CONTEXT_URI = vscode.Uri.parse('samba:/Samba%20Context.md');

/** What is in the model's context, as a read-only markdown document: files, order, tokens, what was left out and why. */
export class ContextView implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private report: ContextReport | undefined;

  show(report: ContextReport): Thenable<vscode.TextEditor> {
    this.report = report;
    this.changed.fire(CONTEXT_URI);
    return vscode.workspace.openTextDocument(CONTEXT_URI).then((d) => vscode.window.showTextDocument(d, { preview: true }));
  }

  provideTextDocumentContent(): string {
    return this.report ? renderContext(this.report) : 'The context has not been read yet.';
  }
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

export function renderContext(r: ContextReport): string {
  const lines = [
    '# Samba: workspace context',
    '',
    `${r.files.length} files, ${r.totalTokens} tokens (budget ${r.budgetTokens}), ${r.ready ? 'up to date' : `updating (${r.pendingChanges} changes pending)`}.`,
    r.root ? `Folder: \`${r.root}\`` : '',
    r.gpuBytes ? `GPU memory: ${mib(r.gpuBytes)} MiB now, ${mib(r.peakGpuBytes)} MiB at most.` : '',
    r.activePath ? `Active file (in the prompt, not the context): \`${r.activePath}\`` : '',
    r.lastUpdate ? `Last update: ${new Date(r.lastUpdate.at).toLocaleTimeString()}, ${r.lastUpdate.tokens} tokens in ${Math.round(r.lastUpdate.ms)} ms${r.lastUpdate.fromStore ? ' (from the saved state)' : ''}: ${r.lastUpdate.files.slice(0, 5).join(', ')}` : '',
    '',
    '## Files, in the order the model reads them',
    '',
    '| # | file | tokens | ends at |',
    '|---|---|---|---|',
    ...r.files.map((f, i) => `| ${i + 1} | \`${f.path}\` | ${f.tokens} | ${f.end} |`),
  ];
  if (r.overBudget.length) lines.push('', '## Left out: over the token budget', '', ...r.overBudget.map((p) => `- \`${p}\``));
  if (r.skipped.length) lines.push('', '## Left out by the filter', '', ...r.skipped.map((s) => `- \`${s.path}\`: ${s.reason}`));
  return lines.filter((l, i, a) => l !== '' || a[i - 1] !== '').join('\n') + '\n';
}
