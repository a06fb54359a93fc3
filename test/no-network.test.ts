import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fixtureDir } from './helpers/fixtures';

const ROOT = path.resolve(__dirname, '../..');

describe('no network: every feature runs with all sockets refused', () => {
  it('loads, reads a workspace, completes, answers, summarizes and ranks files without one attempt', () => {
    const netLog = path.join(mkdtempSync(path.join(tmpdir(), 'samba-net-')), 'attempts.log');
    writeFileSync(netLog, '');
    const r = spawnSync(process.execPath, ['--require', path.join(ROOT, 'test/helpers/no-network.cjs'), path.join(ROOT, 'out/test/helpers/no-network-child.js'), fixtureDir('samba-tiny')], {
      encoding: 'utf8',
      env: { ...process.env, SAMBA_NET_LOG: netLog },
      timeout: 300_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number | string>;
    assert.equal(report.files, 2);
    assert.ok((report.completionTokens as number) > 0 && (report.streamed as number) > 0 && report.scored === 2, JSON.stringify(report));
    assert.equal(readFileSync(netLog, 'utf8'), '', 'the features tried to reach the network');
  });

  it('the guard itself works: a real connection attempt is refused and recorded', () => {
    const netLog = path.join(mkdtempSync(path.join(tmpdir(), 'samba-net-')), 'attempts.log');
    writeFileSync(netLog, '');
    const r = spawnSync(process.execPath, ['--require', path.join(ROOT, 'test/helpers/no-network.cjs'), '-e', "require('node:https').get('https://example.com')"], { encoding: 'utf8', env: { ...process.env, SAMBA_NET_LOG: netLog } });
    assert.notEqual(r.status, 0);
    assert.match(readFileSync(netLog, 'utf8'), /https\.request/);
  });
});
