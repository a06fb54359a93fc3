import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { linuxOnBattery } from '../src/ui/power';

/** A power_supply folder laid out as Linux's sysfs has it. */
function sysfs(supplies: Record<string, { type: string; online?: string }>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'power-'));
  for (const [name, s] of Object.entries(supplies)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'type'), `${s.type}\n`);
    if (s.online !== undefined) writeFileSync(path.join(dir, name, 'online'), `${s.online}\n`);
  }
  return dir;
}

describe('power: on battery or on mains (Linux sysfs)', () => {
  it('a laptop unplugged is on battery, plugged in is not', async () => {
    assert.equal(await linuxOnBattery(sysfs({ AC: { type: 'Mains', online: '0' }, BAT0: { type: 'Battery' } })), true);
    assert.equal(await linuxOnBattery(sysfs({ AC: { type: 'Mains', online: '1' }, BAT0: { type: 'Battery' } })), false);
  });
  it('a machine with no mains supply listed (desktop, server, container) counts as mains', async () => {
    assert.equal(await linuxOnBattery(sysfs({})), false);
    assert.equal(await linuxOnBattery('/nonexistent/power_supply'), false);
  });
});
