// Node entry point (`vaekit/node`): the isomorphic core plus an engine over onnxruntime-node and file I/O.
import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { Engine, type EngineOptions } from './runtime/engine.js';

export * from './index.js';

/**
 * An Engine over onnxruntime-node; threads default to the machine's cores.
 *
 * @example
 * const engine = nodeEngine({ threads: 2 });
 */
export function nodeEngine(opts: EngineOptions = {}): Engine {
  return new Engine(ort as unknown as ConstructorParameters<typeof Engine>[0], { ...opts, threads: opts.threads ?? os.availableParallelism() });
}
