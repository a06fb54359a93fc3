import { execFileSync } from 'node:child_process';

/** A named pipe (Node has no mkfifo): nothing writes to it, so a blocking open would hang. */
export function mkfifoSync(file: string): void {
  execFileSync('mkfifo', [file]);
}
