import { gemm } from '../graph/ops/index.js';
import { type Tensor } from '../graph/tensor.js';
import { type Prng } from '../random/prng.js';

/**
 * Dense layer y = x·Wᵀ + b with W stored [out, in] as in PyTorch (so weights load either way);
 * Gemm's transB avoids a Transpose node.
 *
 * @example
 * dense(x, p['enc.0.weight'], p['enc.0.bias']) // [B,784] → [B,400]
 */
export function dense(x: Tensor, w: Tensor, b: Tensor): Tensor {
  return gemm(x, w, b, { transB: true });
}

/** Shapes of a dense layer's parameters under `prefix`. */
export function denseShapes(prefix: string, inDim: number, outDim: number): Record<string, number[]> {
  return { [`${prefix}.weight`]: [outDim, inDim], [`${prefix}.bias`]: [outDim] };
}

/**
 * PyTorch's nn.Linear initialization: W and b ~ U(−1/√in, 1/√in) (kaiming_uniform with a = √5).
 *
 * @example
 * const { w, b } = initDense(rng, 784, 400);
 */
export function initDense(rng: Prng, inDim: number, outDim: number): { w: Float32Array; b: Float32Array } {
  const bound = 1 / Math.sqrt(inDim);
  const u = (n: number) => Float32Array.from({ length: n }, () => (2 * rng.uniform() - 1) * bound);
  return { w: u(inDim * outDim), b: u(outDim) };
}
