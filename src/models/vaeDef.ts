import { VaekitError } from '../errors.js';
import { fmtShape, sizeOf } from '../graph/dtype.js';
import { reshape, slice } from '../graph/ops/index.js';
import { type Tensor } from '../graph/tensor.js';
import { likelihood, likelihoodWidth, type Likelihood } from '../prob/likelihood.js';
import { collectParams, type ParamSpec, type Scope } from '../nn/scope.js';
import { sequential } from '../nn/sequential.js';
import { type VaeConfig } from './vaeConfig.js';

/** q(z|x) = N(μ, diag e^{logvar}): each [N, L]. */
export interface Posterior {
  mu: Tensor;
  logvar: Tensor;
}

/**
 * The model contract every part of vaekit sees — trainer, objectives, evaluation, sampling, model files,
 * export and the web page. Config-built models ({@link vaeFromConfig}) and models a user writes in
 * TypeScript satisfy it alike: declare parameters on the scope where they are used.
 *
 * @example
 * const def: VaeDef = {
 *   dataShape: [1, 28, 28], latentDim: 8, classes: 0,
 *   encode: (s, x) => splitPosterior(dense(s.sub('enc'), reshape(x, [x.shape[0], 784]), 16), 8),
 *   decode: (s, z) => likelihood({ type: 'bernoulli' }, dense(s.sub('dec'), z, 784), s.sub('lik')),
 * };
 */
export interface VaeDef {
  /** One example's shape: [C, H, W] or [D]. */
  readonly dataShape: readonly number[];
  readonly latentDim: number;
  /** Classes of a conditional model (one-hot `cond` [N, classes] is passed to encode and decode); 0 if none. */
  readonly classes: number;
  /** x [N, ...dataShape] → q(z|x). */
  encode(s: Scope, x: Tensor, cond?: Tensor): Posterior;
  /** z [N, L] → p(x|z) over flattened x [N, D]. */
  decode(s: Scope, z: Tensor, cond?: Tensor): Likelihood;
}

/**
 * μ and log σ² from one head h [N, 2L] (first L values μ, next L log σ²).
 *
 * @example
 * const { mu, logvar } = splitPosterior(h, 20);
 */
export function splitPosterior(h: Tensor, L: number): Posterior {
  const flat = reshape(h, [h.shape[0], h.size / h.shape[0]]);
  if (flat.shape[1] !== 2 * L) throw new VaekitError(`encoder: output has ${flat.shape[1]} values per example; it must have 2·latent = ${2 * L} (μ and log σ²)`, 'E_LAYER');
  return { mu: slice(flat, [0], [L], [1]), logvar: slice(flat, [L], [2 * L], [1]) };
}

/**
 * The model a config describes: encoder and decoder layer lists under scopes 'enc' and 'dec', the
 * likelihood's own parameters under 'lik'. 'out' sizes resolve to 2·L (encoder) and the likelihood's
 * width (decoder: units, or channels = width / (H·W) for images).
 *
 * @example
 * const def = vaeFromConfig(parseVaeConfig({ arch: 'conv', latentDim: 16 }));
 */
export function vaeFromConfig(cfg: VaeConfig): VaeDef {
  const { encoder, decoder } = cfg;
  if (!encoder || !decoder) {
    throw new VaekitError(`model "${cfg.custom}" was written in TypeScript: pass its VaeDef (e.g. loadModelDir(dir, { def }))`, 'E_CONFIG');
  }
  const L = cfg.latentDim;
  const D = sizeOf(cfg.dataShape);
  const width = likelihoodWidth(cfg.likelihood, D);
  const pixels = cfg.dataShape.length === 3 ? cfg.dataShape[1] * cfg.dataShape[2] : 1;
  return {
    dataShape: cfg.dataShape,
    latentDim: L,
    classes: cfg.classes,
    encode: (s, x, cond) => splitPosterior(sequential(s.sub('enc'), x, encoder, 'encoder', { out: { units: 2 * L, channels: 2 * L }, cond }), L),
    decode: (s, z, cond) => {
      const out = sequential(s.sub('dec'), z, decoder, 'decoder', { out: { units: width, channels: Math.max(1, Math.floor(width / pixels)) }, cond });
      const per = out.size / out.shape[0];
      if (per !== width) {
        throw new VaekitError(`decoder: output ${fmtShape(out.shape.slice(1))} has ${per} values per example; the ${cfg.likelihood.type} likelihood of data ${fmtShape(cfg.dataShape)} needs ${width}`, 'E_LAYER');
      }
      return likelihood(cfg.likelihood, reshape(out, [out.shape[0], width]), s.sub('lik'));
    },
  };
}

/**
 * Every parameter and buffer a model declares, in declaration order (encoder, decoder, likelihood), found
 * by tracing it once on a batch of 2.
 *
 * @example
 * const specs = paramSpecs(def); // { 'enc.0.weight': { shape: [400, 784], kind: 'param', init }, … }
 */
export function paramSpecs(def: VaeDef): Record<string, ParamSpec> {
  return collectParams((s, g) => {
    const cond = def.classes > 0 ? g.input('cond', [2, def.classes]) : undefined;
    const { mu } = def.encode(s, g.input('x', [2, ...def.dataShape]), cond);
    if (fmtShape(mu.shape) !== fmtShape([2, def.latentDim])) throw new VaekitError(`encode returned μ ${fmtShape(mu.shape)}, expected [N, ${def.latentDim}]`, 'E_LAYER');
    def.decode(s, g.input('z', [2, def.latentDim]), cond);
  });
}
