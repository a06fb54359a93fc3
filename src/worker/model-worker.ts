// The model worker: a child process that owns the model, so tokenizing, indexing and inference
// never block the extension host's main thread (typing), and a crash in the GPU driver or Dawn
// ends this process, not the extension host. Requests and replies: ./protocol.ts.
import { SambaError } from '../model/errors';
import { ModelSession } from './session';
import type { FsReply, FsRequest, Reply, Request, WorkerEvent } from './protocol';
import type { FileSource } from '../workspace/filter';

if (!process.send) throw new Error('model-worker.js must run as a child process with an IPC channel (src/worker/client.ts starts it)');
const send = (m: WorkerEvent | Reply) => void (process.connected && process.send!(m));
const emit = (e: WorkerEvent) => send(e);
// The host went away (closed, crashed): nobody is left to serve, and the GPU memory goes back.
process.on('disconnect', () => process.exit(0));

/** A remote folder's files, read by the extension host through VS Code's workspace.fs. */
const fsPending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let fsNext = 1;
const askHost = <T>(op: FsRequest['op'], path: string) =>
  new Promise<T>((resolve, reject) => {
    const id = fsNext++;
    fsPending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    emit({ event: 'fs', data: { id, op, path } });
  });
const hostFiles: FileSource = {
  list: (dir) => askHost('list', dir),
  stat: (rel) => askHost('stat', rel),
  read: (rel) => askHost('read', rel),
};

const session = new ModelSession({
  hostFiles,
  onProgress: (data) => emit({ event: 'progress', data }),
  onNotice: (data, key) => emit({ event: 'notice', data, key }),
  onLog: (data) => emit({ event: 'log', data }),
  onEngine: (data) => emit({ event: 'engine', data }),
  onReadAhead: (data) => emit({ event: 'readAhead', data }),
});

async function handle(req: Request): Promise<unknown> {
  switch (req.method) {
    case 'load':
      return session.load(req.params);
    case 'validate':
      return session.validate(req.params.modelDir);
    case 'open':
      return session.open(req.params);
    case 'update':
      session.update(req.params.changes);
      return null;
    case 'close':
      session.closeContext();
      return null;
    case 'setActive':
      session.setActive(req.params.path);
      return null;
    case 'whenIdle':
      await session.whenIdle();
      return null;
    case 'complete':
      return session.complete(req.params);
    case 'readAhead':
      return session.readAhead(req.params);
    case 'cancelCompletion':
      session.cancelCompletion();
      return null;
    case 'describe':
      return session.describe();
    case 'dispose':
      await session.dispose();
      return null;
    case 'assistStream':
      return session.assistStream(req.params, (delta) => emit({ event: 'assistText', data: { id: req.params.id, delta } }));
    case 'assistAsk': {
      const id = req.params.id;
      return session.assistAsk(req.params, {
        onSources: (sources) => emit({ event: 'assistSources', data: { id, sources } }),
        onText: (delta) => emit({ event: 'assistText', data: { id, delta } }),
      });
    }
    case 'assistCancel':
      session.assistCancel(req.params.id);
      return null;
    case 'assistWorkspacePlan':
      return session.assistWorkspacePlan();
  }
}

process.on('message', (req: Request | FsReply) => {
  if ('fsReply' in req) {
    const p = fsPending.get(req.fsReply);
    fsPending.delete(req.fsReply);
    if (req.error !== undefined) p?.reject(new Error(req.error));
    else p?.resolve(req.result);
    return;
  }
  handle(req).then(
    (result) => send({ id: req.id, result } satisfies Reply),
    (e: unknown) => {
      const err = e as Error;
      send({ id: req.id, error: { message: err?.message ?? String(e), code: e instanceof SambaError ? e.code : undefined } } satisfies Reply);
    },
  );
});
