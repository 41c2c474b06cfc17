import { type Tensor } from '../graph/tensor.js';
import { type Prng } from '../random/prng.js';
import { dense, denseShapes, initDense } from './dense.js';

/**
 * A stack of dense layers `prefix.0 … prefix.{n−1}` over `dims` = [in, h1, …, out], with `act` between
 * layers and none after the last.
 *
 * @example
 * mlp(p, 'enc', [784, 400, 40], x, relu) // [B,784] → [B,40]
 */
export function mlp(p: Record<string, Tensor>, prefix: string, dims: readonly number[], x: Tensor, act: (t: Tensor) => Tensor): Tensor {
  let h = x;
  for (let i = 0; i + 1 < dims.length; i++) {
    h = dense(h, p[`${prefix}.${i}.weight`], p[`${prefix}.${i}.bias`]);
    if (i + 2 < dims.length) h = act(h);
  }
  return h;
}

/** Parameter shapes of {@link mlp}. */
export function mlpShapes(prefix: string, dims: readonly number[]): Record<string, number[]> {
  let out: Record<string, number[]> = {};
  for (let i = 0; i + 1 < dims.length; i++) out = { ...out, ...denseShapes(`${prefix}.${i}`, dims[i], dims[i + 1]) };
  return out;
}

/** PyTorch-style initial values of {@link mlp}'s parameters, drawn layer by layer from `rng`. */
export function initMlp(rng: Prng, prefix: string, dims: readonly number[]): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (let i = 0; i + 1 < dims.length; i++) {
    const { w, b } = initDense(rng, dims[i], dims[i + 1]);
    out[`${prefix}.${i}.weight`] = w;
    out[`${prefix}.${i}.bias`] = b;
  }
  return out;
}
