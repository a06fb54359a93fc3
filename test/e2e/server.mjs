// Shared by run.mjs (extension tests in the extension host) and gui.mjs (Playwright GUI test):
// starts code-server (VS Code 1.139 in a browser, with a real Node extension host) on a free loopback
// port with a fresh user-data-dir and a copy of test/e2e/workspace/, and launches headless Chromium.
// Everything a run writes lives in one temp folder, removed at the end unless SAMBA_E2E_KEEP=1.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE = join(ROOT, '.vscode-test');
export const SCREENS = join(CACHE, 'screens');

const t0 = Date.now();
export const log = (...a) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

/**
 * Runs setup.sh (quiet and fast when everything is installed) and returns the paths it wrote.
 * SAMBA_E2E_PATHS names a paths.json of a set-up made elsewhere (the GPU machine's, by
 * scripts/try-on-device.sh), where setup.sh cannot install anything.
 */
export function ensureSetup() {
  if (process.env.SAMBA_E2E_PATHS) return JSON.parse(readFileSync(process.env.SAMBA_E2E_PATHS, 'utf8'));
  const r = spawnSync('bash', [join(ROOT, 'test/e2e/setup.sh')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('test/e2e/setup.sh failed');
  return JSON.parse(readFileSync(join(CACHE, 'paths.json'), 'utf8'));
}

/** Fails early, with the fix, when the extension or the e2e suites have not been built. */
export function ensureBuilt() {
  for (const f of ['dist/extension.js', 'out/test/e2e/host-runner.js'])
    if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
}

/** User settings of the test instance: a quiet workbench, and the model the extension should load. */
export function testSettings() {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.enableExperiments': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'chat.disableAIFeatures': true,
    'files.autoSave': 'off',
    'git.enabled': false,
    'typescript.tsserver.experimental.enableProjectDiagnostics': false,
    // The language's own suggest widget would compete with ghost text for Tab.
    'editor.quickSuggestions': { other: false, comments: false, strings: false },
    'editor.suggestOnTriggerCharacters': false,
    // The tiny random model of the fixtures, unless SAMBA_E2E_MODEL names another folder
    // (SAMBA_E2E_MODEL= with an empty value: the extension's embedded default model).
    'samba.model.path': process.env.SAMBA_E2E_MODEL ?? join(ROOT, 'test/fixtures/samba-tiny'),
    // These suites exercise the WebGPU engine (lavapipe on CI), which "auto" would leave for the CPU
    // engine on a software adapter; first-hour.mjs runs with "auto", as a user does.
    'samba.engine.backend': process.env.SAMBA_E2E_BACKEND ?? 'gpu',
  };
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/**
 * Starts code-server. `smokeDriver` turns on the workbench's smoke-test driver, which is what makes it
 * honour the extensionTestsPath of the URL payload and report the result to window.codeAutomationExit.
 */
export async function startServer({ name, smokeDriver = false, installExtension = false, vsix, settings = {}, env = {}, workspaceFrom = join(ROOT, 'test/e2e/workspace') }) {
  const paths = ensureSetup();
  ensureBuilt();
  const tmp = mkdtempSync(join(tmpdir(), `samba-e2e-${name}-`));
  const workspace = join(tmp, 'workspace');
  cpSync(workspaceFrom, workspace, { recursive: true });
  const userData = join(tmp, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User/settings.json'), JSON.stringify({ ...testSettings(), ...settings }, null, 2));
  writeFileSync(join(tmp, 'config.yaml'), 'auth: none\ncert: false\n'); // else it writes ~/.config/code-server
  const extensionsDir = join(tmp, 'extensions');
  mkdirSync(extensionsDir);
  if (installExtension) {
    // An installed extension, as a user has it: code-server scans a fresh extensions folder (no
    // extensions.json yet) at start and picks up <publisher>.<name>-<version>, here a link to the repo.
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    symlinkSync(ROOT, join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`));
  }
  if (vsix) {
    // A packaged VSIX installed as a user would: code-server's own --install-extension.
    const r = spawnSync(paths.node, [paths.codeServer, '--user-data-dir', userData, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dirname(paths.node)}:${process.env.PATH}` },
    });
    if (r.status !== 0) throw new Error(`installing ${vsix} failed:\n${r.stdout}\n${r.stderr}`);
    log(`installed ${vsix}`);
  }
  const port = await freePort();
  const args = [paths.codeServer, '--config', join(tmp, 'config.yaml'), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', userData, '--extensions-dir', extensionsDir,
    ...(smokeDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []), workspace];
  const serverLog = join(tmp, 'server.log');
  const out = createWriteStream(serverLog);
  const server = spawn(paths.node, args, {
    cwd: tmp,
    detached: true, // its own process group: server, extension host, file watchers, pty host
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp', PATH: `${dirname(paths.node)}:${process.env.PATH}`, ...env },
  });
  server.stdout.pipe(out);
  server.stderr.pipe(out);
  let exited = false;
  const exit = new Promise((res) => server.once('exit', (code, sig) => ((exited = true), res(code ?? sig))));

  const base = `http://127.0.0.1:${port}`;
  for (const until = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 100))) {
    if (exited) throw new Error(`code-server exited at start:\n${readFileSync(serverLog, 'utf8').slice(-3000)}`);
    if (Date.now() > until) throw new Error('code-server did not answer /healthz within 30 s');
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch {}
  }
  log(`code-server ${base} (pid ${server.pid}), workspace ${workspace}`);

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: paths.chromium,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });

  let stopped = false;
  const stop = async ({ keepLog } = {}) => {
    if (stopped) return;
    stopped = true;
    await browser.close().catch(() => {});
    for (const [sig, wait] of [['SIGTERM', 5000], ['SIGKILL', 5000]]) {
      if (exited) break;
      try { process.kill(-server.pid, sig); } catch {}
      await Promise.race([exit, new Promise((r) => setTimeout(r, wait))]);
    }
    try { process.kill(-server.pid, 'SIGKILL'); } catch {} // stragglers of the group (extension host)
    if (keepLog) {
      mkdirSync(CACHE, { recursive: true });
      cpSync(serverLog, join(CACHE, `${name}-server.log`));
      log(`server log: ${join(CACHE, `${name}-server.log`)}`);
    }
    if (process.env.SAMBA_E2E_KEEP !== '1') rmSync(tmp, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => void stop().then(() => process.exit(130)));

  /** A vscode-remote URI for a path on the server (the workbench's payload wants these). */
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  /** The workbench URL; `payload` entries are [name, value] pairs (extensionDevelopmentPath, ...). */
  const url = (payload = []) =>
    `${base}/?folder=${encodeURIComponent(workspace)}` + (payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '');
  return { port, base, tmp, workspace, browser, remote, url, stop };
}

/** The summary line every test entry point ends with. */
export function summary(passed, failed) {
  console.log(`\n${passed} passed, ${failed} failed`);
}
