/**
 * Runs a Trainer for the CLI: progress, run-directory files after every epoch (and every N minutes within
 * one), Ctrl-C (stop after the current step, save, exit 130) and divergence (save the last good state).
 */
import { type Params } from '../optim/trainState.js';
import { DivergenceError, type EpochRecord, type Trainer, type TrainOutcome } from '../train/trainer.js';
import { CliExit } from './options.js';
import { note } from './output.js';
import { type RunDir } from './runDir.js';
import { type TrainProgress } from './trainProgress.js';

/** Options of {@link runSession}. */
export interface SessionOptions {
  /** Also checkpoint when this many minutes passed since the last checkpoint (checked after each step). */
  checkpointMinutes?: number;
  /** Save the best validation epoch's weights as the model (early stopping), not the latest. */
  keepBest: boolean;
}

/**
 * Trains to the end and saves the final files; returns why it ended.
 *
 * @throws CliExit(130) after Ctrl-C (state saved), DivergenceError after saving the last good state
 * @example
 * const outcome = await runSession(trainer, run, trainProgress(), { keepBest: false });
 */
export async function runSession(trainer: Trainer, run: RunDir, progress: TrainProgress, opts: SessionOptions): Promise<TrainOutcome> {
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130); // a second Ctrl-C: quit now, keeping the last saved checkpoint
    progress.close();
    note('vaekit: stopping after the current step and saving a checkpoint (Ctrl-C again to quit at once)');
    trainer.stop();
  };
  const everyMs = opts.checkpointMinutes === undefined ? Infinity : opts.checkpointMinutes * 60_000;
  let lastCheckpoint = performance.now();
  const checkpoint = () => {
    run.saveCheckpoint(trainer.state());
    lastCheckpoint = performance.now();
  };
  const saveModel = (params: Params = trainer.params()) => {
    const { record, selected } = savedRecord(trainer.history, opts.keepBest);
    run.saveModel(selected === 'best' && trainer.bestParams ? trainer.bestParams : params, record, selected);
  };

  process.on('SIGINT', onSigint);
  let outcome: TrainOutcome;
  try {
    outcome = await trainer.run((e) => {
      progress.onEvent(e);
      if (e.type === 'step' && performance.now() - lastCheckpoint >= everyMs) checkpoint();
      if (e.type === 'epoch') {
        run.writeMetrics(trainer.history);
        checkpoint();
        saveModel();
      }
    });
  } catch (e) {
    progress.close();
    if (e instanceof DivergenceError) {
      // the trainer rolled back: params() and state() are the last good step's
      checkpoint();
      saveModel();
      note(`vaekit: saved the last good model (step ${e.step - 1}) and a checkpoint in ${run.dir}`);
    }
    throw e;
  } finally {
    progress.close();
    process.off('SIGINT', onSigint);
  }
  checkpoint();
  saveModel();
  if (outcome === 'stopped') {
    const step = trainer.state().train.step;
    throw new CliExit(130, `interrupted at step ${step}; resume with: vaekit train --resume ${run.dir}`);
  }
  return outcome;
}

/**
 * The epoch whose weights the model files hold: the best validation epoch (the first minimum, as the trainer
 * picks it) when keeping the best, else the latest.
 *
 * @example
 * savedRecord(trainer.history, true).record?.epoch;
 */
export function savedRecord(history: readonly EpochRecord[], keepBest: boolean): { record?: EpochRecord; selected: 'best' | 'last' } {
  const last = history[history.length - 1];
  if (!keepBest) return { record: last, selected: 'last' };
  let best: EpochRecord | undefined;
  for (const r of history) if (r.val && (!best || r.val.negElbo < best.val!.negElbo)) best = r;
  return best ? { record: best, selected: 'best' } : { record: last, selected: 'last' };
}
