import * as assert from 'node:assert/strict';
import { createGpuEngine } from '../src/gpu/engine';
import { chain } from '../bench/token-floor';
import { randomModelOf } from '../bench/random-model';

type Op = { kind: string; pipeline?: GPUComputePipeline };
type RecorderInside = { ops: Op[]; submit: () => void };

// bench/token-floor.ts prices a decoded token as the engine's chain of dispatches; if the engine
// gains or loses a dispatch, the floor it reports is wrong. Small models of both layouts, before
// and after the attention's keys split (64 keys per split).
describe('the token floor bench (bench/token-floor.ts)', function () {
  this.timeout(120_000);
  const shapes: Record<string, unknown>[] = [
    { model_type: 'samba', hidden_size: 64, num_hidden_layers: 4, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 16, intermediate_size: 96, sliding_window: 128, state_size: 8, expand: 2, time_step_rank: 4, vocab_size: 80 },
    { model_type: 'transformer', hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 16, intermediate_size: 96, vocab_size: 80 },
  ];
  for (const shape of shapes) {
    for (const context of [8, 100]) {
      it(`lists the dispatches the engine records for one token: ${shape.model_type} after ${context} tokens`, async () => {
        const engine = await createGpuEngine(randomModelOf(shape), { weights: 'f16' });
        try {
          const state = engine.newState({ capacity: context + 8 });
          await engine.prefill(Array.from({ length: context }, (_, i) => (i * 7) % 80), state);
          const rec = (engine as unknown as { rec: RecorderInside }).rec;
          const seen: string[] = [];
          const submit = rec.submit;
          rec.submit = function (this: RecorderInside) {
            seen.push(...this.ops.filter((o) => o.kind === 'dispatch').map((o) => o.pipeline!.label));
            submit.call(this);
          };
          try {
            await engine.stepArgmax(1, state);
          } finally {
            rec.submit = submit;
          }
          assert.deepEqual(seen, chain(shape as Record<string, number | string>, context).map((d) => d.kernel));
        } finally {
          await engine.dispose();
        }
      });
    }
  }
});
