// Messages between the page and the training worker. Typed arrays are transferred, not copied.
import { type EpochRecord, type ImageDataset, type WebDataOptions, type WebDataRecord, type WebFile } from '../../src/web.js';

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
  /** Pixel data only (tables have their own likelihood); default bernoulli, as the CLI. */
  likelihood?: 'bernoulli' | 'gaussian';
}

/** One split of the user's data as arrays: x [n, ...shape], mask like x when cells are missing, labels [n]. */
export interface SplitArrays {
  x: Float32Array;
  mask?: Float32Array;
  labels?: Int32Array;
}

/** The user's own data, opened in the page (src/web/webDataSource.ts) and copied to the worker. */
export interface DataPayload {
  record: WebDataRecord;
  shape: number[];
  train: SplitArrays;
  /** The file's own test split; otherwise the worker holds out the CLI's seeded fraction. */
  test?: SplitArrays;
}

export type ToWorker =
  /** `data` absent: the embedded digits. */
  | { type: 'start'; request: TrainRequest; data?: DataPayload }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** `testSet`: also send the held-out test images of the user's image data (the explorer's dots). */
  | { type: 'export'; testSet?: boolean };

/** The first `EXPLORE_MAX_TEST` held-out test images of a run on the user's image data: [n, C·H·W], labels 0 when unlabeled. */
export type TestImages = ImageDataset<Int32Array> & { channels: number };

/** Dots on the explorer's plane at most (encoding and drawing stay quick). */
export const EXPLORE_MAX_TEST = 2000;

export type FromWorker =
  | { type: 'ready'; name: string; trainN: number; testN: number; stepsPerEpoch: number; threads: number }
  | { type: 'step'; step: number; epoch: number; loss: number }
  | { type: 'epoch'; record: EpochRecord }
  /** 16 prior samples and 8 test images with their reconstructions, [k, channels·rows·cols] each (images only). */
  | { type: 'snapshot'; step: number; samples: Float32Array; originals: Float32Array; recons: Float32Array; rows: number; cols: number; channels: number }
  | { type: 'paused' }
  | { type: 'done'; outcome: string }
  | { type: 'model'; configJson: string; weights: Uint8Array; test?: TestImages }
  | { type: 'error'; message: string };

// ---- the data worker (web/train/dataWorker.ts): opens the user's files off the page's thread

/** Open these files with these options (the panel's settings; progress comes back as messages). */
export interface OpenRequest {
  files: WebFile[];
  options: Omit<WebDataOptions, 'signal' | 'onProgress'>;
}

export type FromDataWorker =
  | { type: 'progress'; done: number; total: number }
  /** The opened data: its name and kind, the summary lines the panel shows, and the arrays (transferred). */
  | { type: 'opened'; name: string; kind: 'images' | 'npy' | 'npz' | 'table'; n: number; summary: string[]; payload: DataPayload }
  | { type: 'error'; message: string };
