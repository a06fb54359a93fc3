import { SambaError } from '../model/errors';
import type { Model } from '../model/weights';
import type { EngineState } from '../engine/engine';
import { attentionCapacity, layerArrays, layerState, stateBytes, stateLayout, type StateData } from '../engine/state';
import type { Recorder } from './recorder';
import { createBuffer } from './tensor';

/** A layer's state on the device: one buffer per array of its layout (src/engine/state.ts), in that order. */
export type GpuLayerState = { readonly kind: 'mamba' | 'attention'; readonly buffers: readonly [GPUBuffer, GPUBuffer] };

export class GpuState implements EngineState {
  released = false;
  /** Errors of the buffer creation (out of memory, limits), checked before the state is first used. */
  alloc: Promise<string | undefined> | undefined;
  constructor(
    readonly owner: GpuStates,
    public position: number,
    readonly capacity: number,
    readonly layers: readonly GpuLayerState[],
  ) {}
}

/**
 * The states of one GPU engine: allocation (with its out-of-memory check), copies, release, and
 * moves to and from host arrays. Every size comes from stateLayout.
 */
export class GpuStates {
  /** Allocation checks (error scopes) not answered yet: the device must outlive them. */
  readonly pending = new Set<Promise<unknown>>();
  /** Reads running that recycle released states (recycle()). */
  private recycling = 0;
  /** States released while a read runs, for take(): their buffers, capacity and allocation check. */
  private free: { readonly layers: readonly GpuLayerState[]; readonly capacity: number; readonly alloc: GpuState['alloc'] }[] = [];

  constructor(
    private readonly device: GPUDevice,
    private readonly model: Model,
    private readonly rec: Recorder,
    /** The device's binding limit: one K or V cache must fit one binding. */
    private readonly maxBinding: number,
    private readonly deviceName: string,
    /** Throws once the engine cannot be used (device lost, disposed). */
    private readonly alive: () => void,
    /** Reads bytes of a buffer back to the host. */
    private readonly read: (src: GPUBuffer, bytes: number) => Promise<ArrayBuffer>,
  ) {}

  create(capacity?: number): GpuState {
    this.alive();
    const c = this.model.config;
    const cap = attentionCapacity(c, capacity);
    if (c.mixers.includes('attention') && (!Number.isInteger(cap) || cap < 1)) throw new SambaError('state', `KV capacity must be a positive integer, got ${cap}.`);
    const layout = stateLayout(c, cap);
    const kvBytes = 4 * (layout.find((l) => l.kind === 'attention')?.arrays[0].length ?? 0);
    if (kvBytes > this.maxBinding) throw new SambaError('state', `A KV capacity of ${cap} needs ${kvBytes} bytes per layer, above the GPU's binding limit (${this.maxBinding}). Use a smaller capacity.`);
    // Out of memory shows up asynchronously: the scope's verdict is checked before the state's first use.
    this.device.pushErrorScope('validation');
    this.device.pushErrorScope('out-of-memory');
    const layers = layout.map((l, i): GpuLayerState => ({ kind: l.kind, buffers: [createBuffer(this.device, l.arrays[0].length * 4, `${l.arrays[0].name}${i}`), createBuffer(this.device, l.arrays[1].length * 4, `${l.arrays[1].name}${i}`)] }));
    const oom = this.device.popErrorScope();
    const invalid = this.device.popErrorScope();
    const s = new GpuState(this, 0, cap, layers);
    s.alloc = Promise.all([oom, invalid]).then(
      ([o, v]) => o?.message ?? v?.message,
      (e: Error) => e?.message ?? 'error scope failed',
    );
    const pending = s.alloc;
    this.pending.add(pending);
    void pending.finally(() => this.pending.delete(pending));
    return s;
  }

  /**
   * A state whose every value the caller writes before anything reads it (a long read's stops and
   * chunk-end copies): a state released during the read when there is one, else a new one. A read
   * takes a state per file and thinning frees about as many: recycled, none is created (buffers,
   * error scopes, the device's zeroing) or destroyed per file.
   */
  take(capacity?: number): GpuState {
    this.alive();
    const cap = attentionCapacity(this.model.config, capacity);
    const i = this.free.findIndex((f) => f.capacity === cap);
    if (i < 0) return this.create(capacity);
    const [f] = this.free.splice(i, 1);
    const s = new GpuState(this, 0, cap, f.layers);
    s.alloc = f.alloc; // still checked on first use, as a new state's
    return s;
  }

  /**
   * Runs `read` with the states released meanwhile kept for take(); what is left is destroyed when
   * it ends. Each take uses a kept one before making one, so the read never holds more than the
   * most states it had alive at once (as without recycling), and nothing stays allocated after it.
   */
  async recycle<T>(read: () => Promise<T>): Promise<T> {
    this.recycling++;
    try {
      return await read();
    } finally {
      if (--this.recycling === 0) {
        for (const f of this.free) for (const l of f.layers) for (const b of l.buffers) b.destroy();
        this.free = [];
      }
    }
  }

  /** `state` as one of ours, alive. */
  own(state: EngineState): GpuState {
    this.alive();
    if (!(state instanceof GpuState) || state.owner !== this) {
      throw new SambaError('state', 'This state was not created by this GPU engine; use engine.upload(download(...)) to move states between engines.');
    }
    if (state.released) throw new SambaError('state', 'This state was released; take a snapshot before releasing if it is still needed.');
    return state;
  }

  /** Waits for a state's buffer creation to be checked; throws SambaError('gpu') if it ran out of memory. */
  async ready(s: GpuState): Promise<void> {
    if (!s.alloc) return;
    const err = await s.alloc;
    s.alloc = undefined;
    this.alive();
    if (err) {
      this.release(s);
      const c = this.model.config;
      const bytes = stateBytes(c, s.capacity);
      throw new SambaError(
        'gpu',
        `Out of GPU memory for a model state of ${(bytes / 2 ** 20).toFixed(1)} MiB${c.mixers.includes('attention') && !Number.isFinite(c.window) ? ` (KV capacity ${s.capacity} tokens)` : ''} on ${this.deviceName}: ${err.split('\n')[0]}. Use a smaller context budget (samba.context.budgetTokens), close other GPU programs, or a smaller model.`,
      );
    }
  }

  /** Makes `t` equal to `s` by copies on the device. */
  restore(t: GpuState, s: GpuState): void {
    if (t.capacity !== s.capacity && this.model.config.mixers.includes('attention')) {
      throw new SambaError('state', `Cannot restore a state of KV capacity ${s.capacity} into one of capacity ${t.capacity}.`);
    }
    s.layers.forEach((l, i) => l.buffers.forEach((b, j) => this.rec.copy(b, 0, t.layers[i].buffers[j], 0, b.size)));
    this.rec.submit();
    t.position = s.position;
  }

  release(state: EngineState): void {
    // Freeing never fails: after a device loss the session still releases what it held.
    if (!(state instanceof GpuState) || state.owner !== this) this.own(state);
    const s = state as GpuState;
    if (s.released) return;
    s.released = true;
    if (this.recycling > 0) {
      this.free.push({ layers: s.layers, capacity: s.capacity, alloc: s.alloc });
      return;
    }
    for (const l of s.layers) for (const b of l.buffers) b.destroy();
  }

  async download(s: GpuState): Promise<StateData> {
    await this.ready(s);
    const layout = stateLayout(this.model.config, s.capacity);
    const layers = [];
    for (const [i, l] of layout.entries()) {
      const arrays = [];
      for (const [j, a] of l.arrays.entries()) arrays.push(new Float32Array(await this.read(s.layers[i].buffers[j], a.length * 4)));
      layers.push(layerState(l, arrays));
    }
    return { position: s.position, layers };
  }

  upload(data: StateData): GpuState {
    const c = this.model.config;
    const bad = (what: string) => new SambaError('state', `This state does not fit the model in ${this.model.dir}: ${what}.`);
    if (data.layers.length !== c.nLayer) throw bad(`${data.layers.length} layers, the model has ${c.nLayer}`);
    const cap = data.layers.find((l) => l.kind === 'attention')?.capacity;
    const s = this.own(this.create(cap));
    const layout = stateLayout(c, s.capacity);
    data.layers.forEach((l, i) => {
      if (l.kind !== c.mixers[i]) throw bad(`layer ${i} is ${l.kind}, the model has ${c.mixers[i]}`);
      if (l.kind === 'attention' && l.capacity !== s.capacity) throw bad(`layer ${i} has capacity ${l.capacity}, another layer ${s.capacity}`);
      layerArrays(l).forEach((a, j) => {
        const want = layout[i].arrays[j];
        if (a.length !== want.length) throw bad(`layer ${i} ${want.name} has ${a.length} values, expected ${want.length}`);
        this.device.queue.writeBuffer(s.layers[i].buffers[j], 0, a.buffer, a.byteOffset, a.byteLength);
      });
    });
    if (!Number.isInteger(data.position) || data.position < 0) throw bad(`position ${data.position}`);
    s.position = data.position;
    return s;
  }
}
