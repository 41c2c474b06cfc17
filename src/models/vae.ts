import { add, exp, mean, mul, slice } from '../graph/ops/index.js';
import { type Tensor } from '../graph/tensor.js';
import { activation } from '../nn/activation.js';
import { initMlp, mlp, mlpShapes } from '../nn/mlp.js';
import { likelihood, likelihoodParamShapes, type Likelihood } from '../prob/likelihood.js';
import { klStandardNormal } from '../prob/logDensity.js';
import { type Prng } from '../random/prng.js';
import { dataDim, type VaeConfig } from './vaeConfig.js';

/** Symbolic parameters by name. */
export type ParamTensors = Record<string, Tensor>;

// Encoder dims: D → hidden… → 2L (μ and log σ² from one head). Decoder: L → reversed hidden… → D.
const encDims = (c: VaeConfig) => [dataDim(c), ...c.hidden, 2 * c.latentDim];
const decDims = (c: VaeConfig) => [c.latentDim, ...[...c.hidden].reverse(), dataDim(c)];

/** Parameter names and shapes of a VAE. */
export function vaeParamShapes(cfg: VaeConfig): Record<string, number[]> {
  return { ...mlpShapes('enc', encDims(cfg)), ...mlpShapes('dec', decDims(cfg)), ...likelihoodParamShapes(cfg.likelihood, dataDim(cfg)) };
}

/**
 * Fresh parameters: PyTorch nn.Linear initialization; a learned log σ² starts at 0.
 *
 * @example
 * const params = initVaeParams(cfg, new Prng(1));
 */
export function initVaeParams(cfg: VaeConfig, rng: Prng): Record<string, Float32Array> {
  const out = { ...initMlp(rng, 'enc', encDims(cfg)), ...initMlp(rng, 'dec', decDims(cfg)) };
  for (const [k, s] of Object.entries(likelihoodParamShapes(cfg.likelihood, dataDim(cfg)))) out[k] = new Float32Array(s[0]);
  return out;
}

/**
 * q(z|x) = N(μ, diag e^{logvar}): x [..., D] → μ, logvar [..., L].
 *
 * @example
 * const { mu, logvar } = encode(cfg, p, x);
 */
export function encode(cfg: VaeConfig, p: ParamTensors, x: Tensor): { mu: Tensor; logvar: Tensor } {
  const h = mlp(p, 'enc', encDims(cfg), x, activation(cfg.activation));
  const L = cfg.latentDim;
  const last = h.rank - 1;
  return { mu: slice(h, [0], [L], [last]), logvar: slice(h, [L], [2 * L], [last]) };
}

/**
 * p(x|z): z [..., L] → a likelihood over x [..., D].
 *
 * @example
 * decode(cfg, p, z).mean // images
 */
export function decode(cfg: VaeConfig, p: ParamTensors, z: Tensor): Likelihood {
  const out = mlp(p, 'dec', decDims(cfg), z, activation(cfg.activation));
  return likelihood(cfg.likelihood, out, p);
}

/** z = μ + σ·ε with σ = e^{logvar/2}: the reparameterization that lets gradients flow through sampling. */
export function reparameterize(mu: Tensor, logvar: Tensor, eps: Tensor): Tensor {
  return add(mu, mul(exp(mul(logvar, 0.5)), eps));
}

/** Per-example terms of the single-sample ELBO, in nats. */
export interface ElboTerms {
  /** −log p(x|z), [B] */
  recon: Tensor;
  /** KL(q(z|x) ‖ N(0,I)), [B] */
  kl: Tensor;
}

/**
 * Single-sample ELBO terms for a batch x [B,D] with noise ε [B,L].
 *
 * @example
 * const { recon, kl } = elboTerms(cfg, p, x, eps); // −ELBO = recon + kl
 */
export function elboTerms(cfg: VaeConfig, p: ParamTensors, x: Tensor, eps: Tensor): ElboTerms {
  const { mu, logvar } = encode(cfg, p, x);
  const z = reparameterize(mu, logvar, eps);
  const recon = mul(decode(cfg, p, z).logProb(x), -1);
  return { recon, kl: klStandardNormal(mu, logvar) };
}

/**
 * The training objective: loss = mean over the batch of recon + β·KL (nats per example), with metrics
 * recon, kl and negElbo (= recon + kl, the β = 1 bound).
 *
 * @example
 * buildTrainStep({ ..., loss: (p, d) => vaeLoss(cfg, p, d.x, d.eps) })
 */
export function vaeLoss(cfg: VaeConfig, p: ParamTensors, x: Tensor, eps: Tensor): { loss: Tensor; metrics: Record<string, Tensor> } {
  const { recon, kl } = elboTerms(cfg, p, x, eps);
  const r = mean(recon);
  const k = mean(kl);
  const loss = cfg.beta === 1 ? add(r, k) : add(r, mul(k, cfg.beta));
  return { loss, metrics: { recon: r, kl: k, negElbo: cfg.beta === 1 ? loss : add(r, k) } };
}
