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
  /**
   * Subgroup matrices (tensor cores) for the prompt matmul: the device was created with them and
   * an f16 -> f32 configuration; else undefined, and `subgroupMatrixNote` says why.
   */
  readonly subgroupMatrix?: SubgroupMatrixSupport;
  readonly subgroupMatrixNote: string;
}

/** An f16 x f16 -> f32 subgroup-matrix configuration (M tokens x N rows, K inputs), on subgroups of `subgroupSize`. */
export interface SubgroupMatrixSupport {
  readonly M: number;
  readonly N: number;
  readonly K: number;
  readonly subgroupSize: number;
}

/**
 * Subgroup matrices (the GPU's matrix units, for the prompt matmul) are used where the adapter
 * offers them; Dawn offers them (chromium-experimental-subgroup-matrix) only with its
 * allow_unsafe_apis toggle, which is then on. SAMBA_GPU_SUBGROUP_MATRIX=0 turns both off
 * ("1", or unset: on; "1" also logs why they are not used where they are not). The toggle is
 * read when Dawn is first loaded in the process.
 */
export function subgroupMatrixSetting(): 'on' | 'off' | 'default' {
  const v = process.env.SAMBA_GPU_SUBGROUP_MATRIX;
  if (v === undefined || v === '') return 'default';
  if (v === '0' || v === '1') return v === '1' ? 'on' : 'off';
  throw new SambaError('gpu', `SAMBA_GPU_SUBGROUP_MATRIX is "${v}"; it must be "0" (prompts without the GPU's matrix units) or "1", or unset (use them where the GPU has them).`);
}

const SUBGROUP_MATRIX = 'chromium-experimental-subgroup-matrix';

/**
 * The subgroup-matrix configuration the prompt matmul can use on this adapter, or why none:
 * the feature with subgroups and shader-f16, one subgroup size (the kernel lays its work out by
 * it), and an f16 -> f32 configuration (16x16x16 preferred: NVIDIA's).
 */
export function subgroupMatrixSupport(adapter: { features: ReadonlySet<string>; info: unknown }): SubgroupMatrixSupport | string {
  for (const f of [SUBGROUP_MATRIX, 'subgroups', 'shader-f16']) if (!adapter.features.has(f)) return `the adapter does not offer ${f}`;
  const info = adapter.info as { subgroupMinSize?: number; subgroupMaxSize?: number; subgroupMatrixConfigs?: readonly { componentType: string; resultComponentType: string; M: number; N: number; K: number }[] };
  const sg = info.subgroupMaxSize ?? 0;
  if (!sg || info.subgroupMinSize !== sg) return `its subgroup size varies (${info.subgroupMinSize}-${info.subgroupMaxSize})`;
  const configs = (info.subgroupMatrixConfigs ?? []).filter((c) => c.componentType === 'f16' && c.resultComponentType === 'f32' && c.M % 16 === 0 && c.N % 8 === 0 && c.K % 8 === 0 && c.M <= 32 && c.N <= 32 && c.K <= 32);
  const c = configs.find((c) => c.M === 16 && c.N === 16 && c.K === 16) ?? configs[0];
  if (!c) return `no f16 -> f32 subgroup-matrix configuration (offered: ${(info.subgroupMatrixConfigs ?? []).map((c) => `${c.componentType}->${c.resultComponentType} ${c.M}x${c.N}x${c.K}`).join(', ') || 'none'})`;
  return { M: c.M, N: c.N, K: c.K, subgroupSize: sg };
}

/**
 * The Dawn toggles the process loads Dawn with. Dawn hides shader-f16 on NVIDIA's Vulkan driver
 * unless asked (bench/adapter-features.ts shows what each toggle gives); elsewhere that toggle
 * changes nothing. Subgroup matrices need allow_unsafe_apis (subgroupMatrixSetting). SAMBA_DAWN_TOGGLES
 * adds toggles, for benches.
 */
export function dawnToggles(): string[] {
  return ['vulkan_enable_f16_on_nvidia', ...(subgroupMatrixSetting() !== 'off' ? ['allow_unsafe_apis'] : []), ...(process.env.SAMBA_DAWN_TOGGLES ?? '').split(',').filter((t) => t)];
}

type GpuEntry = { requestAdapter(options?: GPURequestAdapterOptions): Promise<GPUAdapter | null> };

let shared: Promise<GpuEntry> | undefined;

/** Dawn's Node bindings, loaded once (the package is ESM; this module compiles to CommonJS). */
async function dawn(): Promise<GpuEntry> {
  shared ??= (async () => {
    const webgpu = (await import('webgpu')) as unknown as { create(flags: string[]): GpuEntry; globals: object };
    Object.assign(globalThis, webgpu.globals);
    return webgpu.create([`enable-dawn-features=${dawnToggles().join(',')}`]);
  })();
  return shared;
}

/**
 * Requests a high-performance adapter and a device with the adapter's full storage-binding and
 * buffer limits (the defaults, 128 MiB bindings, are too small for real weights).
 */
export async function acquireGpu(): Promise<GpuContext> {
  const setting = subgroupMatrixSetting();
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
  const software = (adapter.info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter === true || adapter.info?.architecture === 'software';
  let sgm = setting === 'off' ? 'SAMBA_GPU_SUBGROUP_MATRIX=0' : subgroupMatrixSupport(adapter);
  const request = (features: string[]) =>
    adapter.requestDevice({
      requiredFeatures: features as GPUFeatureName[],
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
  const firstLine = (e: unknown) => ((e as Error)?.message || String(e)).split('\n')[0];
  let device: GPUDevice;
  try {
    const plain = f16 ? ['shader-f16'] : [];
    if (typeof sgm === 'string') device = await request(plain);
    else {
      // An experimental feature: a device refused with it is asked for again without it.
      try {
        device = await request([...plain, 'subgroups', SUBGROUP_MATRIX]);
      } catch (e) {
        sgm = `the device was refused with them (${firstLine(e)})`;
        process.stderr.write(`samba: the GPU offers subgroup matrices, but ${sgm}: prompts run without them\n`);
        device = await request(plain);
      }
    }
  } catch (e) {
    throw new SambaError('gpu', `The GPU adapter refused to create a device (${firstLine(e)}). Restart the GPU driver or the machine, or set samba.engine.backend to "cpu".`);
  }
  const info = adapter.info;
  const name = [info?.vendor, info?.architecture, info?.device, info?.description].filter((s) => s).join(' ') || 'unknown adapter';
  pollGently(software);
  const subgroupMatrix = typeof sgm !== 'string' && device.features.has(SUBGROUP_MATRIX) ? sgm : undefined;
  const subgroupMatrixNote = subgroupMatrix ? `f16 -> f32 ${subgroupMatrix.M}x${subgroupMatrix.N}x${subgroupMatrix.K} on subgroups of ${subgroupMatrix.subgroupSize}` : `off: ${typeof sgm === 'string' ? sgm : 'the device was created without them'}`;
  return { device, adapterName: name, maxBinding: device.limits.maxStorageBufferBindingSize, software, f16: device.features.has('shader-f16'), subgroupMatrix, subgroupMatrixNote };
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
