import { fmtShape } from '../dtype.js';
import { type Tensor } from '../tensor.js';
import { broadcastShapes } from './broadcast.js';
import { emit, needFloat, shapeError } from './core.js';

/**
 * Matrix product with NumPy semantics for rank ≥ 2: [..., M, K] @ [..., K, N] → [..., M, N],
 * batch dims broadcasting.
 *
 * @example
 * matmul(x, w) // [128,784] @ [784,400] → [128,400]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  needFloat('MatMul', a, b);
  if (a.rank < 2 || b.rank < 2) shapeError('MatMul', 'operands must have rank >= 2', a, b);
  const [m, k] = a.shape.slice(-2);
  const [k2, n] = b.shape.slice(-2);
  if (k !== k2) shapeError('MatMul', `inner dims differ: ${k} vs ${k2}`, a, b);
  const batch = broadcastShapes('MatMul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  return emit('MatMul', [a, b], {}, [...batch, m, n], 'float32');
}

/** Options of {@link gemm}: ONNX Gemm's transA/transB/alpha. */
export interface GemmOptions {
  transA?: boolean;
  transB?: boolean;
  alpha?: number;
}

/**
 * alpha · op(A) op(B) + C for 2-D A and B, with C broadcast to [M, N] (ONNX Gemm, beta = 1).
 *
 * @example
 * gemm(x, w, b) // dense layer: [128,784]·[784,400] + [400]
 * gemm(dy, w, undefined, { transB: true }) // dy · wᵀ without a Transpose node
 */
export function gemm(a: Tensor, b: Tensor, c?: Tensor, opts: GemmOptions = {}): Tensor {
  const ops = c ? [a, b, c] : [a, b];
  needFloat('Gemm', ...ops);
  if (a.rank !== 2 || b.rank !== 2) shapeError('Gemm', 'A and B must be 2-D', ...ops);
  const [m, k] = opts.transA ? [a.shape[1], a.shape[0]] : a.shape;
  const [k2, n] = opts.transB ? [b.shape[1], b.shape[0]] : b.shape;
  if (k !== k2) shapeError('Gemm', `inner dims differ: ${k} vs ${k2} (transA=${!!opts.transA}, transB=${!!opts.transB})`, ...ops);
  if (c) {
    const bc = broadcastShapes('Gemm', c.shape, [m, n]);
    if (bc.length !== 2 || bc[0] !== m || bc[1] !== n) shapeError('Gemm', `C ${fmtShape(c.shape)} must broadcast to [${m},${n}]`, ...ops);
  }
  const attrs = {
    transA: { kind: 'int' as const, v: opts.transA ? 1 : 0 },
    transB: { kind: 'int' as const, v: opts.transB ? 1 : 0 },
    alpha: { kind: 'float' as const, v: opts.alpha ?? 1 },
  };
  return emit('Gemm', ops, attrs, [m, n], 'float32');
}
