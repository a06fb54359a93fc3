// first-hour.mjs: a new user's first hour (out/test/e2e/first-hour.e2e-hour.js) on a copy of a real npm
// package the model was not trained on (@textlint/linter-formatter, MIT, from node_modules), with the
// embedded default model unless SAMBA_E2E_MODEL names another and samba.engine.backend "auto", as a
// user has; prints the latencies it saw and keeps them in .vscode-test/first-hour.json. Harness:
// host-suites.mjs. Ends with "N passed, N failed".
// Usage: node test/e2e/first-hour.mjs [grep]
// Env: SAMBA_E2E_MODEL (model folder; default the embedded model), SAMBA_E2E_TIMEOUT_MS (2400000),
//      SAMBA_E2E_KEEP=1 (keep the temp folder).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './server.mjs';
import { runHostSuites } from './host-suites.mjs';

const PACKAGE = join(ROOT, 'node_modules/@textlint/linter-formatter');
const reportFile = join(ROOT, '.vscode-test', 'first-hour.json');
rmSync(reportFile, { force: true });
if (!existsSync(join(PACKAGE, 'src'))) {
  console.error(`e2e: ${PACKAGE} is missing: run npm ci`);
  console.log('\n0 passed, 1 failed');
  process.exit(2);
}
await runHostSuites({
  name: 'first-hour',
  timeoutMs: Number(process.env.SAMBA_E2E_TIMEOUT_MS || 2_400_000),
  grep: process.argv[2],
  server: { workspaceFrom: PACKAGE, settings: { 'samba.model.path': process.env.SAMBA_E2E_MODEL ?? '', 'samba.engine.backend': 'auto' } },
  env: { SAMBA_E2E_SUITES: '.e2e-hour.js', SAMBA_FIRST_HOUR_REPORT: reportFile },
  after: () => {
    if (existsSync(reportFile)) console.log(`\n  first hour, latencies (${reportFile}):\n${readFileSync(reportFile, 'utf8').replace(/^/gm, '    ')}`);
  },
});
