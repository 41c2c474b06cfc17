import { cast, div, equal, mul, sigmoid } from '../../graph/ops/elementwise.js';
import { sum } from '../../graph/ops/reduce.js';
import { expand, reshape } from '../../graph/ops/shape.js';
import { type Tensor } from '../../graph/tensor.js';
import { intsAttr, type VjpRule } from '../rule.js';

// Reshapes a reduced tensor to keepdims form ([B] → [B,1]) so it broadcasts against the input.
function keep(t: Tensor, x: Tensor, axes: number[]): Tensor {
  return reshape(t, x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
}

/** VJPs of reductions: sum spreads the cotangent (times σ(x) for Σ softplus); max sends it to the arg-max (shared equally on ties). */
export const reduceRules: Record<string, VjpRule> = {
  ReduceSum: ({ inputs: [x], attrs }, gy) => [expand(keep(gy, x, intsAttr(attrs, 'axes')), x.shape)],
  SoftplusSum: ({ inputs: [x], attrs }, gy) => [mul(sigmoid(x), keep(gy, x, intsAttr(attrs, 'axes')))],
  ReduceSumSquare: ({ inputs: [x], attrs }, gy) => [mul(mul(x, 2), expand(keep(gy, x, intsAttr(attrs, 'axes')), x.shape))],
  ReduceMax: ({ inputs: [x], y, attrs }, gy) => {
    const axes = intsAttr(attrs, 'axes');
    const mask = cast(equal(x, keep(y, x, axes)));
    const share = div(keep(gy, x, axes), sum(mask, axes, true));
    return [mul(mask, share)];
  },
};

