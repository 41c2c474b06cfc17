import { concat, gemm } from '../../graph/ops/index.js';
import { type Tensor } from '../../graph/tensor.js';
import { type Scope, uniformInit } from '../scope.js';
import { LayerError } from './layerError.js';

/**
 * Dense layer y = x·Wᵀ + b: x [B, in] → [B, units], W stored [units, in] as in PyTorch's nn.Linear (so
 * weights load either way; Gemm's transB avoids a Transpose node), initialized like nn.Linear:
 * U(±1/√in) for W and b. A conditioning row `cond` [B, K] is concatenated to x first.
 *
 * @example
 * const h = dense(s.sub('enc.0'), x, 400); // [B,784] → [B,400]
 */
export function dense(s: Scope, x: Tensor, units: number, opts: { bias?: boolean; cond?: Tensor } = {}): Tensor {
  if (x.rank !== 2) throw new LayerError(`dense needs input [B, features], got [${x.shape}]; add a flatten layer before it`);
  const h = opts.cond ? concat([x, opts.cond], 1) : x;
  const fanIn = h.shape[1];
  const init = uniformInit(1 / Math.sqrt(fanIn));
  const w = s.param('weight', [units, fanIn], init);
  const b = opts.bias === false ? undefined : s.param('bias', [units], init);
  return gemm(h, w, b, { transB: true });
}
