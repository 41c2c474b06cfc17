import { type RowDataset } from '../data/rowDataset.js';
import { VaekitError } from '../errors.js';
import { fmtShape } from '../graph/dtype.js';
import { initVaeParams, type Vae } from '../models/vae.js';
import { type VaeConfig } from '../models/vaeConfig.js';
import { Prng } from '../random/prng.js';
import { type TrainConfig } from './trainConfig.js';
import { type TrainerState } from './trainerState.js';

/**
 * Refuses data whose shape, labels or mask the model cannot read, before anything is compiled.
 *
 * @example
 * checkFits(test, cfg);
 */
export function checkFits(ds: RowDataset, cfg: VaeConfig): void {
  if (fmtShape(ds.shape) !== fmtShape(cfg.dataShape)) {
    throw new VaekitError(`dataset ${ds.name} has examples of shape ${fmtShape(ds.shape)} but the model expects ${fmtShape(cfg.dataShape)}`, 'E_DATA');
  }
  if (cfg.classes > 0) {
    if (!ds.labels) throw new VaekitError(`dataset ${ds.name} has no labels, which a conditional model (${cfg.classes} classes) needs`, 'E_DATA');
    const bad = ds.labels.findIndex((l) => l < 0 || l >= cfg.classes);
    if (bad >= 0) throw new VaekitError(`dataset ${ds.name}: example ${bad} has label ${ds.labels[bad]}, outside the model's ${cfg.classes} classes`, 'E_DATA');
  }
}

/** A generator continuing from a saved state. */
export function rngFrom(state: ReturnType<Prng['getState']>): Prng {
  const r = new Prng(0);
  r.setState(state);
  return r;
}

/** The state of a run that has not started: initial parameters and PRNGs drawn from the seed. */
export function freshState(vae: Vae, training: TrainConfig): TrainerState {
  const params = initVaeParams(vae, new Prng(training.seed));
  // independent streams: one for data order and binarization, one for ε
  return {
    train: { params, opt: {}, step: 0 },
    epoch: 0,
    batch: 0,
    perm: null,
    dataRng: new Prng(training.seed + 0x9e3779b9).getState(),
    noiseRng: new Prng(training.seed + 0x7f4a7c15).getState(),
    acc: { sums: {}, count: 0 },
    history: [],
    best: null,
    earlyStopped: false,
  };
}
