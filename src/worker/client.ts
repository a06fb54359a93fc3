import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import { SambaError, type SambaErrorCode } from '../model/errors';
import type { Method, Methods, Reply, WorkerEvent } from './protocol';

/**
 * The extension host's side of the model worker: typed requests that resolve with the worker's
 * replies, and its events. If the worker dies, pending requests fail and the next request starts a new one.
 */
export class ModelWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly onEvent: (e: WorkerEvent) => void = () => undefined) {}

  request<M extends Method>(method: M, params: Methods[M]['params']): Promise<Methods[M]['result']> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, method, params });
    });
  }

  /** Ends the worker (and the model with it). */
  async terminate(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.failAll(new Error('The model worker was stopped.'));
    await w?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // Bundled next to extension.js as dist/model-worker.js; compiled next to this file in out/ for tests.
    const w = new Worker(path.join(__dirname, 'model-worker.js'));
    w.on('message', (m: Reply | WorkerEvent) => {
      if ('event' in m) return this.onEvent(m);
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if ('error' in m) p.reject(m.error.code ? new SambaError(m.error.code as SambaErrorCode, m.error.message) : new Error(m.error.message));
      else p.resolve(m.result);
    });
    w.on('error', (e) => this.failAll(new Error(`The model worker crashed: ${e.message}`)));
    w.on('exit', (code) => {
      if (this.worker === w) this.worker = undefined;
      this.failAll(new Error(`The model worker exited (code ${code}).`));
    });
    w.unref();
    this.worker = w;
    return w;
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
