import type { Model } from '../model/weights';
import { createCpuEngine } from '../cpu/engine';
import type { WeightDtype } from '../gpu/kernels';
import { cpuModel } from './create';
import type { Engine, EngineState } from '../engine/engine';

/**
 * The engine that generates tokens for a request whose prompt `engine` ran. On a software GPU
 * adapter (Mesa lavapipe: WebGPU run by the CPU) prompts go faster there than on the CPU
 * reference, but every generated token pays for about a hundred dispatches, and the CPU reference
 * generates several times faster (bench/RESULTS.md). Such engines get the CPU reference as their
 * decoder; every other engine decodes itself.
 */
export async function createDecoder(engine: Engine, model: Model, weights?: WeightDtype): Promise<Engine | undefined> {
  const software = (engine as { software?: boolean }).software === true;
  return engine.backend === 'gpu' && software ? createCpuEngine(cpuModel(model, weights)) : undefined;
}

/**
 * The prompt's state on the decoder: a copy moved across (download + upload: the recurrent state
 * and the attention window, a few MB for the default model), or `state` itself without a decoder.
 * The caller releases the copy on the decoder and `state` on the engine, as before.
 */
export async function decoderState(engine: Engine, decoder: Engine | undefined, state: EngineState): Promise<EngineState> {
  return decoder ? decoder.upload(await engine.download(state)) : state;
}
