import * as vscode from 'vscode';
import * as path from 'node:path';
import { loadModel } from './model/load';
import { describeConfig } from './model/config';
import { createEngine, type Backend } from './engine/create';
import type { Engine } from './engine/engine';

/** Wires commands and disposables; model loading happens on first use, never on the typing path. */
export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Samba');
  let engine: Promise<Engine> | undefined;
  const getEngine = () => {
    if (!engine) {
      const settings = vscode.workspace.getConfiguration('samba');
      const dir = settings.get<string>('model.path') || path.join(context.extensionPath, 'models', 'default');
      const backend = settings.get<Backend>('engine.backend', 'auto');
      engine = loadModel(dir).then((model) =>
        createEngine(model, {
          backend,
          onNotice: (m) => {
            output.appendLine(m);
            void vscode.window.showWarningMessage(`Samba: ${m}`);
          },
        }),
      );
      engine.catch(() => (engine = undefined));
    }
    return engine;
  };
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('samba.showEngineInfo', async () => {
      try {
        const e = await getEngine();
        const msg = `Samba: ${describeConfig(e.model.config)} on the ${e.backend === 'gpu' ? 'GPU' : 'CPU reference'}`;
        output.appendLine(msg);
        void vscode.window.showInformationMessage(msg);
        return { backend: e.backend, family: e.model.config.family };
      } catch (err) {
        void vscode.window.showErrorMessage(`Samba: ${(err as Error).message}`);
        return undefined;
      }
    }),
    { dispose: () => void engine?.then((e) => e.dispose(), () => undefined) },
  );
}

export function deactivate(): void {}
