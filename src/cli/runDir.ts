/**
 * The files of a training run directory and when they are written:
 * - config.json + weights.safetensors: the model (the best validation epoch's with --patience, else the
 *   latest), refreshed after every epoch and at the end;
 * - metrics.jsonl: one JSON line per finished epoch, rewritten from the trainer's history (so a resumed run
 *   never repeats an epoch);
 * - checkpoint.safetensors (+ checkpoint.prev.safetensors): the full trainer state, for --resume.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { VaekitError } from '../errors.js';
import { CONFIG_FILE, modelFile, WEIGHTS_FILE } from '../io/modelFiles.js';
import { type VaeConfig } from '../models/vaeConfig.js';
import { writeFileAtomic } from '../node/atomicWrite.js';
import { CHECKPOINT_FILE, NEW_CHECKPOINT_FILE, PREVIOUS_CHECKPOINT_FILE, saveCheckpoint } from '../node/checkpointFiles.js';
import { fsError } from '../node/fsError.js';
import { saveModelDir } from '../node/modelDir.js';
import { type Params } from '../optim/trainState.js';
import { type TrainConfig } from '../train/trainConfig.js';
import { type EpochRecord } from '../train/trainer.js';
import { type TrainerState } from '../train/trainerState.js';
import { type DatasetSpec } from './datasets.js';

/** One line per finished epoch. */
export const METRICS_FILE = 'metrics.jsonl';

/** What a run trains: the configs, the data and its sizes. */
export interface RunSetup {
  model: VaeConfig;
  training: TrainConfig;
  dataset: DatasetSpec;
  sizes: { train: number; test: number };
}

/**
 * Writes a run's files into one directory (created on construction).
 *
 * @example
 * const run = new RunDir('runs/x', setup);
 * run.writeMetrics(trainer.history);
 */
export class RunDir {
  constructor(readonly dir: string, private readonly setup: RunSetup) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw fsError(e, 'create', dir);
    }
  }

  /**
   * `runs/<local date and time>`, with a suffix if that exists already.
   *
   * @example
   * RunDir.defaultPath(); // 'runs/2025-11-25T19-49-03'
   */
  static defaultPath(now = new Date()): string {
    const pad = (n: number) => String(n).padStart(2, '0');
    const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}-${pad(now.getMinutes())}-${pad(now.getSeconds())}`;
    let dir = path.join('runs', stamp);
    for (let k = 2; existsSync(dir); k++) dir = path.join('runs', `${stamp}-${k}`);
    return dir;
  }

  /**
   * Refuses a directory that already holds a run, so a new run never overwrites one.
   *
   * @throws VaekitError suggesting --resume or another --out
   */
  static checkFresh(dir: string): void {
    if (!existsSync(dir)) return;
    const has = (f: string) => existsSync(path.join(dir, f));
    const checkpoints = [CHECKPOINT_FILE, PREVIOUS_CHECKPOINT_FILE, NEW_CHECKPOINT_FILE].filter(has);
    if (checkpoints.length > 0) {
      throw new VaekitError(`${dir} already holds a training run (${checkpoints.join(', ')}); continue it with --resume ${dir} or choose another --out`, 'E_ARG');
    }
    // a run that ended before its first checkpoint left at most an empty metrics.jsonl: a fresh run may reuse it
    const model = [CONFIG_FILE, WEIGHTS_FILE].filter(has);
    if (model.length > 0 || (has(METRICS_FILE) && statSync(path.join(dir, METRICS_FILE)).size > 0)) {
      throw new VaekitError(`${dir} already holds a model (${[...model, METRICS_FILE].filter(has).join(', ')}); choose another --out (or remove those files)`, 'E_ARG');
    }
  }

  /** Rewrites metrics.jsonl with one line per epoch record. */
  writeMetrics(history: readonly EpochRecord[]): void {
    writeFileAtomic(path.join(this.dir, METRICS_FILE), history.map((r) => JSON.stringify(r) + '\n').join(''));
  }

  /** Saves config.json + weights.safetensors; `record` is the epoch the weights come from. */
  saveModel(params: Params, record: EpochRecord | undefined, selected: 'best' | 'last'): void {
    const { model, training, dataset, sizes } = this.setup;
    const metrics = record ? { selected, epoch: record.epoch, step: record.step, train: record.train, val: record.val, test: record.test } : null;
    saveModelDir(this.dir, { meta: modelFile(model, training, { ...dataset, ...sizes }, metrics), params });
  }

  /** Saves the trainer state as checkpoint.safetensors (the previous one becomes checkpoint.prev). */
  saveCheckpoint(state: TrainerState): void {
    const { model, training, dataset } = this.setup;
    saveCheckpoint(this.dir, { model, training, dataset, state });
  }
}
