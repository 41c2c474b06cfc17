import { VaekitError } from '../errors.js';
import { reshape, scalar, sigmoid } from '../graph/ops/index.js';
import { type Tensor } from '../graph/tensor.js';
import { bernoulliLogProb, gaussianLogProb } from './logDensity.js';

/** Observation model p(x|z) as saved in a model config. */
export type LikelihoodConfig =
  | { type: 'bernoulli' }
  /** sigma: a fixed standard deviation, or learned as one global log σ² or one per data dimension. */
  | { type: 'gaussian'; sigma: number | 'learned' | 'learned-per-dim' };

/** The decoder's output turned into a distribution over x. */
export interface Likelihood {
  /** log p(x|z), summed over the last axis: [..., D] → [...]. */
  logProb(x: Tensor): Tensor;
  /** E[x|z]: [..., D]. */
  mean: Tensor;
  /** The distribution's parameters by name, as exported: Bernoulli `logits` [..., D]; Gaussian `logvar` ([] fixed, [1] or [D] learned). */
  params: Record<string, Tensor>;
}

/** Extra trainable parameters a likelihood owns (a learned log σ²), beside the decoder's. */
export function likelihoodParamShapes(cfg: LikelihoodConfig, dim: number): Record<string, number[]> {
  if (cfg.type === 'gaussian' && cfg.sigma === 'learned') return { 'lik.logvar': [1] };
  if (cfg.type === 'gaussian' && cfg.sigma === 'learned-per-dim') return { 'lik.logvar': [dim] };
  return {};
}

/**
 * Builds p(x|z) from decoder output `out` [..., D] (Bernoulli logits or Gaussian means).
 *
 * @example
 * likelihood({ type: 'bernoulli' }, logits, p).logProb(x) // [B]
 */
export function likelihood(cfg: LikelihoodConfig, out: Tensor, p: Record<string, Tensor>): Likelihood {
  switch (cfg.type) {
    case 'bernoulli':
      return { logProb: (x) => bernoulliLogProb(x, out), mean: sigmoid(out), params: { logits: out } };
    case 'gaussian': {
      // learned log σ² broadcasts over the batch: [1] or [D]
      const logvar = typeof cfg.sigma === 'number' ? 2 * Math.log(cfg.sigma) : reshape(p['lik.logvar'], [p['lik.logvar'].size]);
      return { logProb: (x) => gaussianLogProb(x, out, logvar), mean: out, params: { logvar: typeof logvar === 'number' ? scalar(out.graph, logvar) : logvar } };
    }
    default:
      throw new VaekitError(`unknown likelihood ${JSON.stringify(cfg)}`, 'E_CONFIG');
  }
}
