/**
 * Training progress on stderr: on a terminal a bar per epoch with ETA and live loss/recon/KL; otherwise
 * plain lines — one every ~10% of an epoch at most, and one per finished epoch.
 */
import { type ElboMetrics } from '../eval/elboMeans.js';
import { type TrainEvent } from '../train/trainer.js';
import { fmt, note } from './output.js';
import { startBar, stderrIsTty, type Bar } from './progressBar.js';

/** Consumes trainer events; `close` ends an open bar (before other output). */
export interface TrainProgress {
  onEvent(e: TrainEvent): void;
  close(): void;
}

/**
 * A progress reporter for `epochs` epochs: a bar when stderr is a terminal, else plain lines.
 *
 * @example
 * const progress = trainProgress();
 * await trainer.run((e) => progress.onEvent(e));
 */
export function trainProgress(): TrainProgress {
  let epochs = 0;
  let bar: Bar | undefined;
  let decile = 0;
  const tty = stderrIsTty();
  const live = (m: Record<string, number>) => ({ loss: fmt(m.loss), recon: fmt(m.recon), kl: fmt(m.kl) });
  const close = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    close,
    onEvent(e) {
      switch (e.type) {
        case 'start':
          epochs = e.epochs;
          break;
        case 'step':
          if (tty) {
            bar ??= startBar(e.stepsPerEpoch, e.batch - 1, `epoch ${e.epoch}/${epochs} {bar} {value}/{total} | ETA {eta_formatted} | loss {loss} recon {recon} kl {kl}`, live(e.metrics));
            bar.update(e.batch, live(e.metrics));
          } else {
            const d = Math.floor((10 * e.batch) / e.stepsPerEpoch);
            if (e.batch === 1 || d < decile) decile = 0; // a new epoch
            if (d > decile && e.batch < e.stepsPerEpoch) {
              decile = d;
              const m = live(e.metrics);
              note(`epoch ${e.epoch}/${epochs} step ${e.batch}/${e.stepsPerEpoch} (step ${e.step}): loss ${m.loss} recon ${m.recon} kl ${m.kl}`);
            }
          }
          break;
        case 'epoch': {
          close();
          const parts = [`train ${elbo(e.train)}${Math.abs(e.train.loss - e.train.negElbo) > 1e-9 ? ` loss ${fmt(e.train.loss)}` : ''}`];
          if (e.val) parts.push(`val ${elbo(e.val)}`);
          if (e.test) parts.push(`test ${elbo(e.test)}`);
          note(`epoch ${e.epoch}/${epochs} done in ${fmt(e.seconds, 3)} s (step ${e.step}): ${parts.join(' | ')} nats/example`);
          break;
        }
        case 'best':
          note(`  best validation −ELBO so far: ${fmt(e.valNegElbo)} (epoch ${e.epoch})`);
          break;
        case 'earlyStop':
          note(`early stopping after epoch ${e.epoch}: validation −ELBO has not improved since epoch ${e.bestEpoch}`);
          break;
      }
    },
  };
}

const elbo = (m: ElboMetrics) => `−ELBO ${fmt(m.negElbo)} (recon ${fmt(m.recon)}, KL ${fmt(m.kl)})`;
