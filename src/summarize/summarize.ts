import * as vscode from 'vscode';
import type { Assistant } from '../assistant/assistant';
import { definitionSymbols, filePlan, paragraphDone, selectionPlan, WholeSentences, type ModelSection, type SummaryPart, type SymbolInfo } from './prompt';
import { SupportedLines, streamSupported } from '../qa/support';
import { modelText } from '../code/line-ends';

export const SUMMARIZE_COMMANDS = {
  selection: 'samba.summarizeSelection',
  file: 'samba.summarizeFile',
  workspace: 'samba.summarizeWorkspace',
  cancel: 'samba.summarizeCancel',
} as const;

/** What a summarize command returns (tests read it): the document it wrote and whether it was cancelled. */
export interface SummaryResult {
  readonly uri: string;
  readonly text: string;
  readonly cancelled: boolean;
}

/** The three summarize commands, and one that cancels a running summary (as the progress notification's Cancel does). */
export function registerSummarizeCommands(context: vscode.ExtensionContext, getAssistant: () => Promise<Assistant>): void {
  let running: AbortController | undefined;
  const run = async (title: string, plan: () => Promise<SummaryPart[] | undefined>): Promise<SummaryResult | undefined> => {
    running?.abort();
    const abort = (running = new AbortController());
    void vscode.commands.executeCommand('setContext', 'samba.summarizing', true);
    try {
      const parts = await plan();
      if (!parts || abort.signal.aborted) return undefined;
      return await writeSummary(title, parts, await getAssistant(), abort);
    } catch (e) {
      void vscode.window.showErrorMessage(`Samba: ${(e as Error).message}`);
      return undefined;
    } finally {
      if (running === abort) {
        running = undefined;
        void vscode.commands.executeCommand('setContext', 'samba.summarizing', false);
      }
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(SUMMARIZE_COMMANDS.selection, () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.selection.isEmpty) {
        void vscode.window.showInformationMessage('Samba: select the code to summarize first.');
        return undefined;
      }
      const { document: doc, selection } = editor;
      const path = vscode.workspace.asRelativePath(doc.uri);
      return run(`Summary of ${path}:${selection.start.line + 1}-${selection.end.line + 1}`, async () =>
        selectionPlan(path, modelText(doc.getText(selection)), selection.start.line + 1, selection.end.line + 1),
      );
    }),
    vscode.commands.registerCommand(SUMMARIZE_COMMANDS.file, async (arg?: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri) {
        void vscode.window.showInformationMessage('Samba: open the file to summarize first.');
        return undefined;
      }
      const doc = await vscode.workspace.openTextDocument(uri);
      const path = vscode.workspace.asRelativePath(uri);
      return run(`Summary of ${path}`, async () => {
        // No symbol provider for the language (Python, Go without their extensions): the definitions we find.
        const symbols = await documentSymbols(uri);
        const text = modelText(doc.getText());
        return filePlan(path, text, symbols.length ? symbols : definitionSymbols(path, text));
      });
    }),
    vscode.commands.registerCommand(SUMMARIZE_COMMANDS.workspace, () =>
      run(`Summary of ${vscode.workspace.name ?? 'the workspace'}`, async () => {
        // Planned where the workspace's text is: only the prompts come back.
        const parts = await (await getAssistant()).workspacePlan();
        if (!parts) void vscode.window.showInformationMessage('Samba: the workspace context has no files yet.');
        return parts;
      }),
    ),
    vscode.commands.registerCommand(SUMMARIZE_COMMANDS.cancel, () => running?.abort()),
  );
}

/** How long a summary waits for the editor's symbol provider (a language server may still be starting). */
const SYMBOLS_MS = 5000;

/** The document's symbols as plain data (lines 1-based); none when no provider answers within SYMBOLS_MS. */
export async function documentSymbols(uri: vscode.Uri): Promise<SymbolInfo[]> {
  const asked = Promise.resolve(vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>('vscode.executeDocumentSymbolProvider', uri)).catch(() => undefined);
  const found = await Promise.race([asked, new Promise<undefined>((r) => setTimeout(() => r(undefined), SYMBOLS_MS))]);
  const convert = (s: vscode.DocumentSymbol | vscode.SymbolInformation): SymbolInfo => {
    const range = 'range' in s ? s.range : s.location.range;
    return {
      name: s.name,
      kind: vscode.SymbolKind[s.kind] ?? 'Symbol',
      startLine: range.start.line + 1,
      endLine: range.end.line + 1,
      children: 'children' in s ? s.children.map(convert) : undefined,
    };
  };
  return (found ?? []).map(convert);
}

/** Where the model wrote a summary that the summarized text does not support. */
export const NOT_SUPPORTED = '_(no summary: what the model wrote did not match the code, so it is left out)_';

/** Streams each part into a new untitled markdown document, with a cancellable progress notification. */
async function writeSummary(title: string, parts: readonly SummaryPart[], assistant: Assistant, abort: AbortController): Promise<SummaryResult> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `# ${title}\n\n` });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: true });
  const out = new DocumentAppender(doc);
  const cancelled = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Samba: ${title}`, cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => abort.abort());
      for (const [i, part] of parts.entries()) {
        if (abort.signal.aborted) break;
        progress.report({ message: `${i + 1}/${parts.length}`, increment: 100 / parts.length });
        out.append(`${part.heading}\n\n${part.text ?? ''}`);
        if (part.model) out.append(await modelSection(part.model, assistant, abort.signal, (d) => out.append(d)));
        out.append('\n\n');
      }
      return abort.signal.aborted;
    },
  );
  if (cancelled) out.append('_Cancelled._\n');
  await out.flush();
  return { uri: doc.uri.toString(), text: doc.getText(), cancelled };
}

/**
 * Streams the model's section through `onText`, whole sentences of one paragraph and only the lines
 * the summarized text supports (src/qa/support.ts: the small model otherwise writes what other code
 * does); returns what stands in where none of it was shown.
 */
async function modelSection(section: ModelSection, assistant: Assistant, signal: AbortSignal, onText: (text: string) => void): Promise<string> {
  const gate = new SupportedLines(section.support);
  const request = { prompt: section.prompt, maxTokens: section.maxTokens, useWorkspace: true };
  // One paragraph, as a doc comment's first: the small model's second one is filler.
  const sentences = new WholeSentences(onText);
  await streamSupported((onText, signal) => assistant.stream(request, onText, signal), gate, (d) => sentences.push(d), signal, paragraphDone);
  return sentences.shown.trim() ? '' : section.fallback ? section.fallback : gate.dropped ? NOT_SUPPORTED : '_(no summary)_';
}

/** Appends text at the end of a document, coalescing a stream of small pieces into few edits. */
class DocumentAppender {
  private buffer = '';
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly doc: vscode.TextDocument) {}

  append(text: string): void {
    this.buffer += text;
    this.timer ??= setTimeout(() => void this.flush(), 80);
  }

  flush(): Promise<unknown> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const text = this.buffer;
    this.buffer = '';
    if (text) {
      this.chain = this.chain.then(async () => {
        const edit = new vscode.WorkspaceEdit();
        edit.insert(this.doc.uri, this.doc.positionAt(this.doc.getText().length), text);
        await vscode.workspace.applyEdit(edit);
      });
    }
    return this.chain;
  }
}
