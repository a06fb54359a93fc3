// How long compiling the default model's kernels takes: one after another with createComputePipeline
// (what the GPU engine does at load), against all at once with createComputePipelineAsync. The
// kernels are recorded while an engine loads the model; each round compiles them on a fresh device,
// their text made unique per round (a comment) so Dawn's own cache does not answer; the driver's
// cache may (as at a user's restart). One JSON line per round.
// usage: node dist/pipeline-compile.js [--model DIR] [--rounds N]
import { cliArgs } from '../src/cli-args';
import { loadModel } from '../src/model/load';
import { createEngine } from '../src/backend/create';
import { acquireGpu } from '../src/gpu/device';

async function main(): Promise<void> {
  const { values: args } = cliArgs('usage: node dist/pipeline-compile.js [--model DIR] [--rounds N]', {
    model: { type: 'string', default: 'models/default' },
    rounds: { type: 'int', min: 1, max: 100, default: 4 },
  });
  const model = await loadModel(args.model);
  const kernels: string[] = [];
  const proto = Object.getPrototypeOf((await acquireGpu()).device) as GPUDevice;
  const createModule = proto.createShaderModule;
  proto.createShaderModule = function (this: GPUDevice, d: GPUShaderModuleDescriptor) {
    kernels.push(d.code);
    return createModule.call(this, d);
  };
  const t0 = performance.now();
  const engine = await createEngine(model, { backend: 'gpu' });
  const loadMs = performance.now() - t0;
  proto.createShaderModule = createModule;
  await engine.dispose();
  const unique = [...new Set(kernels)];
  for (let r = 0; r < args.rounds; r++) {
    for (const mode of r % 2 ? ['async', 'sync'] : ['sync', 'async']) {
      const { device } = await acquireGpu();
      const codes = unique.map((c) => `// round ${r} ${mode}\n${c}`);
      const t = performance.now();
      if (mode === 'sync') {
        for (const code of codes) device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
      } else {
        await Promise.all(codes.map((code) => device.createComputePipelineAsync({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } })));
      }
      await device.queue.onSubmittedWorkDone();
      console.log(JSON.stringify({ round: r, mode, kernels: codes.length, ms: +(performance.now() - t).toFixed(1), engineLoadMs: +loadMs.toFixed(1) }));
      device.destroy();
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
