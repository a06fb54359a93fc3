import type { Model } from '../model/weights';
import { createCpuEngine } from '../cpu/engine';
import { createGpuEngine } from '../gpu/engine';
import type { Engine } from './engine';

export type Backend = 'auto' | 'gpu' | 'cpu';

export interface EngineOptions {
  readonly backend?: Backend;
  /** How the GPU stores weights: f16 halves memory and bandwidth, f32 is exact. */
  readonly weights?: 'f32' | 'f16';
  /** Told when the GPU cannot be used and the CPU reference runs instead. */
  readonly onNotice?: (message: string) => void;
}

/** The GPU engine when an adapter exists, else (for `auto`) the CPU reference, with a notice saying so. */
export async function createEngine(model: Model, options: EngineOptions = {}): Promise<Engine> {
  const backend = options.backend ?? 'auto';
  if (backend === 'cpu') return createCpuEngine(model);
  try {
    return await createGpuEngine(model, { weights: options.weights });
  } catch (e) {
    if (backend === 'gpu') throw e;
    options.onNotice?.(`No usable GPU (${(e as Error).message}); running the model on the CPU reference, which is much slower.`);
    return createCpuEngine(model);
  }
}
