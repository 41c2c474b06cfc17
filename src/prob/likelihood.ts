import { VaekitError } from '../errors.js';
import { mul, reshape, scalar, sigmoid, softplus, sub, sum } from '../graph/ops/index.js';
import { type Tensor } from '../graph/tensor.js';
import { type LikelihoodConfig } from '../models/vaeConfig.js';
import { type Scope, zerosInit } from '../nn/scope.js';
import { bernoulliLogProb, gaussianLogProb } from './logDensity.js';
import { numericCount, tabularLikelihood } from './tabularLikelihood.js';

/** The decoder's output turned into a distribution over flattened x [N, D]. */
export interface Likelihood {
  /**
   * log p(x|z) summed over the last axis: [..., D] → [...]. With `mask` (1 observed, 0 missing, same shape
   * as x) missing values contribute nothing.
   */
  logProb(x: Tensor, mask?: Tensor): Tensor;
  /** E[x|z]: [..., D]. */
  mean: Tensor;
  /** The distribution's parameters by name, as exported: Bernoulli `logits` [..., D]; Gaussian `logvar` ([] fixed, [1] or [D] learned); tabular `out` (means and logits side by side). */
  params: Record<string, Tensor>;
}

/** How many decoder outputs a likelihood reads for `dim` data values (its 'out' size). */
export function likelihoodWidth(_cfg: LikelihoodConfig, dim: number): number {
  return dim;
}

/**
 * Builds p(x|z) from decoder output `out` [..., D] (Bernoulli logits or Gaussian means). A learned
 * log σ² is the parameter `<s>.logvar`, [1] or [D], starting at 0.
 *
 * @example
 * likelihood({ type: 'bernoulli' }, logits, s.sub('lik')).logProb(x) // [B]
 */
export function likelihood(cfg: LikelihoodConfig, out: Tensor, s: Scope): Likelihood {
  const D = out.shape[out.rank - 1];
  switch (cfg.type) {
    case 'bernoulli':
      return {
        // masked: Σ m·(x·l − softplus(l)); unmasked keeps the fast Σ softplus op
        logProb: (x, m) => (m ? sum(mul(sub(mul(x, out), softplus(out)), m), -1) : bernoulliLogProb(x, out)),
        mean: sigmoid(out),
        params: { logits: out },
      };
    case 'gaussian': {
      const logvar =
        typeof cfg.sigma === 'number' ? 2 * Math.log(cfg.sigma) : reshape(s.param('logvar', cfg.sigma === 'learned' ? [1] : [D], zerosInit), [cfg.sigma === 'learned' ? 1 : D]);
      return {
        logProb: (x, m) => gaussianLogProb(x, out, logvar, m),
        mean: out,
        params: { logvar: typeof logvar === 'number' ? scalar(out.graph, logvar) : logvar },
      };
    }
    case 'tabular': {
      // one learned log σ² per numeric column, [numeric columns], starting at 0 (σ = 1: the standardized scale)
      const n = numericCount(cfg.segments);
      const lik = tabularLikelihood(cfg.segments, out, n > 0 ? s.param('logvar', [n], zerosInit) : undefined);
      return { ...lik, params: { out } };
    }
    default:
      throw new VaekitError(`unknown likelihood ${JSON.stringify(cfg)}`, 'E_CONFIG');
  }
}
