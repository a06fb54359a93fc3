import { createBuffer } from './tensor';
import { onBufferDestroyed } from './memory';

/** A kernel parameter: a plain number is a u32, `{ f }` an f32. */
export type Param = number | { f: number };
export const f = (x: number): Param => ({ f: x });

const PARAM_STRIDE = 256; // minUniformBufferOffsetAlignment

type Op =
  | { kind: 'dispatch'; pipeline: GPUComputePipeline; buffers: GPUBuffer[]; paramOffset: number; groups: [number, number, number] }
  | { kind: 'copy'; src: GPUBuffer; srcOffset: number; dst: GPUBuffer; dstOffset: number; size: number };

/**
 * Collects one forward (dispatches and copies) and submits it as one command buffer. Kernel
 * parameters of all dispatches go into one uniform buffer written once per submit; bind groups
 * are cached, since the same forward shape reuses the same buffers and parameter offsets. A bind
 * group goes with the first of its buffers to be destroyed: every request makes new state buffers,
 * and their bind groups (a few KiB each in the driver) would otherwise pile up.
 */
export class Recorder {
  private ops: Op[] = [];
  private params = new DataView(new ArrayBuffer(64 * PARAM_STRIDE));
  private paramCount = 0;
  private paramBuffer: GPUBuffer;
  private readonly bindGroups = new Map<string, { readonly group: GPUBindGroup; readonly buffers: readonly number[] }>();
  /** Buffer id -> keys of the cached bind groups that use it. */
  private readonly keysOf = new Map<number, Set<string>>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  private readonly unsubscribe: () => void;
  /**
   * The dispatches of the previous submit with their bind groups: decoding records the same
   * sequence every token, and matching it op by op is cheaper than building cache keys.
   */
  private previous: { pipeline: GPUComputePipeline; buffers: GPUBuffer[]; paramOffset: number; group: GPUBindGroup }[] = [];

  constructor(private readonly device: GPUDevice) {
    this.paramBuffer = this.newParamBuffer(64);
    this.unsubscribe = onBufferDestroyed(device, (b) => this.forget(b));
  }

  /** Number of cached bind groups (for tests: it follows the live buffers, not the requests served). */
  get cachedBindGroups(): number {
    return this.bindGroups.size;
  }

  private newParamBuffer(slots: number): GPUBuffer {
    return createBuffer(this.device, slots * PARAM_STRIDE, 'params', GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  }

  private id(o: object): number {
    let i = this.ids.get(o);
    if (i === undefined) this.ids.set(o, (i = this.nextId++));
    return i;
  }

  dispatch(pipeline: GPUComputePipeline, params: readonly Param[], buffers: GPUBuffer[], groups: [number, number?, number?]): void {
    if ((this.paramCount + 1) * PARAM_STRIDE > this.params.byteLength) {
      const bigger = new DataView(new ArrayBuffer(this.params.byteLength * 2));
      new Uint8Array(bigger.buffer).set(new Uint8Array(this.params.buffer));
      this.params = bigger;
    }
    const base = this.paramCount++ * PARAM_STRIDE;
    params.forEach((p, i) => {
      if (typeof p === 'number') this.params.setUint32(base + 4 * i, p, true);
      else this.params.setFloat32(base + 4 * i, p.f, true);
    });
    const [x, y = 1, z = 1] = groups;
    if (x === 0 || y === 0 || z === 0) return;
    this.ops.push({ kind: 'dispatch', pipeline, buffers, paramOffset: base, groups: [x, y, z] });
  }

  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, size: number): void {
    this.ops.push({ kind: 'copy', src, srcOffset, dst, dstOffset, size });
  }

  /** Encodes everything recorded since the last submit into one command buffer and submits it. */
  submit(): void {
    const bytes = this.paramCount * PARAM_STRIDE;
    if (bytes > this.paramBuffer.size) {
      this.paramBuffer.destroy();
      this.previous = []; // their bind groups hold the old parameter buffer
      this.paramBuffer = this.newParamBuffer(Math.max(this.paramCount, 2 * this.paramBuffer.size / PARAM_STRIDE));
    }
    if (bytes > 0) this.device.queue.writeBuffer(this.paramBuffer, 0, this.params.buffer, 0, bytes);
    const encoder = this.device.createCommandEncoder();
    let pass: GPUComputePassEncoder | undefined;
    let pipeline: GPUComputePipeline | undefined;
    const used: typeof this.previous = [];
    for (const op of this.ops) {
      if (op.kind === 'copy') {
        pass?.end();
        pass = undefined;
        encoder.copyBufferToBuffer(op.src, op.srcOffset, op.dst, op.dstOffset, op.size);
        continue;
      }
      if (!pass) {
        pass = encoder.beginComputePass();
        pipeline = undefined;
      }
      if (op.pipeline !== pipeline) pass.setPipeline((pipeline = op.pipeline));
      const last = this.previous[used.length];
      const group = last && sameBinding(last, op) ? last.group : this.bindGroup(op.pipeline, op.buffers, op.paramOffset);
      used.push({ pipeline: op.pipeline, buffers: op.buffers, paramOffset: op.paramOffset, group });
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(op.groups[0], op.groups[1], op.groups[2]);
    }
    pass?.end();
    this.previous = used;
    this.device.queue.submit([encoder.finish()]);
    this.ops = [];
    this.paramCount = 0;
  }

  private bindGroup(pipeline: GPUComputePipeline, buffers: GPUBuffer[], paramOffset: number): GPUBindGroup {
    const ids = [this.id(this.paramBuffer), ...buffers.map((b) => this.id(b))];
    const key = `${this.id(pipeline)}:${paramOffset}:${ids.join(',')}`;
    let entry = this.bindGroups.get(key);
    if (!entry) {
      // A guard only: buffers made outside createBuffer are not seen going away.
      if (this.bindGroups.size > 20000) {
        this.bindGroups.clear();
        this.keysOf.clear();
      }
      const group = this.device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: this.paramBuffer, offset: paramOffset, size: PARAM_STRIDE } },
          ...buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
        ],
      });
      this.bindGroups.set(key, (entry = { group, buffers: ids }));
      for (const id of ids) {
        let keys = this.keysOf.get(id);
        if (!keys) this.keysOf.set(id, (keys = new Set()));
        keys.add(key);
      }
    }
    return entry.group;
  }

  /** Drops the bind groups that use a destroyed buffer. */
  private forget(buffer: GPUBuffer): void {
    if (this.previous.some((p) => p.buffers.includes(buffer))) this.previous = [];
    const id = this.ids.get(buffer);
    const keys = id === undefined ? undefined : this.keysOf.get(id);
    if (!keys) return;
    this.keysOf.delete(id!);
    for (const key of keys) {
      for (const other of this.bindGroups.get(key)?.buffers ?? []) if (other !== id) this.keysOf.get(other)?.delete(key);
      this.bindGroups.delete(key);
    }
  }

  dispose(): void {
    this.paramBuffer.destroy();
    this.unsubscribe();
    this.bindGroups.clear();
    this.keysOf.clear();
  }
}

function sameBinding(a: { pipeline: GPUComputePipeline; buffers: GPUBuffer[]; paramOffset: number }, b: { pipeline: GPUComputePipeline; buffers: GPUBuffer[]; paramOffset: number }): boolean {
  if (a.pipeline !== b.pipeline || a.paramOffset !== b.paramOffset || a.buffers.length !== b.buffers.length) return false;
  for (let i = 0; i < a.buffers.length; i++) if (a.buffers[i] !== b.buffers[i]) return false;
  return true;
}
