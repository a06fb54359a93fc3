import * as vscode from 'vscode';
import * as path from 'node:path';
import { AcceptedSuggestions } from '../completion/accepted';
import { CompletionCache } from '../completion/cache';
import { MIN_SCORE } from '../completion/confidence';
import { documentText, modelWindows } from '../code/line-ends';
import { REQUEST_AFTER_CHARS, REQUEST_BEFORE_CHARS } from '../prompt/fim';
import type { ModelHost } from './model-host';
import { completionsEnabledFor, readSettings } from './settings';

/** How long the cursor rests at a place before its prompt is read ahead. */
const READ_AHEAD_REST_MS = 400;
/** Documents whose prompt is read ahead: files being written, not the editor's own views (output, diffs, the context view). */
const READ_AHEAD_SCHEMES = new Set(['file', 'untitled', 'vscode-remote']);

/**
 * Ghost-text completions: cache, then debounce, then the model worker (which reuses state while the
 * user types and aborts superseded requests), then the editor. Never blocks: all model work is in the worker.
 * Only where the user types: opening a file or moving the cursor asks for no suggestion (one nobody
 * wanted at line 1 cost seconds of a CPU); Alt+\ asks anywhere. Where the cursor comes to rest, the
 * prompt is read ahead instead (no generation; typing stops it), so the first suggestion there
 * reuses it.
 */
export class SambaInlineProvider implements vscode.InlineCompletionItemProvider, vscode.Disposable {
  private readonly cache = new CompletionCache();
  private readonly accepted = new AcceptedSuggestions();
  /** Each document's last edit: the lines it spanned, first to last (one span per cursor), and when (the log says how long after it a suggestion came). */
  private readonly typedAt = new Map<string, { spans: [number, number][]; at: number }>();
  private readonly subs: vscode.Disposable[];
  private restTimer: NodeJS.Timeout | undefined;

  constructor(private readonly host: ModelHost) {
    const rest = (editor: vscode.TextEditor | undefined) => {
      clearTimeout(this.restTimer);
      if (editor) this.restTimer = setTimeout(() => this.readAhead(editor), READ_AHEAD_REST_MS);
    };
    this.subs = [
      vscode.window.onDidChangeTextEditorSelection((e) => rest(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor(rest),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!e.contentChanges.length) return;
        const doc = e.document.uri.toString();
        this.typedAt.set(doc, { spans: e.contentChanges.map((c) => [c.range.start.line, c.range.start.line + (c.text.match(/\n/g)?.length ?? 0)]), at: Date.now() });
        if (this.accepted.edited(doc, e.contentChanges.map((c) => ({ offset: c.rangeOffset, removed: c.rangeLength, text: c.text })))) {
          const { taken, offered } = this.accepted.tally();
          this.host.log(`completion taken at ${this.label(e.document)}:${e.contentChanges[0].range.start.line + 1} (${taken} of ${offered} offered this session)`);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.typedAt.delete(d.uri.toString());
        this.accepted.forget(d.uri.toString());
      }),
    ];
  }

  /**
   * Typed here: the last edit of this document spanned this line, or ended on the line before
   * (Enter). Enter between auto-closed braces spans from the brace's line to the closing one's.
   */
  private typedNear(document: vscode.TextDocument, position: vscode.Position): boolean {
    return (this.typedAt.get(document.uri.toString())?.spans ?? []).some(([first, last]) => position.line >= first && position.line <= last + 1);
  }

  /** A document's path as requests and the log name it: relative to the workspace, else its file name. */
  private label(document: vscode.TextDocument): string {
    return this.host.relative(document.uri) ?? path.basename(document.uri.path);
  }

  /** The document around a position as a request carries it: windows, where the prefix starts, the line. */
  private place(document: vscode.TextDocument, position: vscode.Position) {
    // Only the windows around the cursor: copying a large document on every keystroke would cost the typing thread.
    const offset = document.offsetAt(position);
    const start = document.positionAt(Math.max(0, offset - REQUEST_BEFORE_CHARS));
    return {
      path: this.label(document),
      // The windows with "\n" line ends, and where the prefix window starts (so the prompt's window start stays put).
      ...modelWindows(
        document.getText(new vscode.Range(start, position)),
        document.getText(new vscode.Range(position, document.positionAt(offset + REQUEST_AFTER_CHARS))),
        document.offsetAt(start),
        start.line,
        document.eol === vscode.EndOfLine.CRLF,
      ),
      line: position.line,
    };
  }

  /** The cursor came to rest: its prompt is read in the worker, ahead of any typing there. */
  private readAhead(editor: vscode.TextEditor): void {
    if (editor !== vscode.window.activeTextEditor || editor.selections.length !== 1 || !editor.selection.isEmpty) return;
    const settings = readSettings();
    if (!settings.completions.readAhead || !completionsEnabledFor(settings, editor.document.languageId)) return;
    if (!READ_AHEAD_SCHEMES.has(editor.document.uri.scheme)) return;
    this.host.readAhead(this.place(editor.document, editor.selection.active));
  }

  async provideInlineCompletionItems(document: vscode.TextDocument, position: vscode.Position, context: vscode.InlineCompletionContext, token: vscode.CancellationToken): Promise<vscode.InlineCompletionItem[] | undefined> {
    const settings = readSettings();
    if (!completionsEnabledFor(settings, document.languageId)) return undefined;
    if (context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic && !this.typedNear(document, position)) return undefined;
    const at = this.place(document, position);
    const { path: file, prefix, suffix } = at;
    const range = new vscode.Range(position, position);
    const doc = document.uri.toString();
    const offset = document.offsetAt(position);
    // Right after Tab accepted a suggestion at the end of its line, the next one waits for a new line (src/completion/accepted.ts).
    if (this.accepted.justAccepted(doc, offset) && document.lineAt(position.line).text.slice(position.character).trim() === '') {
      this.host.log(`completion ${file}:${position.line + 1}: none right after an accepted suggestion (the next one comes on a new line)`);
      return undefined;
    }
    const item = (text: string) => {
      const shown = documentText(text, document.eol === vscode.EndOfLine.CRLF);
      this.accepted.show(doc, offset, shown);
      return [new vscode.InlineCompletionItem(shown, range)];
    };

    const asked = Date.now();
    const edited = this.typedAt.get(doc)?.at;
    const cached = this.cache.get(file, prefix, suffix);
    if (cached) return item(cached);

    // On a new line, nothing typed yet but its indentation: the user waits for this suggestion, so it is asked at once.
    const lineStart = document.lineAt(position.line).text.slice(0, position.character).trim() === '';
    if (settings.completions.debounceMs > 0 && !lineStart) {
      await new Promise((r) => setTimeout(r, settings.completions.debounceMs));
      if (token.isCancellationRequested) return undefined;
    }
    const cancel = token.onCancellationRequested(() => this.host.cancelCompletion());
    const t0 = Date.now();
    try {
      const r = await this.host.complete({
        ...at,
        maxTokens: settings.completions.maxTokens,
        lineBudgetMs: settings.completions.lineBudgetMs,
        deadlineMs: settings.completions.deadlineMs,
        candidates: settings.completions.candidates > 0 ? settings.completions.candidates : undefined,
        // Typing brings up what the model is sure enough of; Alt+\ asks for whatever it writes.
        ...(context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic && settings.completions.confidence !== 'any' ? { minScore: MIN_SCORE[settings.completions.confidence] } : {}),
      });
      const sure = r.lineLogProb === undefined ? '' : `, line log-probability ${r.lineLogProb.toFixed(2)}${r.nextLogProb === undefined ? '' : `, next line's after it ${r.nextLogProb.toFixed(2)}`}${r.leavesBlock ? ' (judged alone: the next line leaves the block)' : ''}${r.between ? ' (shown at any level: the repository writes it between the same two lines)' : ''}`;
      const none = r.unsure ? ` (held back: the model is unsure of ${JSON.stringify(r.raw.split('\n')[0].trim().slice(0, 80))}, below samba.completions.confidence "${settings.completions.confidence}"; Alt+\\ shows it)` : r.text ? '' : ' (nothing worth showing)';
      this.host.log(`completion ${file}:${position.line + 1}: ${r.generated} tokens generated, ${r.prefilled} prefilled, context ${r.contextTokens}, ${Math.round(r.ms)} ms in the model, ${Date.now() - t0} ms end to end${edited !== undefined ? ` (asked ${asked - edited} ms after the edit, answered ${Date.now() - edited} ms after it)` : ''}, stopped: ${r.stopped}${sure}${none}`);
      if (token.isCancellationRequested || !r.text) return undefined;
      this.cache.set(file, prefix, suffix, r.text);
      return item(r.text);
    } catch (e) {
      const err = e as Error;
      if (!/abort/i.test(err.message)) this.host.log(`completion failed: ${err.message}`);
      return undefined;
    } finally {
      cancel.dispose();
    }
  }

  /** This session's suggestions offered and taken whole (src/completion/accepted.ts). */
  tally(): { readonly offered: number; readonly taken: number } {
    return this.accepted.tally();
  }

  clearCache(): void {
    this.cache.clear();
  }

  dispose(): void {
    clearTimeout(this.restTimer);
    this.subs.forEach((s) => s.dispose());
  }
}
