// The harness of the e2e entry points that run mocha suites in the extension host (run.mjs,
// first-hour.mjs): code-server's extension host, with the workbench in headless Chromium.
// code-server refuses --extensionDevelopmentPath/--extensionTestsPath, so the workbench gets them
// through its URL payload and runs with the smoke-test driver on; it then loads our extension from
// the repository root in development mode, calls run() of out/test/e2e/host-runner.js in the
// extension host and reports the exit code to window.codeAutomationExit. The per-test outcome comes
// from the JSON file host-runner writes. Ends with "N passed, N failed" and exits 1 on any failure,
// 2 on a timeout or a harness error.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SCREENS, log, startServer, summary } from './server.mjs';

/**
 * Runs the suites `env.SAMBA_E2E_SUITES` names (default: the *.e2e.js files) in one code-server,
 * filtered by `grep`. `server` adds to startServer's options; `after` runs once the result is in.
 */
export async function runHostSuites({ name, timeoutMs, grep, server: serverOptions = {}, env = {}, after }) {
  let code = 2;
  let server;
  let counts = [0, 1];
  try {
    const resultFile = join(ROOT, '.vscode-test', `${name}-result.json`);
    mkdirSync(join(ROOT, '.vscode-test'), { recursive: true });
    rmSync(resultFile, { force: true });
    // The extension host inherits the server's environment: that is how the runner learns where to write.
    server = await startServer({ name, smokeDriver: true, ...serverOptions, env: { SAMBA_E2E_RESULT: resultFile, SAMBA_E2E_GREP: grep ?? '', ...env } });

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
    const exitCode = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);

    if (exitCode === 'timeout') {
      mkdirSync(SCREENS, { recursive: true });
      await page.screenshot({ path: join(SCREENS, `${name}-timeout.png`) }).catch(() => {});
      console.error(`e2e: no result after ${timeoutMs / 1000} s (screenshot: .vscode-test/screens/${name}-timeout.png)`);
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
    after?.();
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
}
