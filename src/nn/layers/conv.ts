import { conv2d as conv2dOp, convTranspose2d as convTranspose2dOp } from '../../graph/ops/index.js';
import { type Tensor } from '../../graph/tensor.js';
import { type Scope, uniformInit } from '../scope.js';
import { LayerError } from './layerError.js';

type Pair = number | [number, number];
/** Padding: one number, [vertical, horizontal] or [top, left, bottom, right]. */
export type Padding = number | [number, number] | [number, number, number, number];

export interface ConvOptions {
  kernel: Pair;
  stride?: Pair;
  padding?: Padding;
  bias?: boolean;
}

const pair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : v);
const quad = (p: Padding = 0): [number, number, number, number] =>
  typeof p === 'number' ? [p, p, p, p] : p.length === 2 ? [p[0], p[1], p[0], p[1]] : p;

function needImages(x: Tensor, what: string): void {
  if (x.rank !== 4) throw new LayerError(`${what} needs images [B, C, H, W], got [${x.shape}]; add a reshape layer before it`);
}

/**
 * 2-D convolution (cross-correlation) x [B, C, H, W] → [B, filters, H', W'], weights [filters, C, kh, kw]
 * as nn.Conv2d, initialized U(±1/√(C·kh·kw)) like PyTorch's default.
 *
 * @example
 * conv2dLayer(s.sub('enc.0'), x, 32, { kernel: 3, stride: 2, padding: 1 }) // [B,1,28,28] → [B,32,14,14]
 */
export function conv2dLayer(s: Scope, x: Tensor, filters: number, o: ConvOptions): Tensor {
  needImages(x, 'conv2d');
  const [kh, kw] = pair(o.kernel);
  const c = x.shape[1];
  const init = uniformInit(1 / Math.sqrt(c * kh * kw));
  const w = s.param('weight', [filters, c, kh, kw], init);
  const b = o.bias === false ? undefined : s.param('bias', [filters], init);
  return conv2dOp(x, w, b, { stride: pair(o.stride ?? 1), pad: quad(o.padding) });
}

/**
 * 2-D transposed convolution x [B, C, H, W] → [B, filters, H', W'] with H' = s·(H−1) + op + kh − pads,
 * weights [C, filters, kh, kw] as nn.ConvTranspose2d (whose default init takes fan-in from dim 1:
 * U(±1/√(filters·kh·kw))).
 *
 * @example
 * convTranspose2dLayer(s.sub('dec.2'), h, 64, { kernel: 3, stride: 2, padding: 1, outputPadding: 1 }) // 7×7 → 14×14
 */
export function convTranspose2dLayer(s: Scope, x: Tensor, filters: number, o: ConvOptions & { outputPadding?: Pair }): Tensor {
  needImages(x, 'convTranspose2d');
  const [kh, kw] = pair(o.kernel);
  const c = x.shape[1];
  const init = uniformInit(1 / Math.sqrt(filters * kh * kw));
  const w = s.param('weight', [c, filters, kh, kw], init);
  const b = o.bias === false ? undefined : s.param('bias', [filters], init);
  return convTranspose2dOp(x, w, b, { stride: pair(o.stride ?? 1), pad: quad(o.padding), outputPadding: pair(o.outputPadding ?? 0) });
}
