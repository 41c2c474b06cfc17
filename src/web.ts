// Browser entry point (`vaekit/web`): the isomorphic core plus an engine over onnxruntime-web, model loading
// from URLs and files, and fast single-example inference. Nothing here imports node:*.
export * from './index.js';
export * from './web/webEngine.js';
export * from './web/webModel.js';
export * from './web/modelSource.js';
export * from './web/webDataSource.js';
export * from './web/webTraining.js';
export * from './web/imageDecode.js';
