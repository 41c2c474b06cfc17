import { conv2d, convFilterGrad, convTranspose2d } from '../../graph/ops/conv.js';
import { sum } from '../../graph/ops/reduce.js';
import { intsAttr, type VjpRule } from '../rule.js';

type Quad = [number, number, number, number];

/** VJPs of Conv and ConvTranspose (each is the other's adjoint in x; both weight gradients are one ConvFilterGrad). */
export const convRules: Record<string, VjpRule> = {
  Conv: ({ inputs: [x, w, b], attrs }, gy) => {
    const strides = intsAttr(attrs, 'strides') as [number, number];
    const pads = intsAttr(attrs, 'pads') as Quad;
    const dil = intsAttr(attrs, 'dilations');
    if (dil.some((d) => d !== 1)) throw new Error('Conv VJP: dilated convolutions are not differentiable in vaekit');
    const [kh, kw] = w.shape.slice(2);
    // output_padding picks the transposed conv's output size that equals x's (floor in the forward size)
    const oph = x.shape[2] - (strides[0] * (gy.shape[2] - 1) + kh - pads[0] - pads[2]);
    const opw = x.shape[3] - (strides[1] * (gy.shape[3] - 1) + kw - pads[1] - pads[3]);
    const gx = convTranspose2d(gy, w, undefined, { stride: strides, pad: pads, outputPadding: [oph, opw] });
    const gw = convFilterGrad(x, gy, [kh, kw], { stride: strides, pad: pads });
    return b ? [gx, gw, sum(gy, [0, 2, 3])] : [gx, gw];
  },
  ConvTranspose: ({ inputs: [x, w, b], attrs }, gy) => {
    const strides = intsAttr(attrs, 'strides') as [number, number];
    const pads = intsAttr(attrs, 'pads') as Quad;
    const [kh, kw] = w.shape.slice(2);
    const gx = conv2d(gy, w, undefined, { stride: strides, pad: pads });
    // roles swap: gy is the (padded) source, x the cotangent → [C, O, kh, kw], the weight's own layout
    const gw = convFilterGrad(gy, x, [kh, kw], { stride: strides, pad: pads });
    return b ? [gx, gw, sum(gy, [0, 2, 3])] : [gx, gw];
  },
};
