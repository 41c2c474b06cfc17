/**
 * Runs a Trainer for the CLI: progress, run-directory files after every epoch (and every N minutes within
 * one), Ctrl-C, SIGTERM and SIGHUP (stop after the current step, save, exit 128 + signal number) and divergence (save the last good state).
 */
import { VaekitError } from '../errors.js';
import { onStopSignals, signalExitCode } from '../node/stopSignals.js';
import { type Params } from '../optim/trainState.js';
import { DivergenceError, type EpochRecord, type Trainer, type TrainOutcome } from '../train/trainer.js';
import { CliExit } from './options.js';
import { note } from './output.js';
import { type RunDir } from './runDir.js';
import { timing } from './timing.js';
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
  const everyMs = opts.checkpointMinutes === undefined ? Infinity : opts.checkpointMinutes * 60_000;
  let lastCheckpoint = performance.now();
  const checkpoint = () => {
    run.saveCheckpoint(trainer.state());
    run.writeMetrics(trainer.history); // metrics.jsonl always lists exactly the checkpoint's finished epochs
    lastCheckpoint = performance.now();
  };
  const saveModel = (params: Params = trainer.params()) => {
    const { record, selected } = savedRecord(trainer.history, opts.keepBest);
    run.saveModel(selected === 'best' && trainer.bestParams ? trainer.bestParams : params, record, selected);
  };

  // Ctrl-C, SIGTERM or SIGHUP: stop after the current call and save; a second signal quits at once,
  // keeping the last saved checkpoint
  const signals = onStopSignals((sig) => {
    progress.close();
    note(`vaekit: ${sig}: stopping after the current step and saving a checkpoint (send it again to quit at once)`);
    trainer.stop();
  });
  let outcome: TrainOutcome;
  try {
    let first = true;
    outcome = await trainer.run((e) => {
      if (e.type === 'step' && first) {
        first = false;
        timing('first optimizer step done');
      }
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
      // the trainer rolled back: params() and state() are the last good step's; the savers refuse
      // non-finite values, so a state that was never good leaves the files as they were
      try {
        checkpoint();
        saveModel();
        note(`vaekit: saved the last good model (step ${e.step - 1}) and a checkpoint in ${run.dir}`);
      } catch (saveError) {
        if (!(saveError instanceof VaekitError)) throw saveError;
        note(`vaekit: ${saveError.message}`);
      }
    }
    throw e;
  } finally {
    progress.close();
    signals.dispose();
  }
  checkpoint();
  saveModel();
  if (outcome === 'stopped') {
    const step = trainer.state().train.step;
    const sig = signals.received() ?? 'SIGINT';
    throw new CliExit(signalExitCode(sig), `interrupted (${sig}) at step ${step}; resume with: vaekit train --resume ${run.dir}`);
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
