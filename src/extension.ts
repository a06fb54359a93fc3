import * as vscode from 'vscode';
import { ModelHost } from './ui/model-host';
import { SambaInlineProvider } from './ui/inline-provider';
import { createStatusBar } from './ui/status-bar';
import { ContextView } from './ui/context-view';
import { watchWorkspace } from './ui/workspace-events';
import { readSettings } from './ui/settings';
import { CONFIDENCE_CHOICES, takenThisSession } from './completion/confidence';
import { WorkerAssistant } from './ui/worker-assistant';
import { registerQaPanel } from './qa/panel';
import { registerSummarizeCommands } from './summarize/summarize';

/** What the extension tells other extensions (and the e2e tests): the completions it ran, with their latencies, and the places it read ahead. */
export interface SambaApi {
  completions(): readonly { path: string; at: number; ms: number; prefilled: number; generated: number; shown: boolean; unsure: boolean; text: string | undefined }[];
  readAheads(): readonly { path: string; line: number; at: number; outcome: string; prefilled: number; ms: number }[];
}

/** Wires commands, providers and disposables. The model lives in a worker process and loads on first use. */
export function activate(context: vscode.ExtensionContext): SambaApi {
  const output = vscode.window.createOutputChannel('Samba');
  const host = new ModelHost(context, output);
  const inline = new SambaInlineProvider(host);
  const contextView = new ContextView();

  const assistant = new WorkerAssistant(host);
  const getAssistant = async () => (await host.engine(), assistant);
  registerQaPanel(context, getAssistant);
  registerSummarizeCommands(context, getAssistant);

  const showError = (e: unknown) => void vscode.window.showErrorMessage(`Samba: ${(e as Error).message}`, 'Show Output').then((a) => a && output.show());

  context.subscriptions.push(
    output,
    host,
    inline,
    createStatusBar(host),
    watchWorkspace(host),
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, inline),
    vscode.workspace.registerTextDocumentContentProvider('samba', contextView),
    vscode.commands.registerCommand('samba.showEngineInfo', async () => {
      try {
        const s = await host.engine();
        const msg = `Samba: ${s.model} on ${s.backend === 'gpu' ? `the GPU (${s.deviceName})` : `the ${s.deviceName}`}${s.decoder ? `; tokens are generated on the ${s.decoder}, faster than on this software GPU` : ''}`;
        void vscode.window.showInformationMessage(msg);
        return { backend: s.backend, family: s.family };
      } catch (e) {
        showError(e);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('samba.showContext', async () => {
      try {
        const report = await host.describe();
        await contextView.show(report);
        return report;
      } catch (e) {
        showError(e);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('samba.reindex', async () => {
      await host.engine().catch(showError);
      inline.clearCache();
      return host.index();
    }),
    vscode.commands.registerCommand('samba.toggleCompletions', async () => {
      const s = vscode.workspace.getConfiguration('samba');
      await s.update('completions.enable', !s.get('completions.enable', true), vscode.ConfigurationTarget.Global);
    }),
    vscode.commands.registerCommand('samba.chooseConfidence', async () => {
      const now = readSettings().completions.confidence;
      const pick = await vscode.window.showQuickPick(
        CONFIDENCE_CHOICES.map((c) => ({ ...c, description: c.level === now ? '(current)' : undefined })),
        { title: `Samba: which suggestions appear while typing (Alt+\\ always shows what the model writes)${takenThisSession(inline.tally())}` },
      );
      if (pick) await vscode.workspace.getConfiguration('samba').update('completions.confidence', pick.level, vscode.ConfigurationTarget.Global);
      return pick?.level;
    }),
    vscode.commands.registerCommand('samba.stopReading', () => {
      const stopped = host.stopReading();
      if (!stopped) void vscode.window.showInformationMessage('Samba: the workspace is not being read.');
      return stopped;
    }),
    vscode.commands.registerCommand('samba.showMenu', async () => {
      const on = readSettings().completions.enable;
      const reading = host.state.kind === 'indexing';
      const pick = await vscode.window.showQuickPick(
        [
          ...(reading ? [{ label: '$(debug-stop) Stop reading the workspace', command: 'samba.stopReading' }] : []),
          { label: '$(list-tree) Show workspace context', command: 'samba.showContext' },
          { label: on ? '$(circle-slash) Turn completions off' : '$(sparkle) Turn completions on', command: 'samba.toggleCompletions' },
          { label: '$(filter) Which suggestions appear while typing', description: CONFIDENCE_CHOICES.find((c) => c.level === readSettings().completions.confidence)?.label, command: 'samba.chooseConfidence' },
          { label: '$(sync) Re-read the workspace', command: 'samba.reindex' },
          { label: '$(info) Engine info', command: 'samba.showEngineInfo' },
          { label: '$(debug-restart) Restart the model', command: 'samba.restartModel' },
          { label: '$(output) Show output', command: 'samba.showOutput' },
          { label: '$(gear) Settings', command: 'samba.openSettings' },
        ],
        { title: 'Samba' },
      );
      if (pick) await vscode.commands.executeCommand(pick.command);
    }),
    vscode.commands.registerCommand('samba.chooseModel', async (folder?: vscode.Uri) => {
      const dir = folder ?? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Use This Model', title: 'Samba: choose a model folder (config.json, *.safetensors, tokenizer.json)' }))?.[0];
      if (!dir) return undefined;
      try {
        const summary = await host.validate(dir.fsPath);
        await vscode.workspace.getConfiguration('samba').update('model.path', dir.fsPath, vscode.ConfigurationTarget.Global);
        void vscode.window.showInformationMessage(`Samba: switched to ${summary}.`);
        return summary;
      } catch (e) {
        showError(e);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('samba.restartModel', async () => {
      inline.clearCache();
      try {
        const s = await host.restart();
        void vscode.window.showInformationMessage(`Samba: restarted on ${s.backend === 'gpu' ? `the GPU (${s.deviceName})` : `the ${s.deviceName}`}.`);
        return { backend: s.backend, family: s.family };
      } catch (e) {
        showError(e);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('samba.showOutput', () => output.show()),
    vscode.commands.registerCommand('samba.openSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:samba-code.samba-code')),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // What was shown under another confidence level is not served from the cache under this one.
      if (e.affectsConfiguration('samba.completions.confidence')) inline.clearCache();
      if (e.affectsConfiguration('samba.model') || e.affectsConfiguration('samba.engine') || e.affectsConfiguration('samba.context') || e.affectsConfiguration('files.exclude')) {
        inline.clearCache();
        host.reload();
        host.engine().catch(() => undefined);
      }
    }),
  );
  // Start loading once the window is up; typing never waits on it.
  setTimeout(() => host.engine().catch((e) => host.log(`loading the model failed: ${(e as Error).message}`)), 1000);
  return {
    completions: () => host.completions.map((c) => ({ path: c.path, at: c.at, ms: c.ms, prefilled: c.prefilled, generated: c.generated, shown: c.text !== undefined, unsure: c.unsure === true, text: c.text })),
    readAheads: () => [...host.readAheads],
  };
}

export function deactivate(): void {}
