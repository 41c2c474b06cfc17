import { type Lowering, i64, int, node } from './lowerings.js';
import { type Attr } from './tensor.js';

/**
 * Plain ONNX forms of vaekit-only ops, used when a graph is serialized without the CPU lowerings
 * (`toOnnx(…, { lower: false })`, e.g. for export) or when a lowering declines a node. Each is the op's
 * definition written with standard opset-17 ops, so it is also the reference the lowerings are tested against.
 */
export const DEFINITIONS: Record<string, Lowering> = {
  // Σ softplus(x) over the last axis
  SoftplusSum: (n, [x], y, tmp) => ({
    nodes: [
      node('Softplus', [x], tmp('sp')),
      node('ReduceSum', [tmp('sp'), tmp('axis')], y, { keepdims: int((n.attrs.keepdims as Extract<Attr, { kind: 'int' }>).v) }),
    ],
    consts: [i64(tmp('axis'), [n.inputs[0].rank - 1])],
  }),
};
