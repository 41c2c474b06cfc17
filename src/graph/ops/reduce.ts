import { type Tensor } from '../tensor.js';
import { stopGradient, sub, exp, log, add, mul } from './elementwise.js';
import { emit, needFloat, normAxes, shapeError } from './core.js';
import { reshape } from './shape.js';

function reduced(x: Tensor, axes: number[], keepdims: boolean): number[] {
  return keepdims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
}

function reduce(op: string, x: Tensor, axes: number | readonly number[] | undefined, keepdims: boolean): Tensor {
  needFloat(op, x);
  const ax = normAxes(op, axes, x);
  if (ax.length === 0) return x;
  const attrs = { axes: { kind: 'ints' as const, v: ax }, keepdims: { kind: 'int' as const, v: keepdims ? 1 : 0 } };
  return emit(op, [x], attrs, reduced(x, ax, keepdims), 'float32');
}

/**
 * Sum over axes (all axes when omitted).
 *
 * @example
 * sum(logpx, 1) // [B,784] → [B]: log p(x|z) per example
 */
export const sum = (x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor => reduce('ReduceSum', x, axes, keepdims);

/**
 * Max over axes (all axes when omitted). Ties share the gradient equally.
 *
 * @example
 * max(logits, 1, true) // [B,K] → [B,1]
 */
export const max = (x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor => reduce('ReduceMax', x, axes, keepdims);

/**
 * Σ x² over axes in one pass (ONNX ReduceSumSquare).
 *
 * @example
 * sqrt(sumSquares(g)) // ‖g‖₂
 */
export const sumSquares = (x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor => reduce('ReduceSumSquare', x, axes, keepdims);

/**
 * Σ softplus(x) over the last axis: the log-partition term of Bernoulli logits. One node whose ONNX form
 * takes one Log per group of values instead of one per value (see graph/lowerings.ts).
 *
 * @example
 * softplusSum(logits) // [B,784] → [B]
 */
export function softplusSum(x: Tensor, keepdims = false): Tensor {
  return reduce('SoftplusSum', x, -1, keepdims);
}

/**
 * Mean over axes, as a sum times 1/n (so one VJP rule serves both).
 *
 * @example
 * mean(sum(nll, 1)) // nats per example
 */
export function mean(x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor {
  const ax = normAxes('mean', axes, x);
  const n = ax.reduce((p, a) => p * x.shape[a], 1);
  return mul(sum(x, ax, keepdims), 1 / n);
}

/**
 * Variance over axes: the mean of (x − mean)², divided by n − 1 instead of n when `unbiased` (Bessel's
 * correction, as PyTorch's batch norm uses for its running variance). Batch norm normalizes with the biased one.
 *
 * @example
 * variance(h, [0, 2, 3], true) // [B,C,H,W] → [1,C,1,1]: batch-norm statistics
 */
export function variance(x: Tensor, axes?: number | readonly number[], keepdims = false, unbiased = false): Tensor {
  const ax = normAxes('variance', axes, x);
  const n = ax.reduce((p, a) => p * x.shape[a], 1);
  if (unbiased && n < 2) shapeError('variance', `the unbiased variance needs at least 2 values per group, got ${n}`, x);
  const d = sub(x, mean(x, ax, true));
  return mul(sum(mul(d, d), ax, keepdims), 1 / (unbiased ? n - 1 : n));
}

/**
 * log Σ exp(x) over axes, stabilized by the (gradient-free) max.
 *
 * @example
 * logsumexp(logw, 1) // [B,K] → [B]: importance-weighted bound before − log K
 */
export function logsumexp(x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor {
  const ax = normAxes('logsumexp', axes, x);
  const m = stopGradient(max(x, ax, true));
  const s = add(log(sum(exp(sub(x, m)), ax, true)), m);
  return keepdims ? s : reshape(s, reduced(x, ax, false));
}
