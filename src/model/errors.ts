/**
 * An error about something the user supplied (a model folder, a state file, a setting). Its message
 * names the file, tensor or field and says what to do; `code` lets callers and tests tell kinds apart.
 */
export class SambaError extends Error {
  constructor(
    readonly code: SambaErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SambaError';
  }
}

export type SambaErrorCode =
  | 'model-folder'
  | 'config'
  | 'safetensors'
  | 'tensor-missing'
  | 'tensor-shape'
  | 'tensor-dtype'
  | 'tensor-values'
  | 'tokenizer'
  | 'token-range'
  | 'state'
  | 'gpu';
