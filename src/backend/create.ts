/** Which engine runs a model: the GPU when an adapter exists, else the CPU reference; above the backends (src/gpu, src/cpu), which implement src/engine/. */
import { dropFileHalves, type Model } from '../model/weights';
import { createCpuEngine, int8Wanted } from '../cpu/engine';
import { createGpuEngine } from '../gpu/engine';
import type { WeightDtype } from '../gpu/kernels';
import { int8Model } from '../model/quantize';
import type { Engine } from '../engine/engine';

export type Backend = 'auto' | 'gpu' | 'cpu';

/** A notice the user may hide for good ("Don't Show Again"); others are events and always show. */
export type NoticeKey = 'no-gpu';

export interface EngineOptions {
  readonly backend?: Backend;
  /**
   * How the GPU stores weights: f16 halves memory and bandwidth, f32 is exact, i8 halves f16's
   * (int8 in groups of 32 with a scale each). With i8 the CPU reference runs int8's values too.
   */
  readonly weights?: WeightDtype;
  /** Told when the GPU cannot be used and the CPU reference runs instead. */
  readonly onNotice?: (message: string, key?: NoticeKey) => void;
}

/**
 * The GPU engine when a hardware adapter exists, else (for `auto`) the CPU engine, with a notice
 * saying so. A software adapter (Mesa lavapipe: WebGPU run by the CPU) counts as none for `auto`:
 * the CPU engine reads prompts several times faster there, on one core instead of all, and
 * compiles no shaders (a minute on the first run); `gpu` still takes it.
 */
export async function createEngine(model: Model, options: EngineOptions = {}): Promise<Engine> {
  try {
    return await create(model, options);
  } finally {
    // The GPU's upload has copied the file's f16 bits (or the CPU never reads them): 2 bytes a weight freed.
    dropFileHalves(model.weights);
  }
}

async function create(model: Model, options: EngineOptions): Promise<Engine> {
  const backend = options.backend ?? 'auto';
  if (backend === 'cpu') return createCpuEngine(cpuModel(model, options.weights), { int8: int8Wanted() });
  try {
    return await createGpuEngine(model, { weights: options.weights, hardwareOnly: backend === 'auto' });
  } catch (e) {
    if (backend === 'gpu') throw e;
    options.onNotice?.(
      `No GPU to use (${(e as Error).message.replace(/\.$/, '')}): the model runs on the CPU, slower than on a GPU. Set samba.engine.backend to "gpu" to use a software adapter anyway.`,
      'no-gpu',
    );
    return createCpuEngine(cpuModel(model, options.weights), { int8: int8Wanted() });
  }
}

/** The model the CPU reference runs for GPU storage `weights`: int8's values for i8, so both give the same states. */
export function cpuModel(model: Model, weights?: WeightDtype): Model {
  return weights === 'i8' ? int8Model(model) : model;
}
