// Node entry point (`vaekit/node`): the isomorphic core plus an engine over onnxruntime-node and file I/O.
import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { Engine, type EngineOptions, type OrtModule } from './runtime/engine.js';

export * from './index.js';
export * from './node/atomicWrite.js';
export * from './node/modelDir.js';
export * from './node/checkpointFiles.js';
export * from './node/fashionMnist.js';
export * from './node/svgToPng.js';
export * from './node/npyFileDataset.js';
export * from './node/npyWriter.js';
export * from './node/imageFolder.js';
export * from './node/imageCache.js';
export * from './node/decodeImage.js';
export * from './node/openDataSource.js';
export * from './node/mnistCache.js';
export * from './node/csvFiles.js';

/**
 * An Engine over onnxruntime-node; threads default to the machine's cores. On the CPU provider it writes
 * convolutions as ORT's NCHWc kernels (EngineOptions.nchwc).
 *
 * @example
 * const engine = nodeEngine({ threads: 2 });
 */
export function nodeEngine(opts: EngineOptions = {}): Engine {
  return new Engine(ort as unknown as OrtModule, { nchwc: (opts.executionProviders ?? ['cpu']).every((p) => p === 'cpu'), ...opts, threads: opts.threads ?? os.availableParallelism() });
}
