import { elu, gelu, leakyRelu, relu, reshape, sigmoid, softplus, tanh } from '../../graph/ops/index.js';
import { sizeOf } from '../../graph/dtype.js';
import { type Tensor } from '../../graph/tensor.js';
import { type LayerSpec, type LayerType } from '../layerSpec.js';
import { type Scope } from '../scope.js';
import { conv2dLayer, convTranspose2dLayer } from './conv.js';
import { dense } from './dense.js';
import { LayerError } from './layerError.js';
import { batchNorm, layerNorm } from './norm.js';

/** What a layer may need beyond its spec and input. */
export interface LayerContext {
  /** What 'out' means in this list: units for dense, channels for convolutions (absent: 'out' is an error). */
  out?: { units: number; channels: number };
  /** A conditioning row [B, K] that this (dense) layer concatenates to its input. */
  cond?: Tensor;
}

type Apply<T extends LayerType> = (s: Scope, x: Tensor, spec: Extract<LayerSpec, { type: T }>, ctx: LayerContext) => Tensor;

const size = (v: number | 'out', ctx: LayerContext, what: 'units' | 'channels'): number => {
  if (v !== 'out') return v;
  if (!ctx.out) throw new LayerError(`"out" is only meaningful in a decoder, where it is the size the likelihood needs`);
  return ctx.out[what];
};

/**
 * Every layer type by name: the one place that turns a config entry into graph ops. Shape inference is the
 * ops' own (each op checks and infers its output shape), so a layer is a few lines.
 */
export const LAYERS: { [T in LayerType]: Apply<T> } = {
  dense: (s, x, l, ctx) => dense(s, x, size(l.units, ctx, 'units'), { bias: l.bias, cond: ctx.cond }),
  conv2d: (s, x, l, ctx) => conv2dLayer(s, x, size(l.filters, ctx, 'channels'), l),
  convTranspose2d: (s, x, l, ctx) => convTranspose2dLayer(s, x, size(l.filters, ctx, 'channels'), l),
  reshape: (_s, x, l) => {
    const per = sizeOf(x.shape.slice(1));
    const want = sizeOf(l.shape);
    if (per !== want) throw new LayerError(`reshape to [${l.shape}] needs ${want} values per example, input [${x.shape}] has ${per}`);
    return reshape(x, [x.shape[0], ...l.shape]);
  },
  flatten: (_s, x) => reshape(x, [x.shape[0], x.size / x.shape[0]]),
  relu: (_s, x) => relu(x),
  leakyRelu: (_s, x, l) => leakyRelu(x, l.slope),
  elu: (_s, x, l) => elu(x, l.alpha),
  gelu: (_s, x) => gelu(x),
  tanh: (_s, x) => tanh(x),
  sigmoid: (_s, x) => sigmoid(x),
  softplus: (_s, x) => softplus(x),
  batchNorm: (s, x, l) => batchNorm(s, x, l),
  layerNorm: (s, x, l) => layerNorm(s, x, l),
};

/** Layer types that own parameters (and so get a numbered scope). */
export const WEIGHTED: ReadonlySet<LayerType> = new Set(['dense', 'conv2d', 'convTranspose2d', 'batchNorm', 'layerNorm']);
