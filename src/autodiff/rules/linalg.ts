import { gemm, matmul } from '../../graph/ops/linalg.js';
import { transpose } from '../../graph/ops/shape.js';
import { type Tensor } from '../../graph/tensor.js';
import { numAttr, type VjpRule } from '../rule.js';
import { unbroadcast } from './elementwise.js';

// Swaps the last two axes.
const mT = (t: Tensor): Tensor => transpose(t, [...t.shape.keys()].map((i) => (i < t.rank - 2 ? i : 2 * t.rank - 3 - i)));

/** VJPs of MatMul and Gemm. Gemm gradients are Gemms with transposition flags: no Transpose nodes. */
export const linalgRules: Record<string, VjpRule> = {
  MatMul: ({ inputs: [a, b] }, gy) => {
    if (a.rank === 2 && b.rank === 2) return [gemm(gy, b, undefined, { transB: true }), gemm(a, gy, undefined, { transA: true })];
    return [unbroadcast(matmul(gy, mT(b)), a.shape), unbroadcast(matmul(mT(a), gy), b.shape)];
  },
  // y = α·op(A)·op(B) + C
  Gemm: ({ inputs: [a, b, c], attrs }, gy) => {
    const ta = numAttr(attrs, 'transA') === 1;
    const tb = numAttr(attrs, 'transB') === 1;
    const alpha = numAttr(attrs, 'alpha');
    // ∂A: α·gy·op(B)ᵀ, transposed again when A was stored transposed
    const ga = ta ? gemm(b, gy, undefined, { transA: tb, transB: true, alpha }) : gemm(gy, b, undefined, { transB: !tb, alpha });
    // ∂B: α·op(A)ᵀ·gy, transposed again when B was stored transposed
    const gb = tb ? gemm(gy, a, undefined, { transA: true, transB: ta, alpha }) : gemm(a, gy, undefined, { transA: !ta, alpha });
    return c ? [ga, gb, unbroadcast(gy, c.shape)] : [ga, gb];
  },
};
