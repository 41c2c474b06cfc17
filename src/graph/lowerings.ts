import { CONV_LOWERINGS } from './convLowerings.js';
import { NCHWC_LOWERINGS } from './nchwcLowerings.js';
import { sizeOf } from './dtype.js';
import { type Lowering, i64, int, ints, node } from './lowered.js';
import { type Attr } from './tensor.js';

export type { Lowered, LoweredConst, LoweredNode, Lowering } from './lowered.js';

// log σ(|x|) summed over a row of n values as Σ over groups of log Π σ(|x|): one Log per group instead of
// one per value (ORT's Log is scalar code, ≈ 1 ns per value). Each factor lies in [½, 1], so a product of
// at most 64 stays ≥ 2⁻⁶⁴, far from float32 underflow, and its rounding (≤ 64 ulp) is below the rounding
// of the float32 sum it replaces.
const MAX_GROUP = 64;
function groupSize(n: number): number {
  for (let g = Math.min(n, MAX_GROUP); g > 1; g--) if (n % g === 0) return g;
  return 1;
}

/**
 * Ops written as several ONNX nodes because ORT's own kernel is slow or missing. Autodiff still sees the
 * one vaekit node and its one VJP rule; gradcheck tests run through these lowerings.
 */
export const LOWERINGS: Record<string, Lowering> = {
  ...CONV_LOWERINGS,
  ...NCHWC_LOWERINGS,

  // ORT's CPU Softplus is scalar code (≈10× slower than its vectorized Sigmoid); softplus(x) =
  // relu(x) − log σ(|x|) is exact and stable (σ(|x|) ∈ [½, 1]).
  Softplus: (_n, [x], y, tmp) => ({
    nodes: [
      node('Relu', [x], tmp('relu')),
      node('Abs', [x], tmp('abs')),
      node('Sigmoid', [tmp('abs')], tmp('sig')),
      node('Log', [tmp('sig')], tmp('log')),
      node('Sub', [tmp('relu'), tmp('log')], y),
    ],
    consts: [],
  }),

  // Σ softplus(x) over the last axis (vaekit's SoftplusSum) = Σ relu(x) − Σ_groups log Π σ(|x|).
  SoftplusSum: (n, [x], y, tmp) => {
    const shape = n.inputs[0].shape;
    const last = shape.length - 1;
    const len = shape[last];
    const g = groupSize(len);
    const keep = (n.attrs.keepdims as Extract<Attr, { kind: 'int' }>).v;
    return {
      nodes: [
        node('Relu', [x], tmp('relu')),
        node('ReduceSum', [tmp('relu'), tmp('axis')], tmp('rsum'), { keepdims: int(keep) }),
        node('Abs', [x], tmp('abs')),
        node('Sigmoid', [tmp('abs')], tmp('sig')),
        node('Reshape', [tmp('sig'), tmp('groups')], tmp('grouped')),
        node('ReduceProd', [tmp('grouped')], tmp('prod'), { axes: ints(last + 1), keepdims: int(0) }),
        node('Log', [tmp('prod')], tmp('log')),
        node('ReduceSum', [tmp('log'), tmp('axis')], tmp('lsum'), { keepdims: int(keep) }),
        node('Sub', [tmp('rsum'), tmp('lsum')], y),
      ],
      consts: [i64(tmp('axis'), [last]), i64(tmp('groups'), [...shape.slice(0, last), len / g, g])],
    };
  },

  // ORT's ReduceSum over leading axes (a bias gradient: [B,N] → [1,N]) walks memory with a stride; the
  // same sum as a row of ones times the matrix runs in MLAS at a fraction of the time. Trailing axes summed
  // too (a conv bias gradient: [B,O,H,W] → [O]) are summed first, over contiguous rows.
  ReduceSum: (n, [x], y, tmp) => {
    const shape = n.inputs[0].shape;
    const r = shape.length;
    const axes = new Set((n.attrs.axes as Extract<Attr, { kind: 'ints' }>).v);
    let k = 0;
    while (axes.has(k)) k++;
    let t = r;
    while (t > k && axes.has(t - 1)) t--;
    // the kept axes k…t−1 must be contiguous and there must be leading ones to sum
    if (k === 0 || t === k || axes.size !== k + r - t) return null;
    const m = sizeOf(shape.slice(0, k));
    const mid = sizeOf(shape.slice(k, t));
    const tail = sizeOf(shape.slice(t));
    if (m < 2 && tail === 1) return null;
    const nodes = [node('Reshape', [x, tmp('mat')], tmp('x2'))];
    let cur = tmp('x2');
    if (tail > 1) {
      nodes.push(node('ReduceSum', [cur, tmp('last')], tmp('rows'), { keepdims: int(0) }));
      cur = tmp('rows');
    }
    nodes.push(node('MatMul', [tmp('ones'), cur], tmp('row')), node('Reshape', [tmp('row'), tmp('out')], y));
    return {
      nodes,
      consts: [
        { name: tmp('ones'), dtype: 'float32', shape: [1, m], data: new Float32Array(m).fill(1) },
        i64(tmp('mat'), tail > 1 ? [m, mid, tail] : [m, mid]),
        // the trailing-axis sum's axis, only when that sum is emitted (ORT warns about unused initializers)
        ...(tail > 1 ? [i64(tmp('last'), [2])] : []),
        i64(tmp('out'), [...n.outputs[0].shape]),
      ],
    };
  },
};
