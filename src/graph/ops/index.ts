// Every op builder, in one import: `import * as ops from 'vaekit/graph/ops'` or named imports.
export * from './core.js';
export * from './elementwise.js';
export * from './reduce.js';
export * from './shape.js';
export * from './linalg.js';
export * from './conv.js';
export { broadcastShapes, broadcastAxes } from './broadcast.js';
