import { add, exp, mul, neg, softplusSum, sub, sum } from '../graph/ops/index.js';
import { type Tensor } from '../graph/tensor.js';

const LOG_2PI = Math.log(2 * Math.PI);

// All densities sum over the last axis: [..., D] → [...], so they serve batches [B,D] and
// importance samples [B,K,D] alike.

/**
 * log Bernoulli(x | σ(logits)) = Σ x·l − Σ softplus(l), from logits (never log σ on probabilities).
 * Valid for x in [0,1] (grey pixels give the "continuous Bernoulli-less" BCE used by pytorch/examples).
 *
 * @example
 * bernoulliLogProb(x, logits) // [B,784] → [B]
 */
export function bernoulliLogProb(x: Tensor, logits: Tensor): Tensor {
  return sub(sum(mul(x, logits), -1), softplusSum(logits));
}

/**
 * log N(x | μ, σ²) with log σ² given (a tensor broadcastable to x, or a number for a fixed variance); with
 * `mask` (1 observed, 0 missing) only observed values count.
 *
 * @example
 * gaussianLogProb(x, mean, logvar) // [B,784] → [B]
 */
export function gaussianLogProb(x: Tensor, mean: Tensor, logvar: Tensor | number, mask?: Tensor): Tensor {
  const d = sub(x, mean);
  const prec = typeof logvar === 'number' ? Math.exp(-logvar) : exp(neg(logvar));
  // −½ [(x−μ)²/σ² + log σ² + log 2π]
  const quad = mul(mul(d, d), prec);
  const inner = typeof logvar === 'number' ? add(quad, logvar + LOG_2PI) : add(add(quad, logvar), LOG_2PI);
  return mul(sum(mask ? mul(inner, mask) : inner, -1), -0.5);
}

/**
 * log N(z | 0, I).
 *
 * @example
 * standardNormalLogProb(z) // [B,K,L] → [B,K]
 */
export function standardNormalLogProb(z: Tensor): Tensor {
  return mul(sum(add(mul(z, z), LOG_2PI), -1), -0.5);
}

/**
 * KL(N(μ, diag e^{logvar}) ‖ N(0, I)) = −½ Σ (1 + logvar − μ² − e^{logvar}), closed form.
 *
 * @example
 * klStandardNormal(mu, logvar) // [B,20] → [B]
 */
export function klStandardNormal(mu: Tensor, logvar: Tensor): Tensor {
  return mul(sum(sub(sub(add(logvar, 1), mul(mu, mu)), exp(logvar)), -1), -0.5);
}
