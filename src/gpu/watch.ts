import { SambaError } from '../model/errors';
import type { Recorder } from './recorder';
import { createBuffer } from './tensor';

/**
 * What can go wrong with a device after creation, in one place: its loss (every call then throws
 * SambaError('gpu')), errors no scope caught, and read-back, where both surface.
 */
export class DeviceWatch {
  /** Resolves with what happened once the device is lost (never after close()). */
  readonly lost: Promise<string>;
  private lostError: SambaError | undefined;
  private closed = false;
  private gpuError: string | undefined;
  /** Mappable read-back buffer of one logits row, reused by every step. */
  private readonly staging: GPUBuffer;
  private stagingBusy = false;

  constructor(
    private readonly device: GPUDevice,
    private readonly deviceName: string,
    private readonly rec: Recorder,
    stagingBytes: number,
  ) {
    this.staging = createBuffer(device, stagingBytes, 'staging', GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    device.onuncapturederror = (e: GPUUncapturedErrorEvent) => {
      this.gpuError ??= e.error.message;
    };
    this.lost = new Promise((resolve) => {
      void device.lost.then((info) => {
        if (this.closed) return;
        const what = `The GPU device was lost (${info.reason}${info.message ? `: ${info.message}` : ''}) on ${deviceName}`;
        this.lostError = new SambaError('gpu', `${what}; the request was stopped. The model restarts on a new device (or the CPU) and restores the workspace context from its saved state.`);
        resolve(what);
      });
    });
  }

  /** Throws once the device is lost or the engine disposed. */
  alive(): void {
    if (this.lostError) throw this.lostError;
    if (this.closed) throw new SambaError('gpu', 'This GPU engine was disposed; create a new one.');
  }

  /** The engine is disposed: calls throw, a later loss is not reported. */
  close(): void {
    this.closed = true;
    this.staging.destroy();
  }

  /** Submits what is recorded, then reads `bytes` of `src` back. */
  async read(src: GPUBuffer, bytes: number, offset = 0): Promise<ArrayBuffer> {
    const size = Math.max(4, Math.ceil(bytes / 4) * 4);
    // One logits row or less (every decoding step): the staging buffer kept for it.
    const reuse = size <= this.staging.size && !this.stagingBusy;
    const staging = reuse ? this.staging : createBuffer(this.device, size, 'read-back', GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    if (reuse) this.stagingBusy = true;
    try {
      this.alive();
      this.rec.copy(src, offset, staging, 0, size);
      this.rec.submit();
      try {
        await staging.mapAsync(GPUMapMode.READ, 0, size);
      } catch (e) {
        // A lost device rejects pending maps (often with no message) before device.lost settles.
        await Promise.race([this.lost, new Promise((r) => setTimeout(r, 200))]);
        this.alive();
        throw new SambaError('gpu', `GPU read-back failed on ${this.deviceName}: ${(e as Error)?.message || String(e) || 'mapAsync was rejected'}.`);
      }
      this.alive();
      if (this.gpuError) {
        const m = this.gpuError;
        this.gpuError = undefined;
        throw new SambaError('gpu', `GPU error: ${m}`);
      }
      const out = staging.getMappedRange(0, size).slice(0, bytes);
      staging.unmap();
      return out;
    } finally {
      if (reuse) this.stagingBusy = false;
      else staging.destroy();
    }
  }
}
