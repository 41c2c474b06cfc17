import { type VaeConfig } from '../models/vaeConfig.js';

/** The per-step scalars a loss reads: β, and for capacity control the target KL C in nats. */
export interface KlScalars {
  beta: number;
  capacity?: number;
}

/**
 * The KL weight (and capacity) at optimizer step `step` (1-based, Adam's t), from the config's schedule.
 * A pure function of the step count, which checkpoints save, so a resumed run continues the schedule exactly.
 * - constant: β
 * - warmup: β·min(1, t/N)
 * - cyclical (Fu et al. 2019, eq. 6): τ = ((t−1) mod ⌈T/M⌉)/(T/M); β·τ/R while τ < R, then β (each cycle
 *   restarts on a whole step, ⌈T/M⌉ steps apart, also when M does not divide T)
 * - capacity (Burgess et al. 2018): C = C_max·min(1, t/N) (the loss is γ·|KL − C|)
 *
 * @example
 * klScalars(cfg, 1).beta // 1/N of β under a warm-up of N steps
 */
export function klScalars(cfg: Pick<VaeConfig, 'beta' | 'kl'>, step: number): KlScalars {
  const b = cfg.beta;
  const s = cfg.kl;
  switch (s.type) {
    case 'constant':
      return { beta: b };
    case 'warmup':
      return { beta: b * Math.min(1, step / s.steps) };
    case 'cyclical': {
      const period = s.totalSteps / s.cycles;
      const tau = ((step - 1) % Math.ceil(period)) / period;
      return { beta: tau < s.ratio ? (b * tau) / s.ratio : b };
    }
    case 'capacity':
      return { beta: b, capacity: s.cMax * Math.min(1, step / s.steps) };
  }
}
