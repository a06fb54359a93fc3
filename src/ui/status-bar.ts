import * as vscode from 'vscode';
import type { ModelHost, HostState } from './model-host';
import { readSettings } from './settings';

/** State, context size and last latency at a glance; a click opens the menu. */
export function createStatusBar(host: ModelHost): vscode.Disposable {
  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  item.name = 'Samba';
  item.command = 'samba.showMenu';
  let contextTokens = 0;
  const render = (s: HostState) => {
    const off = !readSettings().completions.enable;
    const latency = host.lastCompletion ? ` · ${Math.round(host.lastCompletion.ms)} ms` : '';
    if (host.lastCompletion) contextTokens = host.lastCompletion.contextTokens;
    switch (s.kind) {
      case 'off':
        item.text = '$(circle-outline) Samba';
        item.tooltip = 'Samba: the model loads on first use.';
        break;
      case 'loading':
        item.text = '$(loading~spin) Samba';
        item.tooltip = 'Samba: loading the model…';
        break;
      case 'indexing': {
        const p = s.progress && s.progress.totalTokens ? ` ${Math.round((100 * s.progress.doneTokens) / s.progress.totalTokens)}%` : '';
        item.text = `$(sync~spin) Samba${p}`;
        item.tooltip = 'Samba: reading the workspace into the model’s state. Completions work meanwhile.';
        break;
      }
      case 'ready': {
        // Running on the CPU reference although a GPU was asked for (none at load, or lost since): say so until a restart.
        const fallback = host.engineSummary?.fallback;
        item.text = `${off ? '$(circle-slash)' : fallback ? '$(warning)' : '$(sparkle)'} Samba${fallback ? ' CPU' : ''}${contextTokens ? ` ${formatTokens(contextTokens)}` : ''}${latency}`;
        const where = host.engineSummary?.decoder ? ` Prompts run on ${host.engineSummary.deviceName} (a software GPU), tokens on the ${host.engineSummary.decoder}.` : '';
        item.tooltip = `Samba: ${off ? 'completions off' : 'ready'}${contextTokens ? `; ${contextTokens} tokens of workspace context` : ''}${latency ? `; last completion${latency}` : ''}.${fallback ? ` ${fallback.replace(/\.$/, '')}.` : ''}${where} Click for the menu.`;
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

function formatTokens(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)}K` : String(n);
}
