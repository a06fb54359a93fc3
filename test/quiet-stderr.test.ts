import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { forwardStderr } from '../src/process/quiet-stderr';
import { fixtureDir } from './helpers/fixtures';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const NOISE = /artificially reduced/;

describe("Dawn's limit warnings are filtered from our processes' stderr", function () {
  this.timeout(180_000);

  it('forwardStderr drops the two lines, keeps every other line, also across chunk edges', async () => {
    const from = new PassThrough();
    const to = new PassThrough();
    let out = '';
    to.on('data', (b: Buffer) => (out += b.toString()));
    forwardStderr(from, to);
    from.write('first\nWarning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.\nWarning: maxDynamicStor');
    from.write('ageBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.\nWarning: something else\nlast');
    from.end();
    await new Promise((r) => setImmediate(r));
    assert.equal(out, 'first\nWarning: something else\nlast');
  });

  it('the CLI on the GPU (lavapipe) prints no limit warnings; Dawn does print them without the filter', () => {
    const run = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [CLI, 'info', '--backend', 'gpu'], { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: '/tmp', ...env }, timeout: 120_000 });
    const quiet = run({});
    assert.equal(quiet.status, 0, quiet.stderr);
    assert.match(quiet.stdout, /engine: +gpu/);
    assert.doesNotMatch(quiet.stderr, NOISE);
    const raw = run({ SAMBA_RAW_STDERR: '1' });
    assert.match(raw.stderr, NOISE, 'Dawn no longer prints the warnings: this filter can go');
  });

  it('the model worker on the GPU: its stderr reaches its parent without them', () => {
    // A parent process of its own: Dawn writes to the worker's file descriptor 2, which only a parent sees.
    const client = path.resolve(__dirname, '../src/worker/client.js');
    const script = `const { ModelWorkerClient } = require(${JSON.stringify(client)});
      const c = new ModelWorkerClient(() => undefined);
      c.request('load', { modelDir: ${JSON.stringify(fixtureDir('samba-tiny'))}, backend: 'gpu' }).then((s) => { console.log(s.backend); return c.terminate(); }).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: '/tmp' }, timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'gpu');
    assert.doesNotMatch(r.stderr, NOISE);
  });
});
