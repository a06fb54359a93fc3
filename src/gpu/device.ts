import { SambaError } from '../model/errors';

/** A WebGPU device with the limits the engine asked for. */
export interface GpuContext {
  readonly device: GPUDevice;
  readonly adapterName: string;
  /** Largest storage binding, in bytes. */
  readonly maxBinding: number;
  /** A software adapter (Mesa lavapipe, SwiftShader): WebGPU run by the CPU. */
  readonly software: boolean;
  /** The device has `shader-f16` (f16 arithmetic in WGSL), for the f16 prompt matmul. */
  readonly f16: boolean;
}

type GpuEntry = { requestAdapter(options?: GPURequestAdapterOptions): Promise<GPUAdapter | null> };

let shared: Promise<GpuEntry> | undefined;

/** Dawn's Node bindings, loaded once (the package is ESM; this module compiles to CommonJS). */
async function dawn(): Promise<GpuEntry> {
  shared ??= (async () => {
    const webgpu = (await import('webgpu')) as unknown as { create(flags: string[]): GpuEntry; globals: object };
    Object.assign(globalThis, webgpu.globals);
    // Dawn hides shader-f16 on NVIDIA's Vulkan driver unless asked (bench/adapter-features.ts shows
    // what each toggle gives); elsewhere the toggle changes nothing.
    return webgpu.create(['enable-dawn-features=vulkan_enable_f16_on_nvidia']);
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
  const fault = acquireFault();
  const adapter = fault === 'no-adapter' ? null : await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new SambaError('gpu', 'No WebGPU adapter found: this machine has no usable GPU driver (Vulkan, Metal or D3D12). Install or update the GPU driver, or set samba.engine.backend to "cpu".');
  }
  const limits = adapter.limits;
  const f16 = adapter.features.has('shader-f16');
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      requiredFeatures: f16 ? ['shader-f16'] : [],
      requiredLimits: {
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        // The injected refusal asks for more than the adapter has: Dawn itself rejects the request.
        maxBufferSize: fault === 'device-refused' ? limits.maxBufferSize * 2 : limits.maxBufferSize,
        maxStorageBuffersPerShaderStage: Math.min(limits.maxStorageBuffersPerShaderStage, 10),
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
        maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
        maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      },
    });
  } catch (e) {
    throw new SambaError('gpu', `The GPU adapter refused to create a device (${((e as Error)?.message || String(e)).split('\n')[0]}). Restart the GPU driver or the machine, or set samba.engine.backend to "cpu".`);
  }
  const info = adapter.info;
  const name = [info?.vendor, info?.architecture, info?.device, info?.description].filter((s) => s).join(' ') || 'unknown adapter';
  const software = (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter === true || info?.architecture === 'software';
  pollGently(software);
  return { device, adapterName: name, maxBinding: device.limits.maxStorageBufferBindingSize, software, f16: device.features.has('shader-f16') };
}

const immediate = globalThis.setImmediate;

/** Gives a device back unused (before any engine ran on it), and the thread its usual polling. */
export function releaseGpu(ctx: GpuContext): void {
  ctx.device.destroy();
  pollGently(false);
}

/**
 * Dawn's Node bindings poll the device through the global setImmediate while a GPU promise is
 * pending: a busy loop on this thread. On a software adapter that loop takes a core from the
 * adapter's own threads (prompts ran slower: bench/RESULTS.md), so there it waits 1 ms
 * between polls; on a GPU it polls at once (a token takes a millisecond or less). Our own
 * code yields through node:timers' setImmediate, which this leaves alone.
 */
function pollGently(gently: boolean): void {
  globalThis.setImmediate = gently ? (((fn: (...a: unknown[]) => void, ...args: unknown[]) => setTimeout(fn, 1, ...args)) as unknown as typeof setImmediate) : immediate;
}

/**
 * Fault injection for tests and drills, read at every acquisition (so it can start failing after a
 * model loaded): SAMBA_FAULT_GPU_ACQUIRE=no-adapter finds no adapter, as when the driver is gone;
 * =device-refused makes Dawn reject the device request. Unset in normal use.
 */
function acquireFault(): 'no-adapter' | 'device-refused' | undefined {
  const v = process.env.SAMBA_FAULT_GPU_ACQUIRE;
  if (!v) return undefined;
  if (v === 'no-adapter' || v === 'device-refused') return v;
  throw new SambaError('gpu', `SAMBA_FAULT_GPU_ACQUIRE is "${v}"; it must be "no-adapter" or "device-refused", or unset.`);
}
