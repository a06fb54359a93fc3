// first-hour.mjs: a new user's first hour (out/test/e2e/first-hour.e2e-hour.js) on a copy of a real npm
// package the model was not trained on (@textlint/linter-formatter, MIT, from node_modules), with the
// embedded default model unless SAMBA_E2E_MODEL names another; prints the latencies it saw and keeps
// them in .vscode-test/first-hour.json. The harness is run.mjs's (below).
//
// Runs the extension's e2e suites (out/test/e2e/*.e2e.js, built by `npm run build`) inside a real
// VS Code: code-server's extension host, with the workbench in headless Chromium. code-server refuses
// --extensionDevelopmentPath/--extensionTestsPath, so the workbench gets them through its URL payload
// and runs with the smoke-test driver on; it then loads our extension from the repository root in
// development mode, calls run() of out/test/e2e/host-runner.js in the extension host and reports the
// exit code to window.codeAutomationExit. The per-test outcome comes from the JSON file host-runner
// writes. Ends with "N passed, N failed"; exits 1 on any failure, 2 on a timeout or a harness error.
// Usage: node test/e2e/first-hour.mjs [grep]
// Env: SAMBA_E2E_MODEL (model folder; default the embedded model), SAMBA_E2E_TIMEOUT_MS (2400000),
//      SAMBA_E2E_KEEP=1 (keep the temp folder).
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SCREENS, log, startServer, summary } from './server.mjs';

const TIMEOUT_MS = Number(process.env.SAMBA_E2E_TIMEOUT_MS || 2_400_000);
const PACKAGE = join(ROOT, 'node_modules/@textlint/linter-formatter');
const grep = process.argv[2];

let code = 2;
let server;
let counts = [0, 1];
try {
  const resultFile = join(ROOT, '.vscode-test', 'first-hour-result.json');
  const reportFile = join(ROOT, '.vscode-test', 'first-hour.json');
  rmSync(reportFile, { force: true });
  mkdirSync(join(ROOT, '.vscode-test'), { recursive: true });
  rmSync(resultFile, { force: true });
  // The extension host inherits the server's environment: that is how the runner learns where to write.
  if (!existsSync(join(PACKAGE, 'src'))) throw new Error(`${PACKAGE} is missing: run npm ci`);
  server = await startServer({
    name: 'first-hour',
    smokeDriver: true,
    workspaceFrom: PACKAGE,
    settings: { 'samba.model.path': process.env.SAMBA_E2E_MODEL ?? '', 'samba.engine.backend': 'auto' },
    env: { SAMBA_E2E_RESULT: resultFile, SAMBA_E2E_GREP: grep ?? '', SAMBA_E2E_SUITES: '.e2e-hour.js', SAMBA_FIRST_HOUR_REPORT: reportFile },
  });

  const page = await server.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const hostLines = [];
  page.on('console', (m) => {
    // The workbench echoes the extension host's console into the page (prefixed "[Extension Host]").
    const t = m.text();
    if (t.includes('Extension Host')) hostLines.push(t);
  });
  let reportExit;
  const exited = new Promise((res) => (reportExit = res));
  await page.exposeFunction('codeAutomationExit', (c) => reportExit(c)); // before the workbench loads
  await page.goto(server.url([
    ['extensionDevelopmentPath', server.remote(ROOT)],
    ['extensionTestsPath', server.remote(join(ROOT, 'out/test/e2e/host-runner.js'))],
  ]));
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  log('workbench loaded, tests running in the extension host');
  const exitCode = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), TIMEOUT_MS))]);

  if (exitCode === 'timeout') {
    mkdirSync(SCREENS, { recursive: true });
    await page.screenshot({ path: join(SCREENS, 'first-hour-timeout.png') }).catch(() => {});
    console.error(`e2e: no result after ${TIMEOUT_MS / 1000} s (screenshot: .vscode-test/screens/first-hour-timeout.png)`);
  }
  const result = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : undefined;
  if (result) {
    console.log(`\n  e2e suites in the extension host (Node ${result.node}, ${(result.ms / 1000).toFixed(1)} s):`);
    for (const t of result.tests) {
      console.log(`    ${t.state === 'passed' ? '✔' : t.state === 'failed' ? '✘' : '-'} ${t.title}${t.ms != null ? ` (${t.ms} ms)` : ''}`);
      if (t.error) console.log(t.error.replace(/^/gm, '        '));
    }
  } else if (exitCode !== 'timeout') {
    console.error(`e2e: the workbench exited with ${exitCode} but wrote no result file; extension host output:`);
    for (const l of hostLines.slice(-40)) console.error(`  ${l.slice(0, 400)}`);
  }
  if (existsSync(reportFile)) console.log(`\n  first hour, latencies (${reportFile}):\n${readFileSync(reportFile, 'utf8').replace(/^/gm, '    ')}`);
  const passed = result?.passed ?? 0;
  const failed = result ? result.failed : 1;
  counts = [passed, failed];
  code = exitCode === 'timeout' || !result ? 2 : failed || exitCode !== 0 ? 1 : 0;
} catch (e) {
  console.error('e2e: harness error:', e?.stack ?? e);
  code = 2;
} finally {
  await server?.stop({ keepLog: code !== 0 });
}
summary(...counts);
process.exit(code);
