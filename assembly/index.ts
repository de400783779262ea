// The kernel module: every family's exports, compiled into one wasm binary.
export * from './elementwise';
export * from './movement';
export * from './reduce';
export * from './softmax';
export * from './matmul';
export * from './random';
export * from './indexing';
