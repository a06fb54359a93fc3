/** The one owner of prompt formats: special tokens, file units, the FIM layout, the context block, stops. */
export * from './tokens';
export * from './pieces';
export * from './file';
export * from './block';
export * from './fim';
export * from './stop';
export * from './assist';
