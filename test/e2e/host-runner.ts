// Runs inside VS Code's extension host: the workbench loads this module as the extensionTestsPath
// and calls run(). It runs the mocha suites out/test/e2e/*.e2e.js next to it with the real `vscode`
// API and writes the outcome to the JSON file named by SAMBA_E2E_RESULT, which run.mjs reads (the
// workbench's own exit code says only pass/fail, and console text is not a reliable channel).
import Mocha from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface E2eTestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  ms?: number;
  error?: string;
}

export interface E2eResult {
  passed: number;
  failed: number;
  pending: number;
  ms: number;
  node: string;
  tests: E2eTestResult[];
}

export function run(): Promise<void> {
  const resultFile = process.env.SAMBA_E2E_RESULT;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec', grep: process.env.SAMBA_E2E_GREP || undefined });
  // SAMBA_E2E_SUITES picks another suffix (first-hour.mjs runs *.e2e-hour.js alone).
  const files = readdirSync(__dirname).filter((f) => f.endsWith(process.env.SAMBA_E2E_SUITES || '.e2e.js')).sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  const tests: E2eTestResult[] = [];
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const finish = (err?: unknown) => {
      if (err) tests.push({ title: 'loading the e2e suites', state: 'failed', error: String((err as Error)?.stack ?? err) });
      const count = (s: E2eTestResult['state']) => tests.filter((t) => t.state === s).length;
      const result: E2eResult = { passed: count('passed'), failed: count('failed'), pending: count('pending'), ms: Date.now() - t0, node: process.version, tests };
      if (resultFile) writeFileSync(resultFile, JSON.stringify(result, null, 2));
      if (result.failed || !files.length) reject(new Error(files.length ? `${result.failed} e2e tests failed` : `no *.e2e.js in ${__dirname}`));
      else resolve();
    };
    try {
      const runner = mocha.run(() => finish());
      runner.on('pass', (t) => tests.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }));
      runner.on('fail', (t, err: Error) => tests.push({ title: t.fullTitle(), state: 'failed', error: err?.stack ?? String(err) }));
      runner.on('pending', (t) => tests.push({ title: t.fullTitle(), state: 'pending' }));
    } catch (err) {
      finish(err); // a suite that throws while loading
    }
  });
}
