import { concat, pad, reshape, slice, transpose } from '../../graph/ops/shape.js';
import { scalar } from '../../graph/ops/core.js';
import { expand } from '../../graph/ops/shape.js';
import { type Tensor } from '../../graph/tensor.js';
import { intsAttr, type VjpRule } from '../rule.js';
import { unbroadcast } from './elementwise.js';

/**
 * Adjoint of a strided slice along one axis: put gy back at positions start, start+step, … of a
 * zero tensor of length d. With step s, interleave gy with s−1 zero slabs ([.., L, s, ..] → [.., L·s, ..]),
 * then pad/crop to d.
 */
function unslice(gy: Tensor, axis: number, start: number, step: number, d: number): Tensor {
  let g = gy;
  const len = gy.shape[axis];
  if (step > 1) {
    const shp = [...gy.shape];
    shp.splice(axis + 1, 0, 1);
    const col = reshape(gy, shp);
    const zshape = [...shp];
    zshape[axis + 1] = step - 1;
    const zeros = expand(scalar(gy.graph, 0), zshape);
    const both = concat([col, zeros], axis + 1);
    const merged = [...gy.shape];
    merged[axis] = len * step;
    g = reshape(both, merged);
  }
  const pads = new Array<number>(2 * gy.rank).fill(0);
  pads[axis] = start;
  pads[axis + gy.rank] = d - start - g.shape[axis];
  return pad(g, pads);
}

/** VJPs of reshape, transpose, concat, slice, pad and expand. */
export const shapeRules: Record<string, VjpRule> = {
  Reshape: ({ inputs: [x] }, gy) => [reshape(gy, x.shape)],
  Transpose: ({ attrs }, gy) => {
    const p = intsAttr(attrs, 'perm');
    const inv = p.map((_, i) => p.indexOf(i));
    return [transpose(gy, inv)];
  },
  Concat: ({ inputs, attrs }, gy) => {
    const a = (attrs.axis as { v: number }).v;
    let off = 0;
    return inputs.map((t) => {
      const s = slice(gy, [off], [off + t.shape[a]], [a]);
      off += t.shape[a];
      return s;
    });
  },
  Slice: ({ inputs: [x], attrs }, gy) => {
    const starts = intsAttr(attrs, 'starts');
    const axes = intsAttr(attrs, 'axes');
    const steps = intsAttr(attrs, 'steps');
    let g = gy;
    axes.forEach((a, i) => {
      g = unslice(g, a, starts[i], steps[i], x.shape[a]);
    });
    return [g];
  },
  // Pad's adjoint crops what it added and re-pads what it cropped: the same op with negated pads.
  Pad: ({ attrs }, gy) => [pad(gy, intsAttr(attrs, 'pads').map((p) => -p))],
  Expand: ({ inputs: [x] }, gy) => [unbroadcast(gy, x.shape)],
};
