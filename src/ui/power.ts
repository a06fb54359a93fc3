import { promises as fs } from 'node:fs';
import { execFile } from 'node:child_process';

/**
 * Whether this machine runs on battery now. Linux reads /sys/class/power_supply, macOS asks pmset,
 * Windows asks WMI; anything unknown counts as mains power (never pause by mistake).
 */
export async function onBattery(): Promise<boolean> {
  try {
    if (process.platform === 'linux') return await linuxOnBattery();
    if (process.platform === 'darwin') return /'Battery Power'/.test(await run('pmset', ['-g', 'batt']));
    if (process.platform === 'win32') {
      const out = await run('powershell', ['-NoProfile', '-Command', '(Get-CimInstance Win32_Battery).BatteryStatus']);
      return out.trim() === '1'; // 1: discharging
    }
  } catch {
    // fall through
  }
  return false;
}

/** Linux: on battery when a mains supply exists and none is online. */
export async function linuxOnBattery(dir = '/sys/class/power_supply'): Promise<boolean> {
  const supplies = await fs.readdir(dir).catch(() => [] as string[]);
  let sawMains = false;
  for (const s of supplies) {
    const type = (await fs.readFile(`${dir}/${s}/type`, 'utf8').catch(() => '')).trim();
    if (type !== 'Mains') continue;
    sawMains = true;
    if ((await fs.readFile(`${dir}/${s}/online`, 'utf8').catch(() => '1')).trim() === '1') return false;
  }
  return sawMains; // a mains supply that is offline: on battery
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => execFile(cmd, args, { timeout: 5000, windowsHide: true }, (e, out) => (e ? reject(e) : resolve(out))));
}
