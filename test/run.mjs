// Runs the mocha suites compiled to out/test and ends with one summary line ("N passed, N failed").
// Usage: node test/run.mjs [grep]
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.test.js') ? [join(dir, e.name)] : []));

process.env.XDG_RUNTIME_DIR ??= '/tmp';
const mocha = new Mocha({ timeout: 600_000, reporter: 'spec', grep: process.argv[2] });
for (const f of files('out/test').sort()) mocha.addFile(f);
const runner = mocha.run((failures) => {
  const s = runner.stats;
  console.log(`\n${s.passes} passed, ${s.failures} failed${s.pending ? `, ${s.pending} skipped` : ''}`);
  process.exitCode = failures ? 1 : 0;
});
