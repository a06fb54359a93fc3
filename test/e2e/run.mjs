// Runs the extension's e2e suites (out/test/e2e/*.e2e.js, built by `npm run build`) inside a real
// VS Code (harness: host-suites.mjs). Ends with "N passed, N failed"; exits 1 on any failure, 2 on a
// timeout or a harness error.
// Usage: node test/e2e/run.mjs [grep]
// Env: SAMBA_E2E_MODEL (model folder; default test/fixtures/samba-tiny), SAMBA_E2E_TIMEOUT_MS (300000),
//      SAMBA_E2E_KEEP=1 (keep the temp folder).
import { runHostSuites } from './host-suites.mjs';

await runHostSuites({ name: 'run', timeoutMs: Number(process.env.SAMBA_E2E_TIMEOUT_MS || 300_000), grep: process.argv[2] });
