import { add, mul, sub } from '../graph/ops/index.js';
import { type Tensor } from '../graph/tensor.js';
import { type Optimizer } from './optimizer.js';

/** SGD hyperparameters (PyTorch semantics: buf ← μ·buf + g, p ← p − lr·buf). */
export interface SgdOptions {
  lr?: number;
  momentum?: number;
}

/**
 * Stochastic gradient descent, with optional (PyTorch-style) momentum.
 *
 * @example
 * const opt = sgd({ lr: 0.1, momentum: 0.9 });
 */
export function sgd(opts: SgdOptions = {}): Optimizer {
  const { lr = 1e-2, momentum = 0 } = opts;
  return {
    name: 'sgd',
    lr,
    slots: momentum ? ['buf'] : [],
    begin: (s) => (p, g, state) => {
      if (!momentum) return { param: sub(p, mul(s.lr, g)), state: {} as Record<string, Tensor> };
      // PyTorch starts the buffer at g on step 1; with buf = 0 initially, μ·0 + g gives the same.
      const buf = add(mul(state.buf, momentum), g);
      return { param: sub(p, mul(s.lr, buf)), state: { buf } };
    },
    toJSON: () => ({ name: 'sgd', lr, momentum }),
  };
}
