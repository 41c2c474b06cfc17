import { add, div, mean, mul, reshape, sqrt, sub } from '../../graph/ops/index.js';
import { type Tensor } from '../../graph/tensor.js';
import { onesInit, type Scope, zerosInit } from '../scope.js';
import { LayerError } from './layerError.js';

/**
 * Batch normalization over the batch (and spatial) axes, per channel, as PyTorch's BatchNorm1d/2d:
 * x [B, C] or [B, C, H, W]. In training graphs it normalizes with the batch's mean and biased variance and
 * updates the running statistics (buffers `running_mean`, `running_var`) with momentum m:
 * r ← (1−m)·r + m·stat, using the unbiased variance (n/(n−1)) for `running_var`; evaluation graphs use the
 * running statistics. Learned scale `weight` (ones) and shift `bias` (zeros).
 *
 * @example
 * batchNorm(s.sub('enc.1'), h) // [B,32,14,14] → same
 */
export function batchNorm(s: Scope, x: Tensor, opts: { momentum?: number; eps?: number } = {}): Tensor {
  if (x.rank !== 2 && x.rank !== 4) throw new LayerError(`batchNorm needs [B, C] or [B, C, H, W], got [${x.shape}]`);
  const m = opts.momentum ?? 0.1;
  const eps = opts.eps ?? 1e-5;
  const c = x.shape[1];
  const axes = x.rank === 4 ? [0, 2, 3] : [0];
  const bshape = x.rank === 4 ? [1, c, 1, 1] : [1, c]; // per-channel values broadcast over the rest
  const gamma = reshape(s.param('weight', [c], onesInit), bshape);
  const beta = reshape(s.param('bias', [c], zerosInit), bshape);
  const runMean = s.buffer('running_mean', [c], zerosInit);
  const runVar = s.buffer('running_var', [c], onesInit);
  let mu: Tensor;
  let v: Tensor;
  if (s.training) {
    const n = x.size / c;
    if (n < 2) throw new LayerError(`batchNorm needs more than one value per channel in training, got [${x.shape}]`);
    mu = mean(x, axes, true);
    const d = sub(x, mu);
    v = mean(mul(d, d), axes, true);
    s.updateBuffer('running_mean', add(mul(runMean, 1 - m), mul(reshape(mu, [c]), m)));
    s.updateBuffer('running_var', add(mul(runVar, 1 - m), mul(reshape(v, [c]), (m * n) / (n - 1))));
  } else {
    mu = reshape(runMean, bshape);
    v = reshape(runVar, bshape);
  }
  return add(mul(div(sub(x, mu), sqrt(add(v, eps))), gamma), beta);
}

/**
 * Layer normalization over every axis but the batch (PyTorch's LayerNorm(x.shape[1:])), with a learned
 * per-element scale `weight` (ones) and shift `bias` (zeros).
 *
 * @example
 * layerNorm(s.sub('enc.2'), h) // [B,400] → same
 */
export function layerNorm(s: Scope, x: Tensor, opts: { eps?: number } = {}): Tensor {
  if (x.rank < 2) throw new LayerError(`layerNorm needs [B, ...], got [${x.shape}]`);
  const eps = opts.eps ?? 1e-5;
  const axes = x.shape.slice(1).map((_, i) => i + 1);
  const per = x.shape.slice(1);
  const mu = mean(x, axes, true);
  const d = sub(x, mu);
  const v = mean(mul(d, d), axes, true);
  const w = reshape(s.param('weight', per, onesInit), [1, ...per]);
  const b = reshape(s.param('bias', per, zerosInit), [1, ...per]);
  return add(mul(div(d, sqrt(add(v, eps))), w), b);
}
