import { VaekitError } from '../errors.js';
import { fmtShape } from '../graph/dtype.js';
import { mul, reshape } from '../graph/ops/index.js';
import { type Tensor } from '../graph/tensor.js';
import { bindScope, initParams, shapesOf, type ParamSpec } from '../nn/scope.js';
import { klStandardNormal } from '../prob/logDensity.js';
import { type Prng } from '../random/prng.js';
import { type LossFn } from '../optim/trainStep.js';
import { reparameterize, vaeObjective } from './objective.js';
import { paramSpecs, vaeFromConfig, type VaeDef } from './vaeDef.js';
import { type VaeConfig } from './vaeConfig.js';

/** Symbolic parameters (and buffers) by name. */
export type ParamTensors = Record<string, Tensor>;

/**
 * A model ready to trace: its config (objective, likelihood, saved in config.json), its definition (the
 * networks) and the tensors the definition declares, found by tracing it once.
 */
export interface Vae {
  readonly config: VaeConfig;
  readonly def: VaeDef;
  readonly specs: Readonly<Record<string, ParamSpec>>;
}

/**
 * Binds a config to its networks: the config's layer lists, or `def` for a model written in TypeScript.
 *
 * @example
 * const vae = makeVae(parseVaeConfig({ arch: 'conv', latentDim: 16 }));
 */
export function makeVae(config: VaeConfig, def: VaeDef = vaeFromConfig(config)): Vae {
  if (fmtShape(def.dataShape) !== fmtShape(config.dataShape) || def.latentDim !== config.latentDim || def.classes !== config.classes) {
    throw new VaekitError(
      `model definition (data ${fmtShape(def.dataShape)}, latent ${def.latentDim}, classes ${def.classes}) does not match its config (data ${fmtShape(config.dataShape)}, latent ${config.latentDim}, classes ${config.classes})`,
      'E_CONFIG',
    );
  }
  return { config, def, specs: paramSpecs(def) };
}

/** A model from its config (the layer lists), or the model itself. */
export const asVae = (m: VaeConfig | Vae): Vae => ('def' in m ? m : makeVae(m));

/** Names and shapes of every tensor the model keeps: parameters and buffers. */
export function vaeParamShapes(m: VaeConfig | Vae): Record<string, number[]> {
  return shapesOf(asVae(m).specs);
}

/**
 * Fresh values: each layer's own initializer (PyTorch's defaults), drawn in declaration order.
 *
 * @example
 * const params = initVaeParams(vae, new Prng(1));
 */
export function initVaeParams(m: VaeConfig | Vae, rng: Prng): Record<string, Float32Array> {
  return initParams(asVae(m).specs, rng);
}

/** Per-example terms of the single-sample ELBO, in nats. */
export interface ElboTerms {
  /** −log p(x|z), [B] */
  recon: Tensor;
  /** KL(q(z|x) ‖ N(0,I)), [B] */
  kl: Tensor;
}

/**
 * Single-sample ELBO terms of an evaluation graph (batch norm on running statistics) for x [B, ...dataShape]
 * with noise ε [B, L].
 *
 * @example
 * const { recon, kl } = elboTerms(vae, p, x, eps); // −ELBO = recon + kl
 */
export function elboTerms(vae: Vae, p: ParamTensors, x: Tensor, eps: Tensor, cond?: Tensor, mask?: Tensor): ElboTerms {
  const { scope } = bindScope(p, false);
  const { mu, logvar } = vae.def.encode(scope, x, cond);
  const z = reparameterize(mu, logvar, eps);
  const B = x.shape[0];
  const lik = vae.def.decode(scope, z, cond);
  return { recon: mul(lik.logProb(reshape(x, [B, x.size / B]), mask), -1), kl: klStandardNormal(mu, logvar) };
}

/**
 * The training loss of a model as a {@link LossFn} for buildTrainStep / StepRunner: reads data inputs `x`,
 * `eps` and, when present, `cond`, `mask`, `beta` and `capacity` (β defaults to the config's constant),
 * and returns batch-norm buffer updates.
 *
 * @example
 * const runner = await StepRunner.create(engine, { params: vaeParamShapes(cfg), data, loss: vaeLoss(cfg), optimizer: adam() }, init);
 */
export function vaeLoss(m: VaeConfig | Vae): LossFn {
  const vae = asVae(m);
  return (p, d) => {
    const { scope, updates } = bindScope(p, true);
    const r = vaeObjective(vae.config, vae.def, scope, { x: d.x, eps: d.eps, cond: d.cond, mask: d.mask, beta: d.beta ?? vae.config.beta, capacity: d.capacity });
    return { ...r, updates };
  };
}
