import { broadcastAxes } from '../../graph/ops/broadcast.js';
import { add, cast, div, exp, greater, less, log, mul, neg, sigmoid, sub, where } from '../../graph/ops/elementwise.js';
import { sum } from '../../graph/ops/reduce.js';
import { reshape } from '../../graph/ops/shape.js';
import { type Tensor } from '../../graph/tensor.js';
import { numAttr, type VjpRule } from '../rule.js';

/** Sums a broadcast gradient back to the operand's shape. */
export function unbroadcast(g: Tensor, shape: readonly number[]): Tensor {
  const axes = broadcastAxes(shape, g.shape);
  return reshape(axes.length ? sum(g, axes, true) : g, shape);
}

const zeroLike = 0;

/** VJPs of broadcasting binary ops, unary maps and where. */
export const elementwiseRules: Record<string, VjpRule> = {
  Add: ({ inputs: [a, b] }, gy) => [unbroadcast(gy, a.shape), unbroadcast(gy, b.shape)],
  Sub: ({ inputs: [a, b] }, gy) => [unbroadcast(gy, a.shape), unbroadcast(neg(gy), b.shape)],
  Mul: ({ inputs: [a, b] }, gy) => [unbroadcast(mul(gy, b), a.shape), unbroadcast(mul(gy, a), b.shape)],
  // y = a/b: ∂y/∂a = 1/b, ∂y/∂b = −a/b² = −y/b
  Div: ({ inputs: [a, b], y }, gy) => [unbroadcast(div(gy, b), a.shape), unbroadcast(neg(div(mul(gy, y), b)), b.shape)],
  // y = aᵇ: ∂y/∂a = b·aᵇ⁻¹ = b·y/a, ∂y/∂b = y·ln a
  Pow: ({ inputs: [a, b], y }, gy) => [unbroadcast(mul(gy, div(mul(b, y), a)), a.shape), unbroadcast(mul(gy, mul(y, log(a))), b.shape)],
  Neg: (_, gy) => [neg(gy)],
  Exp: ({ y }, gy) => [mul(gy, y)],
  Log: ({ inputs: [x] }, gy) => [div(gy, x)],
  Softplus: ({ inputs: [x] }, gy) => [mul(gy, sigmoid(x))],
  Sigmoid: ({ y }, gy) => [mul(gy, mul(y, sub(1, y)))],
  Tanh: ({ y }, gy) => [mul(gy, sub(1, mul(y, y)))],
  // the mask reads the output (y > 0 ⟺ x > 0), so x has no other consumer and ORT can fuse Gemm + Relu
  Relu: ({ y }, gy) => [where(greater(y, 0), gy, zeroLike)],
  LeakyRelu: ({ inputs: [x], attrs }, gy) => [where(greater(x, 0), gy, mul(gy, numAttr(attrs, 'alpha')))],
  // x ≤ 0: y = α(eˣ − 1), so dy/dx = αeˣ = y + α
  Elu: ({ inputs: [x], y, attrs }, gy) => [where(greater(x, 0), gy, mul(gy, add(y, numAttr(attrs, 'alpha'))))],
  Erf: ({ inputs: [x] }, gy) => [mul(gy, mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI)))],
  Sqrt: ({ y }, gy) => [div(mul(gy, 0.5), y)],
  Abs: ({ inputs: [x] }, gy) => [mul(gy, sub(cast(greater(x, 0)), cast(less(x, 0))))],
  Where: ({ inputs: [c, a, b] }, gy) => [null, unbroadcast(where(c, gy, zeroLike), a.shape), unbroadcast(where(c, zeroLike, gy), b.shape)],
  Identity: (_, gy) => [gy],
  // Not differentiable: comparisons and casts from bool have zero gradient; StopGradient by definition.
  StopGradient: () => [null],
  Less: () => [null, null],
  Greater: () => [null, null],
  Equal: () => [null, null],
  Cast: () => [null],
};

