// The extension in a real VS Code (code-server's extension host, Node 24): activation, the command,
// and the engine behind it. run.mjs points samba.model.path at test/fixtures/samba-tiny.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { modelWorkers } from './workers';

const EXTENSION_ID = 'samba-code.samba-code';

type EngineInfo = { backend: string; family: string } | undefined;

type Shown = { messages: string[]; items: unknown[][]; restore: () => void };

/**
 * Records the messages the extension passes to vscode.window's `show` (the test shares its API
 * object); with `answer`, the notification is not shown and the answer is what the user picked.
 */
function spyOnMessages(show: 'showErrorMessage' | 'showWarningMessage', answer?: string): Shown | undefined {
  const win = vscode.window as unknown as Record<string, (...a: unknown[]) => unknown>;
  const original = win[show];
  const messages: string[] = [];
  const items: unknown[][] = [];
  try {
    win[show] = (...a: unknown[]) => {
      messages.push(String(a[0]));
      items.push(a.slice(1));
      return answer === undefined ? original.apply(vscode.window, a) : Promise.resolve(answer);
    };
  } catch {
    return undefined; // a read-only API object: the GUI test sees the notification instead
  }
  return win[show] === original ? undefined : { messages, items, restore: () => (win[show] = original) };
}
const spyOnErrorMessages = () => spyOnMessages('showErrorMessage');


describe('Samba Code in VS Code', () => {
  it('is installed in development mode and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers samba.showEngineInfo', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('samba.showEngineInfo'));
  });

  describe('samba.showEngineInfo', () => {
    const settings = () => vscode.workspace.getConfiguration('samba');
    let goodPath: string | undefined;
    before(() => {
      goodPath = settings().inspect<string>('model.path')?.globalValue;
    });
    afterEach(async () => {
      await settings().update('model.path', goodPath, vscode.ConfigurationTarget.Global);
    });

    // Runs first: the extension keeps the engine it loaded, so a bad path only shows before a good load.
    it('returns undefined and shows an error for a model folder that does not exist', async () => {
      const missing = '/nonexistent/samba-model';
      await settings().update('model.path', missing, vscode.ConfigurationTarget.Global);
      assert.equal(settings().get('model.path'), missing);
      const spy = spyOnErrorMessages();
      try {
        const info = await vscode.commands.executeCommand<EngineInfo>('samba.showEngineInfo');
        assert.equal(info, undefined);
        assert.ok(spy, 'vscode.window.showErrorMessage could not be watched here');
        assert.equal(spy.messages.length, 1, `error messages: ${JSON.stringify(spy.messages)}`);
        assert.match(spy.messages[0], /^Samba: /);
        assert.ok(spy.messages[0].includes(missing), `the error should name the folder: ${spy.messages[0]}`);
      } finally {
        spy?.restore();
      }
    });

    it('loads the tiny Samba model and runs it on the GPU (WebGPU)', async () => {
      const info = await vscode.commands.executeCommand<EngineInfo>('samba.showEngineInfo');
      assert.deepEqual(info, { backend: 'gpu', family: 'samba' });
    });
  });

  // Without a hardware GPU, `auto` runs the CPU engine and says so; a reload (idle release, a
  // setting) must not say it again, and the user can hide it for good.
  describe('the notice that the CPU runs the model', () => {
    const settings = () => vscode.workspace.getConfiguration('samba');
    let original: string | undefined;
    before(() => (original = settings().inspect<string>('engine.backend')?.globalValue));
    after(async () => {
      await settings().update('engine.backend', original, vscode.ConfigurationTarget.Global);
      assert.deepEqual(await vscode.commands.executeCommand<EngineInfo>('samba.showEngineInfo'), { backend: 'gpu', family: 'samba' });
    });

    it("appears once per window, with Don't Show Again", async () => {
      const spy = spyOnMessages('showWarningMessage', "Don't Show Again");
      assert.ok(spy, 'vscode.window.showWarningMessage could not be watched here');
      try {
        await settings().update('engine.backend', 'auto', vscode.ConfigurationTarget.Global);
        assert.deepEqual(await vscode.commands.executeCommand<EngineInfo>('samba.showEngineInfo'), { backend: 'cpu', family: 'samba' });
        const noGpu = () => spy.messages.filter((m) => /^Samba: No GPU to use/.test(m));
        assert.equal(noGpu().length, 1, `warnings: ${JSON.stringify(spy.messages)}`);
        assert.deepEqual(spy.items[spy.messages.indexOf(noGpu()[0])], ["Don't Show Again"]);
        // The model loaded again on the CPU, after a load on the GPU: no second notice.
        await settings().update('engine.backend', 'gpu', vscode.ConfigurationTarget.Global);
        assert.deepEqual(await vscode.commands.executeCommand<EngineInfo>('samba.showEngineInfo'), { backend: 'gpu', family: 'samba' });
        await settings().update('engine.backend', 'auto', vscode.ConfigurationTarget.Global);
        assert.deepEqual(await vscode.commands.executeCommand<EngineInfo>('samba.showEngineInfo'), { backend: 'cpu', family: 'samba' });
        assert.equal(noGpu().length, 1, `warnings: ${JSON.stringify(spy.messages)}`);
      } finally {
        spy.restore();
      }
    });
  });

  describe('samba.chooseModel', () => {
    const settings = () => vscode.workspace.getConfiguration('samba');
    let original: string | undefined;
    before(() => (original = settings().inspect<string>('model.path')?.globalValue));
    // Leave the tiny model loaded and the workspace read, for the suites that follow.
    after(async () => {
      await settings().update('model.path', original, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('samba.reindex');
    });

    it('refuses a folder that is not a model, naming what is wrong, and keeps the current model', async () => {
      const notAModel = vscode.workspace.workspaceFolders![0].uri; // a code folder: no config.json
      const r = await vscode.commands.executeCommand<string | undefined>('samba.chooseModel', notAModel);
      assert.equal(r, undefined);
      assert.equal(settings().get('model.path'), original);
    });

    it('switches to a valid folder (Hugging Face Mamba) without restarting', async () => {
      const mamba = path.resolve(original!, '..', 'mamba-hf-tiny');
      const r = await vscode.commands.executeCommand<string | undefined>('samba.chooseModel', vscode.Uri.file(mamba));
      assert.match(r ?? '', /^mamba: 3 blocks x 64/);
      assert.equal(settings().get('model.path'), mamba);
      const info = await vscode.commands.executeCommand<EngineInfo>('samba.showEngineInfo');
      assert.deepEqual(info, { backend: 'gpu', family: 'mamba' });
    });
  });

  // Dawn aborts the process it runs in on some GPU driver faults. The model runs in a child process,
  // so the extension host (this process, and every other extension in it) survives, and the next
  // command loads the model again.
  describe('a crash of the model worker', () => {
    it('leaves the extension host running, and the next command loads the model in a new worker', async () => {
      const before = await vscode.commands.executeCommand<EngineInfo>('samba.showEngineInfo');
      assert.ok(before, 'a model is loaded');
      const workers = modelWorkers();
      assert.equal(workers.length, 1, `model workers of this extension host: ${workers.join(', ')}`);
      process.kill(workers[0], 'SIGABRT');
      // Until the host has reaped it (a zombie keeps its /proc entry, without a command line, until then).
      for (let i = 0; i < 100 && existsSync(`/proc/${workers[0]}`); i++) await new Promise((r) => setTimeout(r, 100));
      const after = await vscode.commands.executeCommand<EngineInfo>('samba.showEngineInfo');
      assert.deepEqual(after, before);
      const now = modelWorkers();
      assert.equal(now.length, 1, `model workers after the crash: ${now.join(', ')}`);
      assert.notEqual(now[0], workers[0]);
      // The suites that follow expect the workspace read.
      await vscode.commands.executeCommand('samba.reindex');
    });
  });
});
