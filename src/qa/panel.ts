import * as vscode from 'vscode';
import type { Answer, QaService } from './conversation';
import { makeNonce, qaHtml } from './html';
import { parseWebviewMessage, type HostMessage, type StoredTurn, type WebviewMessage } from './messages';

export const QA_COMMANDS = {
  open: 'samba.qa.open',
  ask: 'samba.qa.ask',
  stop: 'samba.qa.stop',
  newConversation: 'samba.qa.newConversation',
} as const;

const HISTORY_KEY = 'samba.qa.history';
const MAX_STORED_TURNS = 50;

/** The Q&A panel and its commands. `samba.qa.ask` (question) returns the Answer, for tests and other commands. */
export function registerQaPanel(context: vscode.ExtensionContext, getAssistant: () => Promise<QaService>): void {
  const qa = new QaController(context, getAssistant);
  context.subscriptions.push(
    qa,
    vscode.commands.registerCommand(QA_COMMANDS.open, () => qa.show()),
    vscode.commands.registerCommand(QA_COMMANDS.ask, async (question?: unknown) => {
      const q = typeof question === 'string' ? question : await vscode.window.showInputBox({ prompt: 'Ask about this workspace' });
      if (!q?.trim()) return undefined;
      await qa.show();
      return qa.ask(q);
    }),
    vscode.commands.registerCommand(QA_COMMANDS.stop, () => qa.stop()),
    vscode.commands.registerCommand(QA_COMMANDS.newConversation, () => qa.reset()),
  );
}

class QaController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private turns: StoredTurn[];
  private running: { abort: AbortController; done: Promise<unknown> } | undefined;
  /** Messages from the webview that failed validation (kept for diagnosis, never acted on). */
  dropped = 0;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly getAssistant: () => Promise<QaService>,
  ) {
    this.turns = context.workspaceState.get<StoredTurn[]>(HISTORY_KEY, []);
  }

  async show(): Promise<void> {
    if (this.panel) return this.panel.reveal(undefined, true);
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    const panel = (this.panel = vscode.window.createWebviewPanel('samba.qa', 'Samba: Ask', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [media],
    }));
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
      this.stop();
    });
    panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw));
    const template = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(media, 'qa.html')));
    panel.webview.html = qaHtml(template, {
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'qa.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'qa.css')).toString(),
    });
  }

  /** Answers `question` in the panel (a running answer is stopped first) and keeps the turn. */
  async ask(question: string): Promise<Answer | undefined> {
    await this.stopAndWait();
    const abort = new AbortController();
    const run = this.run(question.trim(), abort.signal);
    this.running = { abort, done: run };
    try {
      return await run;
    } finally {
      if (this.running?.abort === abort) this.running = undefined;
    }
  }

  stop(): void {
    this.running?.abort.abort();
  }

  async reset(): Promise<void> {
    await this.stopAndWait();
    this.turns = [];
    await this.save();
    this.post({ type: 'history', turns: [], busy: false });
  }

  dispose(): void {
    this.stop();
    this.panel?.dispose();
  }

  private async run(question: string, signal: AbortSignal): Promise<Answer | undefined> {
    this.post({ type: 'start', question });
    this.post({ type: 'status', text: 'Finding relevant files…' });
    let text = '';
    let sources: StoredTurn['sources'] = [];
    try {
      const assistant = await this.getAssistant();
      // One request: the model worker retrieves next to the workspace's text and streams back.
      const answer = await assistant.ask({ question, history: this.turns.map(({ question: q, answer: a }) => ({ question: q, answer: a })) }, {
        onSources: (s) => {
          sources = s;
          this.post({ type: 'sources', sources: s });
          this.post({ type: 'status', text: 'Answering…' });
        },
        onText: (delta) => {
          text += delta;
          this.post({ type: 'delta', text: delta });
        },
      }, signal);
      await this.finish({ question, answer: answer.text, sources, stopped: answer.stopped });
      return answer;
    } catch (e) {
      void vscode.window.showErrorMessage(`Samba: ${(e as Error).message}`);
      await this.finish({ question, answer: text, sources, stopped: 'error' });
      return undefined;
    }
  }

  private async finish(turn: StoredTurn): Promise<void> {
    this.turns = [...this.turns, turn].slice(-MAX_STORED_TURNS);
    this.post({ type: 'status', text: '' });
    this.post({ type: 'done', stopped: turn.stopped });
    await this.save();
  }

  private async stopAndWait(): Promise<void> {
    const r = this.running;
    if (!r) return;
    r.abort.abort();
    await r.done.catch(() => undefined);
  }

  private save(): Thenable<void> {
    return this.context.workspaceState.update(HISTORY_KEY, this.turns);
  }

  private post(m: HostMessage): void {
    void this.panel?.webview.postMessage(m);
  }

  private onMessage(raw: unknown): void {
    const m: WebviewMessage | undefined = parseWebviewMessage(raw);
    if (!m) {
      this.dropped++;
      return;
    }
    switch (m.type) {
      case 'ready':
        return this.post({ type: 'history', turns: this.turns, busy: !!this.running });
      case 'ask':
        return void this.ask(m.question);
      case 'stop':
        return this.stop();
      case 'new':
        return void this.reset();
      case 'open':
        return void openCitation(m.path, m.line);
    }
  }
}

/** Opens a workspace file at a line; `rel` was checked by citationPath (relative, no `..`, no scheme). */
export async function openCitation(rel: string, line: number): Promise<boolean> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, ...rel.split('/'));
    if (!uri.path.startsWith(folder.uri.path.replace(/\/$/, '') + '/')) continue;
    const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
    if (!stat || stat.type & vscode.FileType.Directory) continue;
    const at = new vscode.Position(Math.max(0, line - 1), 0);
    const editor = await vscode.window.showTextDocument(uri, { selection: new vscode.Range(at, at), viewColumn: vscode.ViewColumn.One, preview: true });
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return true;
  }
  void vscode.window.showWarningMessage(`Samba: ${rel} is not in this workspace.`);
  return false;
}
