import { SambaError } from '../model/errors';

/** A WebGPU device with the limits the engine asked for. */
export interface GpuContext {
  readonly device: GPUDevice;
  readonly adapterName: string;
  /** Largest storage binding, in bytes. */
  readonly maxBinding: number;
}

type GpuEntry = { requestAdapter(options?: GPURequestAdapterOptions): Promise<GPUAdapter | null> };

let shared: Promise<GpuEntry> | undefined;

/** Dawn's Node bindings, loaded once (the package is ESM; this module compiles to CommonJS). */
async function dawn(): Promise<GpuEntry> {
  shared ??= (async () => {
    const webgpu = (await import('webgpu')) as unknown as { create(flags: string[]): GpuEntry; globals: object };
    Object.assign(globalThis, webgpu.globals);
    return webgpu.create([]);
  })();
  return shared;
}

/**
 * Requests a high-performance adapter and a device with the adapter's full storage-binding and
 * buffer limits (the defaults, 128 MiB bindings, are too small for real weights).
 */
export async function acquireGpu(): Promise<GpuContext> {
  let gpu: GpuEntry;
  try {
    gpu = await dawn();
  } catch (e) {
    throw new SambaError('gpu', `WebGPU could not be loaded (${(e as Error).message}). Reinstall the extension, or set samba.engine.backend to "cpu".`);
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new SambaError('gpu', 'No WebGPU adapter found: this machine has no usable GPU driver (Vulkan, Metal or D3D12). Install or update the GPU driver, or set samba.engine.backend to "cpu".');
  }
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxStorageBuffersPerShaderStage: Math.min(limits.maxStorageBuffersPerShaderStage, 10),
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  });
  const info = adapter.info;
  const name = [info?.vendor, info?.architecture, info?.device, info?.description].filter((s) => s).join(' ') || 'unknown adapter';
  return { device, adapterName: name, maxBinding: device.limits.maxStorageBufferBindingSize };
}
