import * as vscode from 'vscode';
import type { ModelHost, HostState } from './model-host';
import { readSettings } from './settings';
import { formatMs, formatTokens } from './format';

/** State, context size and last latency at a glance; a click opens the menu. */
export function createStatusBar(host: ModelHost): vscode.Disposable {
  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  item.name = 'Samba';
  item.command = 'samba.showMenu';
  const render = (s: HostState) => {
    const off = !readSettings().completions.enable;
    const latency = host.lastCompletion ? ` · ${formatMs(host.lastCompletion.ms)}` : '';
    const contextTokens = host.contextSize?.tokens ?? 0;
    switch (s.kind) {
      case 'off':
        item.text = '$(circle-outline) Samba';
        item.tooltip = 'Samba: the model loads on first use.';
        break;
      case 'loading':
        item.text = '$(loading~spin) Samba';
        item.tooltip = `Samba: loading the model${s.detail ? `; ${s.detail}` : ''}…`;
        break;
      case 'indexing': {
        const p = s.progress && s.progress.totalTokens ? ` ${Math.round((100 * s.progress.doneTokens) / s.progress.totalTokens)}%` : '';
        item.text = `$(sync~spin) Samba${p}`;
        item.tooltip = `Samba: reading the workspace into the model’s state${s.progress?.file ? ` (${s.progress.file})` : ''}. Completions work meanwhile. Click to stop it or for the menu.`;
        break;
      }
      case 'ready': {
        // Running on the CPU reference although a GPU was asked for (none at load, or lost since): say so until a restart.
        const fallback = host.engineSummary?.fallback;
        item.text = `${off ? '$(circle-slash)' : fallback ? '$(warning)' : '$(sparkle)'} Samba${fallback ? ' CPU' : ''}${contextTokens ? ` ${formatTokens(contextTokens)}` : ''}${latency}`;
        const where = host.engineSummary?.decoder ? ` Prompts run on ${host.engineSummary.deviceName} (a software GPU), tokens on the ${host.engineSummary.decoder}.` : '';
        const files = host.contextSize ? ` (${host.contextSize.files} files)` : '';
        item.tooltip = `Samba: ${off ? 'completions off' : 'ready'}${contextTokens ? `; ${contextTokens.toLocaleString('en-US')} tokens of workspace context${files}` : ''}${latency ? `; last completion took ${formatMs(host.lastCompletion!.ms)}${host.lastCompletion!.unsure ? ', held back as unsure (Alt+\\ shows it; the menu says which suggestions appear)' : ''}` : ''}.${fallback ? ` ${fallback.replace(/\.$/, '')}.` : ''}${where} Click for the menu.`;
        break;
      }
      case 'error':
        item.text = '$(warning) Samba';
        item.tooltip = `Samba: ${s.message}`;
        break;
    }
    item.show();
  };
  render(host.state);
  const sub = host.onDidChangeState(render);
  const cfg = vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('samba') && render(host.state));
  return vscode.Disposable.from(item, sub, cfg);
}
