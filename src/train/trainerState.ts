import { type Params, type TrainState } from '../optim/trainState.js';
import { type Prng } from '../random/prng.js';
import { type EpochRecord } from './trainer.js';

/**
 * Everything a run needs to continue exactly where it stopped, after any step: optimizer state, both
 * PRNG streams, the epoch's data order and position, the running metric sums, history and best model.
 */
export interface TrainerState {
  train: TrainState;
  /** Finished epochs. */
  epoch: number;
  /** Finished batches of the current epoch. */
  batch: number;
  /** The current epoch's shuffled order (null between epochs). */
  perm: number[] | null;
  dataRng: ReturnType<Prng['getState']>;
  noiseRng: ReturnType<Prng['getState']>;
  acc: { sums: Record<string, number>; count: number };
  history: EpochRecord[];
  best: { value: number; epoch: number; badEpochs: number; params: Params } | null;
  earlyStopped: boolean;
}
