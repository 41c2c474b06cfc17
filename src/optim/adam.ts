import { add, div, mul, pow, sqrt, sub } from '../graph/ops/index.js';
import { type Optimizer } from './optimizer.js';

/** Adam hyperparameters; the defaults are PyTorch's. */
export interface AdamOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** L2 penalty added to the gradient (PyTorch Adam's weight_decay, not AdamW). */
  weightDecay?: number;
}

/**
 * Bias-corrected Adam with torch.optim.Adam's arithmetic:
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
 *
 * The state is kept rescaled to save passes over every parameter (10 instead of 12 per step):
 * slot m holds m/(1−β₁) and slot v holds v/(1−β₂), so m ← β₁m + g and v ← β₂v + g², and the constant
 * factors move onto per-step scalars: p ← p − α · m / (√v + ε′) with
 * α = lr·(1−β₁)·√(1−β₂ᵗ) / ((1−β₁ᵗ)·√(1−β₂)) and ε′ = ε·√(1−β₂ᵗ)/√(1−β₂). Same update, up to rounding.
 *
 * @example
 * const opt = adam({ lr: 1e-3 });
 */
export function adam(opts: AdamOptions = {}): Optimizer {
  const { lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0 } = opts;
  return {
    name: 'adam',
    lr,
    slots: ['m', 'v'],
    begin(s) {
      // per-step scalars, traced once per step graph
      const bc2sqrt = sqrt(sub(1, pow(beta2, s.step)));
      const alpha = div(mul(s.lr, mul(bc2sqrt, (1 - beta1) / Math.sqrt(1 - beta2))), sub(1, pow(beta1, s.step)));
      const epsStep = mul(bc2sqrt, eps / Math.sqrt(1 - beta2));
      return (p, g0, { m, v }) => {
        const g = weightDecay ? add(g0, mul(p, weightDecay)) : g0;
        const m1 = add(mul(m, beta1), g);
        const v1 = add(mul(v, beta2), mul(g, g));
        return { param: sub(p, mul(div(m1, add(sqrt(v1), epsStep)), alpha)), state: { m: m1, v: v1 } };
      };
    },
    toJSON: () => ({ name: 'adam', lr, beta1, beta2, eps, weightDecay }),
  };
}
