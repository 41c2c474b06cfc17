// Messages between the page and the training worker. Typed arrays are transferred, not copied.
import { type EpochRecord } from '../../src/web.js';

/** What the page asks the worker to train. */
export interface TrainRequest {
  latentDim: number;
  hidden: number;
  beta: number;
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  threads: number;
}

export type ToWorker =
  | { type: 'start'; request: TrainRequest }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'export' };

export type FromWorker =
  | { type: 'ready'; trainN: number; testN: number; stepsPerEpoch: number; threads: number }
  | { type: 'step'; step: number; epoch: number; loss: number }
  | { type: 'epoch'; record: EpochRecord }
  /** 16 prior samples and 8 test images with their reconstructions, [k, rows·cols] each. */
  | { type: 'snapshot'; step: number; samples: Float32Array; originals: Float32Array; recons: Float32Array; rows: number; cols: number }
  | { type: 'paused' }
  | { type: 'done'; outcome: string }
  | { type: 'model'; configJson: string; weights: Uint8Array }
  | { type: 'error'; message: string };
