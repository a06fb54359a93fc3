// The model worker processes of this extension host, for e2e suites that end one as a crash would.
import { readdirSync, readFileSync } from 'node:fs';

/** Process ids of this extension host's model workers (Linux: from /proc). */
export function modelWorkers(): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const ppid = Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('model-worker.js')) pids.push(Number(d));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}
