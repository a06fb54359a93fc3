// Runs the mocha suites compiled to out/test, then (unless a grep is given) the training data's Python
// unit tests and (unless SAMBA_E2E=0 too) the e2e tests in a real VS Code, and ends with one summary
// line ("N passed, N failed").
// Usage: node test/run.mjs [grep]
import Mocha from 'mocha';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.test.js') ? [join(dir, e.name)] : []));

/** Runs one e2e entry point and returns its counts, from the "N passed, N failed" line it ends with. */
function e2e(script) {
  const r = spawnSync(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  process.stdout.write(r.stdout ?? '');
  const m = /(\d+) passed, (\d+) failed\s*$/.exec(r.stdout ?? '');
  const passes = m ? +m[1] : 0;
  const failures = m ? +m[2] : 0;
  return { passes, failures: r.status !== 0 && !failures ? 1 : failures };
}

/** The Python unit tests of training/ (plain python3, no torch): counts from unittest's closing lines. */
function pythonTests() {
  const r = spawnSync('python3', ['-B', '-m', 'unittest', 'training/test_transforms.py', 'training/test_prompt_golden.py'], { encoding: 'utf8' });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  process.stdout.write(`\n  training/ (python3 -m unittest):\n${out.replace(/^/gm, '    ')}\n`);
  const ran = Number(/Ran (\d+) test/.exec(out)?.[1] ?? 0);
  const bad = /FAILED \((.*)\)/.exec(out)?.[1].split(', ').reduce((n, kv) => n + Number(kv.split('=')[1] ?? 0), 0) ?? 0;
  return { passes: ran - bad, failures: r.status !== 0 && !bad ? 1 : bad };
}

process.env.XDG_RUNTIME_DIR ??= '/tmp';
// Every temporary folder of the run (the tests', the workers', the e2e servers') goes under one
// folder, removed at the end: a full run left about 300 MB of them in /tmp each time.
const runTmp = mkdtempSync(join(tmpdir(), 'samba-test-run-'));
process.env.TMPDIR = runTmp;
const grep = process.argv[2];
const mocha = new Mocha({ timeout: 600_000, reporter: 'spec', grep });
for (const f of files('out/test').sort()) mocha.addFile(f);
const runner = mocha.run(() => {
  const s = runner.stats;
  let { passes, failures } = s;
  if (!grep) {
    const py = pythonTests();
    passes += py.passes;
    failures += py.failures;
  }
  if (!grep && process.env.SAMBA_E2E !== '0')
    for (const script of ['test/e2e/run.mjs', 'test/e2e/gui.mjs', 'test/e2e/gui-qa.mjs', 'test/e2e/gui-vsix.mjs', 'test/e2e/first-hour.mjs']) {
      const r = e2e(script);
      passes += r.passes;
      failures += r.failures;
    }
  if (process.env.SAMBA_KEEP_TMP === '1' || process.env.SAMBA_E2E_KEEP === '1') console.log(`temporary files kept in ${runTmp}`);
  else {
    try {
      rmSync(runTmp, { recursive: true, force: true });
    } catch (e) {
      console.log(`could not remove the test run's temporary folder ${runTmp}: ${e.message}`);
    }
  }
  console.log(`\n${passes} passed, ${failures} failed${s.pending ? `, ${s.pending} skipped` : ''}`);
  process.exitCode = failures ? 1 : 0;
});
