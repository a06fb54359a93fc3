import { SambaError } from '../model/errors';
import type { ModelConfig } from '../model/config';
import { MAX_SPLIT } from './ops';
import { createBuffer } from './tensor';

/** The forward pass's working buffers, sized for a chunk of C tokens (rows of the shapes below). */
export type Activations = Record<'x' | 'xn' | 'xz' | 'xc' | 'dbc' | 'dt' | 'y' | 'qkv' | 'att' | 'gu' | 'h' | 'logits' | 'tokens' | 'targets' | 'logProbs' | 'argmax' | 'dummy' | 'scratchA' | 'scratchB' | 'attnPart', GPUBuffer>;

/**
 * Allocates the activations for chunks of `C` tokens. `logitRows`: tokens whose logits fit the
 * logits buffer (one binding).
 */
export function allocActivations(device: GPUDevice, c: ModelConfig, C: number, maxBinding: number): { act: Activations; logitRows: number } {
  const b = (floats: number, label: string) => {
    if (floats * 4 > maxBinding) {
      throw new SambaError('gpu', `GPU engine: activation "${label}" (${floats * 4} bytes for a chunk of ${C} tokens) exceeds the storage binding limit; use a smaller chunk.`);
    }
    return createBuffer(device, floats * 4, label);
  };
  const qkvW = (c.nHead + 2 * c.nKvHead) * c.headDim;
  const logitRows = Math.max(1, Math.min(C, Math.floor(maxBinding / (c.vocabSize * 4))));
  const act: Activations = {
    x: b(C * c.dModel, 'x'), // the residual stream [C, d]
    xn: b(C * c.dModel, 'xn'), // its RMSNorm (prompts)
    xz: b(C * 2 * c.dInner, 'xz'), // in_proj's output [C, 2 Di]: x, then the gate z
    xc: b(C * c.dInner, 'xc'), // the conv's output [C, Di]
    dbc: b(C * (c.dtRank + 2 * c.dState), 'dbc'), // x_proj's output [C, R + 2N]: dt, B, C
    dt: b(C * c.dInner, 'dt'), // dt_proj's output [C, Di]
    y: b(C * c.dInner, 'y'), // the scan's output [C, Di]
    qkv: b(C * qkvW, 'qkv'), // [C, (H + 2G) hd]
    att: b(C * c.nHead * c.headDim, 'att'), // [C, H hd]
    gu: b(C * 2 * c.mlpHidden, 'gu'), // gate | up [C, 2F]
    h: b(C * c.mlpHidden, 'h'), // SwiGLU's output [C, F] (prompts)
    logits: b(logitRows * c.vocabSize, 'logits'),
    tokens: b(C, 'tokens'),
    targets: b(logitRows, 'targets'), // the tokens whose log-probabilities a scoring prefill reads (token_logprob)
    logProbs: b(logitRows, 'log-probabilities'),
    argmax: b(4, 'argmax'),
    dummy: b(4, 'dummy'),
    // The matvec's writable epilogue bindings when unused (two, as writable bindings must not alias).
    scratchA: b(4, 'scratch A'),
    scratchB: b(4, 'scratch B'),
    // Split-key attention partials (decode): T * nSplit <= MAX_SPLIT rows per head.
    attnPart: b(MAX_SPLIT * c.nHead * (c.headDim + 2), 'attnPart'),
  };
  return { act, logitRows };
}
