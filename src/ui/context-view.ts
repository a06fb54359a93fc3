import * as vscode from 'vscode';
import type { ContextReport } from '../worker/protocol';
import { renderContext } from './format';

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
