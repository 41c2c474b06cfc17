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
 * Bias-corrected Adam exactly as torch.optim.Adam computes it:
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
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
    update(p, g0, { m, v }, s) {
      const g = weightDecay ? add(g0, mul(p, weightDecay)) : g0;
      // m + (1−β₁)(g − m) = β₁m + (1−β₁)g with one op fewer over the full parameter
      const m1 = add(m, mul(sub(g, m), 1 - beta1));
      const v1 = add(mul(v, beta2), mul(mul(g, g), 1 - beta2));
      // Scalars, computed once per step inside the graph. Multiplying numerator and denominator by
      // √(1−β₂ᵗ) moves every bias correction onto scalars: p − α·m/(√v + ε·√(1−β₂ᵗ)), α = lr·√(1−β₂ᵗ)/(1−β₁ᵗ).
      const bc2sqrt = sqrt(sub(1, pow(beta2, s.step)));
      const alpha = div(mul(s.lr, bc2sqrt), sub(1, pow(beta1, s.step)));
      const denom = add(sqrt(v1), mul(bc2sqrt, eps));
      return { param: sub(p, mul(div(m1, denom), alpha)), state: { m: m1, v: v1 } };
    },
    toJSON: () => ({ name: 'adam', lr, beta1, beta2, eps, weightDecay }),
  };
}
