import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import { SambaError, type SambaErrorCode } from '../model/errors';
import type { FsReply, Method, Methods, Reply, WorkerEvent } from './protocol';

type Pending = Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>;

/**
 * The extension host's side of the model worker: typed requests that resolve with the worker's
 * replies, and its events. If the worker dies, its pending requests fail and the next request starts a new one.
 */
export class ModelWorkerClient {
  private current: { worker: Worker; pending: Pending } | undefined;
  private nextId = 1;

  constructor(private readonly onEvent: (e: WorkerEvent) => void = () => undefined) {}

  /** Whether a worker thread is up. */
  get running(): boolean {
    return this.current !== undefined;
  }

  request<M extends Method>(method: M, params: Methods[M]['params']): Promise<Methods[M]['result']> {
    const { worker, pending } = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, method, params });
    });
  }

  /** Answers the worker's `fs` event (a remote folder's files, read through VS Code). */
  replyFs(reply: FsReply): void {
    this.current?.worker.postMessage(reply);
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
      c.worker.postMessage({ id, method: 'dispose', params: null });
    });
    await Promise.race([disposed, new Promise((r) => setTimeout(r, 2000))]);
    fail(c.pending, new Error('The model worker was stopped.'));
    await c.worker.terminate();
  }

  private start(): { worker: Worker; pending: Pending } {
    if (this.current) return this.current;
    // Bundled next to extension.js as dist/model-worker.js; compiled next to this file in out/ for tests.
    const worker = new Worker(path.join(__dirname, 'model-worker.js'));
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
    worker.on('error', (e) => fail(pending, new Error(`The model worker crashed: ${e.message}`)));
    worker.on('exit', (code) => {
      if (this.current === c) this.current = undefined;
      fail(pending, new Error(`The model worker exited (code ${code}).`));
    });
    worker.unref();
    this.current = c;
    return c;
  }
}

function fail(pending: Pending, e: Error): void {
  for (const p of pending.values()) p.reject(e);
  pending.clear();
}
