import { VaekitError } from '../errors.js';
import { abs, add, exp, expand, logsumexp, mean, mul, reshape, relu, sub, sum } from '../graph/ops/index.js';
import { type Tensor } from '../graph/tensor.js';
import { type Scope } from '../nn/scope.js';
import { klStandardNormal } from '../prob/logDensity.js';
import { type VaeDef } from './vaeDef.js';
import { type VaeConfig } from './vaeConfig.js';

/** The batch a loss reads. Shapes: x [B, ...dataShape], eps [B, L] (K = 1) or [B, K, L]. */
export interface LossInputs {
  x: Tensor;
  eps: Tensor;
  /** One-hot labels [B, classes] of a conditional model. */
  cond?: Tensor;
  /** 1 observed, 0 missing: [B, D]. */
  mask?: Tensor;
  /** Per-step scalars from the KL schedule: β (weight of KL) and, for capacity control, C in nats. */
  beta: Tensor | number;
  capacity?: Tensor;
}

/** Noise the objective reads per batch of B: ε [B, L], or [B, K, L] for K > 1 samples per example. */
export function noiseShape(cfg: Pick<VaeConfig, 'objective' | 'latentDim'>, B: number): number[] {
  return cfg.objective.k === 1 ? [B, cfg.latentDim] : [B, cfg.objective.k, cfg.latentDim];
}

/** Names of the per-step scalars the config's loss reads. */
export function stepScalarNames(cfg: Pick<VaeConfig, 'kl'>): string[] {
  return cfg.kl.type === 'capacity' ? ['beta', 'capacity'] : ['beta'];
}

/** z = μ + σ·ε with σ = e^{logvar/2}: the reparameterization that lets gradients flow through sampling. */
export function reparameterize(mu: Tensor, logvar: Tensor, eps: Tensor): Tensor {
  return add(mu, mul(exp(mul(logvar, 0.5)), eps));
}

/** KL(N(μ, e^{logvar}) ‖ N(0, 1)) per latent dimension: −½(1 + logvar − μ² − e^{logvar}), [B, L]. */
export function klPerDim(mu: Tensor, logvar: Tensor): Tensor {
  return mul(sub(sub(add(logvar, 1), mul(mu, mu)), exp(logvar)), -0.5);
}

// [B, ...] → [B·K, ...]: each example repeated K times in a row, matching eps [B, K, L] → [B·K, L]
function repeatRows(t: Tensor, k: number): Tensor {
  if (k === 1) return t;
  const [b, ...rest] = t.shape;
  return reshape(expand(reshape(t, [b, 1, ...rest]), [b, k, ...rest]), [b * k, ...rest]);
}

/**
 * The training loss of a VAE config on one batch, as mean nats per example, with metrics:
 * - `recon` = E −log p(x|z) and `kl` = KL(q‖p) (analytic), `negElbo` = recon + kl (the β = 1 bound);
 * - objective 'elbo' with K samples: recon averaged over the K draws; loss = recon + β·KL term;
 * - objective 'iwae': loss = −mean log (1/K) Σ_k w_k with log w = log p(x|z_k) + β(log p(z_k) − log q(z_k|x)),
 *   metric `negIwae` (the K-sample bound at β = 1);
 * - the KL term is Σ_j max(λ, mean_B KL_j) with free bits λ, or γ·|KL − C| under capacity control.
 *
 * @example
 * const { loss, metrics } = vaeObjective(cfg, def, scope, { x, eps, beta: 1 });
 */
export function vaeObjective(cfg: VaeConfig, def: VaeDef, s: Scope, inp: LossInputs): { loss: Tensor; metrics: Record<string, Tensor> } {
  const K = cfg.objective.k;
  const B = inp.x.shape[0];
  const L = def.latentDim;
  const { mu, logvar } = def.encode(s, inp.x, inp.cond);
  const eps = reshape(inp.eps, [B * K, L]);
  const z = reparameterize(repeatRows(mu, K), repeatRows(logvar, K), eps);
  const xFlat = reshape(inp.x, [B, inp.x.size / B]);
  const lik = def.decode(s, z, inp.cond && repeatRows(inp.cond, K));
  const logPx = lik.logProb(repeatRows(xFlat, K), inp.mask && repeatRows(inp.mask, K)); // [B·K]
  const recon = mul(mean(logPx), -1);
  const kl = mean(klStandardNormal(mu, logvar));
  const negElbo = add(recon, kl);
  const metrics: Record<string, Tensor> = { recon, kl, negElbo };
  if (cfg.objective.type === 'iwae') {
    if (cfg.kl.type === 'capacity' || cfg.freeBits > 0) throw new VaekitError('objective iwae: capacity control and free bits apply to the ELBO only', 'E_CONFIG');
    // log p(z) − log q(z|x) = −½ Σ (z² − ε² − logvar): the log-normalizers cancel, and z − μ = σε
    const zz = reshape(z, [B, K, L]);
    const e3 = reshape(inp.eps, [B, K, L]);
    const logRatio = mul(sum(sub(sub(mul(zz, zz), mul(e3, e3)), reshape(logvar, [B, 1, L])), -1), -0.5); // [B, K]
    const lp = reshape(logPx, [B, K]);
    const bound = (w: Tensor) => mul(mean(sub(logsumexp(w, -1), Math.log(K))), -1);
    metrics.negIwae = bound(add(lp, logRatio));
    const loss = typeof inp.beta === 'number' && inp.beta === 1 ? metrics.negIwae : bound(add(lp, mul(logRatio, inp.beta)));
    return { loss, metrics };
  }
  let klTerm = kl;
  // Σ_j max(λ, KL_j) over the batch-mean KL of each latent dimension
  if (cfg.freeBits > 0) klTerm = sum(add(relu(sub(mean(klPerDim(mu, logvar), 0), cfg.freeBits)), cfg.freeBits));
  if (cfg.kl.type === 'capacity') {
    if (!inp.capacity) throw new VaekitError('capacity control needs the per-step scalar "capacity"', 'E_CONFIG');
    return { loss: add(recon, mul(abs(sub(klTerm, inp.capacity)), cfg.kl.gamma)), metrics };
  }
  const loss = typeof inp.beta === 'number' && inp.beta === 1 && cfg.freeBits === 0 ? negElbo : add(recon, mul(klTerm, inp.beta));
  return { loss, metrics };
}
