import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { shaderCacheCold } from './shader-cache';

/**
 * Dawn prints these two lines straight to file descriptor 2 (fprintf from native code) each time it
 * opens a Vulkan adapter; they say Dawn lowered limits we never use, and users read them as errors.
 * Native output cannot be caught inside the process, so whoever starts one of ours pipes its
 * stderr through forwardStderr: the model worker's parent (worker/client.ts) and the CLI (quietDawn).
 */
export const DAWN_NOISE = /^Warning: maxDynamic(Uniform|Storage)BuffersPerPipelineLayout artificially reduced\b/;

/** Copies `from` to `to` line by line, without Dawn's noise. */
export function forwardStderr(from: Readable, to: Writable): void {
  let rest = '';
  from.setEncoding('utf8');
  from.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    const kept = lines.filter((l) => !DAWN_NOISE.test(l));
    if (kept.length) to.write(kept.map((l) => `${l}\n`).join(''));
  });
  from.on('end', () => {
    if (rest && !DAWN_NOISE.test(rest)) to.write(rest);
  });
}

/**
 * Runs this script again as a child whose stderr passes through forwardStderr, and resolves with
 * its exit code; in that child (or with SAMBA_RAW_STDERR=1) resolves undefined at once: run the command.
 */
export function quietDawn(): Promise<number | undefined> {
  if (process.env.SAMBA_QUIET_STDERR === '1' || process.env.SAMBA_RAW_STDERR === '1') return Promise.resolve(undefined);
  const args = process.argv.slice(2);
  if (args.length && !args.some((a) => a === '-h' || a === '--help' || a === 'cpu' || a === '--backend=cpu') && shaderCacheCold()) {
    process.stderr.write('samba: compiling GPU kernels (first run only: a minute or more without a GPU)...\n');
  }
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: ['inherit', 'inherit', 'pipe'], env: { ...process.env, SAMBA_QUIET_STDERR: '1' } });
  forwardStderr(child.stderr!, process.stderr);
  // Ctrl+C reaches the child through the terminal's process group; this one waits for its code.
  const pass = (sig: NodeJS.Signals) => () => child.kill(sig);
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', pass('SIGTERM'));
  return new Promise((resolve) => {
    child.on('error', () => resolve(undefined)); // cannot start a child: run here, noise and all
    child.on('close', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}
