/**
 * Live bytes of the GPU buffers made through createBuffer (src/gpu/tensor.ts), per device, and who
 * to tell when one is destroyed. Wrapping the buffer's own destroy() sees every release path
 * (states, activations, parameter buffers) without each one reporting it.
 */
interface DeviceMemory {
  live: number;
  peak: number;
  readonly onDestroy: Set<(buffer: GPUBuffer) => void>;
}

const devices = new WeakMap<GPUDevice, DeviceMemory>();

function memoryOf(device: GPUDevice): DeviceMemory {
  let m = devices.get(device);
  if (!m) devices.set(device, (m = { live: 0, peak: 0, onDestroy: new Set() }));
  return m;
}

/** Counts `buffer` as live until its destroy(). A request the device refused (out of memory) counts until it is released. */
export function track(device: GPUDevice, buffer: GPUBuffer): GPUBuffer {
  const m = memoryOf(device);
  const size = buffer.size;
  m.live += size;
  m.peak = Math.max(m.peak, m.live);
  const destroy = buffer.destroy.bind(buffer);
  let gone = false;
  buffer.destroy = () => {
    if (!gone) {
      gone = true;
      m.live -= size;
      for (const f of m.onDestroy) f(buffer);
    }
    destroy();
  };
  return buffer;
}

/** Bytes of the device's tracked buffers alive now, and the most alive at once since the device was made. */
export function gpuMemory(device: GPUDevice): { liveBytes: number; peakBytes: number } {
  const m = memoryOf(device);
  return { liveBytes: m.live, peakBytes: m.peak };
}

/** Calls `f` with each tracked buffer of `device` as it is destroyed; returns the unsubscribe. */
export function onBufferDestroyed(device: GPUDevice, f: (buffer: GPUBuffer) => void): () => void {
  const m = memoryOf(device);
  m.onDestroy.add(f);
  return () => m.onDestroy.delete(f);
}
