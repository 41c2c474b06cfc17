// Isomorphic entry point: nothing here imports node:*.
export * from './errors.js';
export * from './graph/dtype.js';
export * from './graph/tensor.js';
export * from './graph/ops/index.js';
export * from './graph/serialize.js';
export * from './runtime/engine.js';
export * from './random/prng.js';
export * from './autodiff/grad.js';
