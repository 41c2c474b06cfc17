import { type Lowering, i64, int, ints, node } from './lowered.js';
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

  // The weight gradient as a Conv: batch as channels ([C,N,H,W] ∗ [O,N,H',W']), the stride as dilation,
  // cropped to the kernel size ([C,O,·,·] → [O,C,kh,kw]).
  ConvFilterGrad: (n, [x, gy], y, tmp) => {
    const v = (k: string) => (n.attrs[k] as Extract<Attr, { kind: 'ints' }>).v;
    const [kh, kw] = v('kernel_shape');
    return {
      nodes: [
        node('Transpose', [x], tmp('xt'), { perm: ints(1, 0, 2, 3) }),
        node('Transpose', [gy], tmp('gt'), { perm: ints(1, 0, 2, 3) }),
        node('Conv', [tmp('xt'), tmp('gt')], tmp('full'), { dilations: ints(...v('strides')), pads: ints(...v('pads')) }),
        node('Slice', [tmp('full'), tmp('st'), tmp('en'), tmp('ax')], tmp('crop')),
        node('Transpose', [tmp('crop')], y, { perm: ints(1, 0, 2, 3) }),
      ],
      consts: [i64(tmp('st'), [0, 0]), i64(tmp('en'), [kh, kw]), i64(tmp('ax'), [2, 3])],
    };
  },
};
