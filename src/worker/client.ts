import { fork, type ChildProcess } from 'node:child_process';
import { forwardStderr } from '../process/quiet-stderr';
import * as path from 'node:path';
import { SambaError, type SambaErrorCode } from '../model/errors';
import type { FsReply, Method, Methods, Reply, WorkerEvent } from './protocol';

type Pending = Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>;

/**
 * The extension host's side of the model worker: typed requests that resolve with the worker's
 * replies, and its events. The worker is a child process, not a thread: Dawn can abort the process
 * it runs in (a GPU driver fault, or a thread ended with GPU callbacks queued), and that must not
 * take the extension host, and every other extension, down with it. If the worker dies, its pending
 * requests fail, `onExit` hears why, and the next request starts a new one (with no model loaded).
 */
export class ModelWorkerClient {
  private current: { worker: ChildProcess; pending: Pending } | undefined;
  private nextId = 1;

  constructor(
    private readonly onEvent: (e: WorkerEvent) => void = () => undefined,
    private readonly onExit: (why: string) => void = () => undefined,
  ) {}

  /** Whether a worker process is up. */
  get running(): boolean {
    return this.current !== undefined;
  }

  /** The worker's process id (undefined while none runs). */
  get pid(): number | undefined {
    return this.current?.worker.pid;
  }

  request<M extends Method>(method: M, params: Methods[M]['params']): Promise<Methods[M]['result']> {
    const { worker, pending } = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.send({ id, method, params });
    });
  }

  /** Answers the worker's `fs` event (a remote folder's files, read through VS Code). */
  replyFs(reply: FsReply): void {
    if (this.current?.worker.connected) this.current.worker.send(reply);
  }

  /**
   * Ends the worker (and the model with it) after it has released the GPU device; the next request
   * starts a fresh worker. For shutting down: to switch models, ask the worker to `dispose` and load again.
   */
  async terminate(): Promise<void> {
    const c = this.current;
    this.current = undefined;
    if (!c) return;
    const id = this.nextId++;
    const disposed = new Promise<void>((resolve) => {
      c.pending.set(id, { resolve: () => resolve(), reject: () => resolve() });
      if (c.worker.connected) c.worker.send({ id, method: 'dispose', params: null });
    });
    await Promise.race([disposed, new Promise((r) => setTimeout(r, 2000))]);
    fail(c.pending, new Error('The model worker was stopped.'));
    if (c.worker.exitCode === null && c.worker.signalCode === null) {
      const exited = new Promise((r) => c.worker.once('exit', r));
      c.worker.kill();
      await exited;
    }
  }

  private start(): { worker: ChildProcess; pending: Pending } {
    if (this.current) return this.current;
    // Bundled next to extension.js as dist/model-worker.js; compiled next to this file in out/ for tests.
    // In VS Code the host's executable is Electron: ELECTRON_RUN_AS_NODE makes it run the worker as Node.
    // 'advanced' serialization carries what a thread's messages did (Maps, typed arrays).
    const worker = fork(path.join(__dirname, 'model-worker.js'), [], {
      serialization: 'advanced',
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      execArgv: [],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    forwardStderr(worker.stderr!, process.stderr);
    const pending: Pending = new Map();
    const c = { worker, pending };
    worker.on('message', (m: Reply | WorkerEvent) => {
      if ('event' in m) return this.onEvent(m);
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if ('error' in m) p.reject(m.error.code ? new SambaError(m.error.code as SambaErrorCode, m.error.message) : new Error(m.error.message));
      else p.resolve(m.result);
    });
    worker.on('error', (e) => fail(pending, new Error(`The model worker failed: ${e.message}`)));
    worker.on('exit', (code, signal) => {
      const unexpected = this.current === c;
      if (unexpected) this.current = undefined;
      const why = signal ? `stopped by ${signal}` : `exited with code ${code}`;
      fail(pending, new Error(`The model worker ${why}.`));
      if (unexpected) this.onExit(why);
    });
    // Neither the process nor its channel keeps the host alive (tests, the CLI); the worker ends
    // itself when the channel closes.
    worker.unref();
    worker.channel?.unref();
    this.current = c;
    return c;
  }
}

function fail(pending: Pending, e: Error): void {
  for (const p of pending.values()) p.reject(e);
  pending.clear();
}
