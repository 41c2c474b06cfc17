import { type Tensor } from '../tensor.js';
import { broadcastShapes } from './broadcast.js';
import { emit, lift, needFloat, shapeError, type TensorLike } from './core.js';

// Binary ops broadcast like NumPy; numbers are lifted to float32 scalars.
function binary(op: string, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = lift(a, b, op);
  if (x.dtype !== y.dtype) shapeError(op, `mismatched dtypes ${x.dtype} and ${y.dtype}`, x, y);
  return emit(op, [x, y], {}, broadcastShapes(op, x.shape, y.shape), x.dtype);
}

function unary(op: string, x: Tensor, attrs = {}): Tensor {
  needFloat(op, x);
  return emit(op, [x], attrs, x.shape, 'float32');
}

/** a + b, broadcasting. @example add(h, bias) // [B,400] + [400] */
export const add = (a: TensorLike, b: TensorLike): Tensor => binary('Add', a, b);
/** a − b, broadcasting. @example sub(x, 1) */
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('Sub', a, b);
/** a · b elementwise, broadcasting. @example mul(sigma, eps) */
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('Mul', a, b);
/** a / b elementwise, broadcasting. @example div(m, add(sqrt(v), 1e-8)) */
export const div = (a: TensorLike, b: TensorLike): Tensor => binary('Div', a, b);
/** aᵇ elementwise, broadcasting (a > 0 where b is differentiated). @example pow(0.9, step) // Adam's β₁ᵗ */
export const pow = (a: TensorLike, b: TensorLike): Tensor => binary('Pow', a, b);

/** −x. @example neg(logp) */
export const neg = (x: Tensor): Tensor => unary('Neg', x);
/** eˣ. @example exp(mul(logvar, 0.5)) // σ from log σ² */
export const exp = (x: Tensor): Tensor => unary('Exp', x);
/** Natural log. @example log(p) */
export const log = (x: Tensor): Tensor => unary('Log', x);
/** log(1 + eˣ), computed stably by ORT. @example softplus(logits) */
export const softplus = (x: Tensor): Tensor => unary('Softplus', x);
/** 1 / (1 + e⁻ˣ). @example sigmoid(logits) // Bernoulli means */
export const sigmoid = (x: Tensor): Tensor => unary('Sigmoid', x);
/** tanh(x). @example tanh(h) */
export const tanh = (x: Tensor): Tensor => unary('Tanh', x);
/** max(x, 0). @example relu(h) */
export const relu = (x: Tensor): Tensor => unary('Relu', x);
/** x for x ≥ 0, αx otherwise. @example leakyRelu(h, 0.2) */
export const leakyRelu = (x: Tensor, alpha = 0.01): Tensor => unary('LeakyRelu', x, { alpha: { kind: 'float', v: alpha } });
/** x for x > 0, α(eˣ − 1) otherwise (ONNX Elu; PyTorch's nn.ELU). @example elu(h) */
export const elu = (x: Tensor, alpha = 1): Tensor => unary('Elu', x, { alpha: { kind: 'float', v: alpha } });
/** Gauss error function erf(x) = 2/√π ∫₀ˣ e^{−t²} dt (ONNX Erf). @example erf(div(x, Math.SQRT2)) */
export const erf = (x: Tensor): Tensor => unary('Erf', x);

/**
 * GELU, exact form: x·Φ(x) = ½·x·(1 + erf(x/√2)), as PyTorch's nn.GELU() default (approximate='none').
 * Written as Div → Erf → Add → Mul → Mul, the pattern ONNX Runtime fuses into one Gelu kernel; the gradient
 * comes from those ops' rules.
 *
 * @example
 * gelu(h) // [B,400] → [B,400]
 */
export function gelu(x: Tensor): Tensor {
  return mul(mul(x, add(erf(div(x, Math.SQRT2)), 1)), 0.5);
}

/** √x. @example sqrt(v) */
export const sqrt = (x: Tensor): Tensor => unary('Sqrt', x);
/** |x|. @example abs(diff) */
export const abs = (x: Tensor): Tensor => unary('Abs', x);
/** x², as x·x (one Mul; ORT fuses it). @example square(mu) */
export const square = (x: Tensor): Tensor => mul(x, x);

/** Elementwise a < b → bool. @example less(x, 0) */
export const less = (a: TensorLike, b: TensorLike): Tensor => compare('Less', a, b);
/** Elementwise a > b → bool. @example greater(x, 0.5) */
export const greater = (a: TensorLike, b: TensorLike): Tensor => compare('Greater', a, b);
/** Elementwise a == b → bool. @example equal(x, rowMax) */
export const equal = (a: TensorLike, b: TensorLike): Tensor => compare('Equal', a, b);

function compare(op: string, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = lift(a, b, op);
  if (x.dtype !== y.dtype) shapeError(op, `mismatched dtypes ${x.dtype} and ${y.dtype}`, x, y);
  return emit(op, [x, y], {}, broadcastShapes(op, x.shape, y.shape), 'bool');
}

/**
 * cond ? a : b elementwise, broadcasting all three.
 *
 * @example
 * where(greater(x, 0), x, mul(x, 0.1)) // a leaky ReLU by hand
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = lift(a, b, 'Where');
  if (cond.dtype !== 'bool') shapeError('Where', `condition must be bool, got ${cond.dtype}`, cond, x, y);
  if (x.dtype !== y.dtype) shapeError('Where', `mismatched dtypes ${x.dtype} and ${y.dtype}`, cond, x, y);
  const shape = broadcastShapes('Where', broadcastShapes('Where', cond.shape, x.shape), y.shape);
  return emit('Where', [cond, x, y], {}, shape, x.dtype);
}

/** Casts to float32 (bool masks become 0/1). @example cast(greater(x, 0.5)) */
export function cast(x: Tensor): Tensor {
  return emit('Cast', [x], { to: { kind: 'int', v: 1 } }, x.shape, 'float32');
}

/** Identity whose gradient is zero: treats x as a constant for autodiff. @example stopGradient(rowMax) */
export function stopGradient(x: Tensor): Tensor {
  return emit('StopGradient', [x], {}, x.shape, x.dtype);
}

/** Identity (used to expose one tensor under several output names). */
export function identity(x: Tensor): Tensor {
  return emit('Identity', [x], {}, x.shape, x.dtype);
}
