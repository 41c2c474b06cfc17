import { conv2d, convTranspose2d } from '../../graph/ops/conv.js';
import { sum } from '../../graph/ops/reduce.js';
import { slice, transpose } from '../../graph/ops/shape.js';
import { type Tensor } from '../../graph/tensor.js';
import { intsAttr, type VjpRule } from '../rule.js';

type Quad = [number, number, number, number];

/**
 * Weight gradient of a convolution, itself a convolution: out[a, b, i, j] = Σ_{n,y,x} src[n,a, i + y·s − p, …] · k[n,b,y,x].
 * Batch becomes the channel axis ([C,N,H,W]) and the stride becomes a dilation. Returns [A(src ch), B(k ch), kh, kw].
 */
function weightGrad(src: Tensor, k: Tensor, stride: number[], pads: Quad, kh: number, kw: number): Tensor {
  const s = transpose(src, [1, 0, 2, 3]);
  const w = transpose(k, [1, 0, 2, 3]);
  const full = conv2d(s, w, undefined, { pad: pads, dilation: [stride[0], stride[1]] });
  return slice(full, [0, 0], [kh, kw], [2, 3]);
}

/** VJPs of Conv and ConvTranspose (each is the other's adjoint in x). */
export const convRules: Record<string, VjpRule> = {
  Conv: ({ inputs: [x, w, b], attrs }, gy) => {
    const strides = intsAttr(attrs, 'strides');
    const pads = intsAttr(attrs, 'pads') as Quad;
    const dil = intsAttr(attrs, 'dilations');
    if (dil.some((d) => d !== 1)) throw new Error('Conv VJP: dilated convolutions are not differentiable in vaekit');
    const [kh, kw] = w.shape.slice(2);
    // output_padding picks the transposed conv's output size that equals x's (floor in the forward size)
    const oph = x.shape[2] - (strides[0] * (gy.shape[2] - 1) + kh - pads[0] - pads[2]);
    const opw = x.shape[3] - (strides[1] * (gy.shape[3] - 1) + kw - pads[1] - pads[3]);
    const gx = convTranspose2d(gy, w, undefined, { stride: [strides[0], strides[1]], pad: pads, outputPadding: [oph, opw] });
    // [C, O, kh, kw] → [O, C, kh, kw]
    const gw = transpose(weightGrad(x, gy, strides, pads, kh, kw), [1, 0, 2, 3]);
    return b ? [gx, gw, sum(gy, [0, 2, 3])] : [gx, gw];
  },
  ConvTranspose: ({ inputs: [x, w, b], attrs }, gy) => {
    const strides = intsAttr(attrs, 'strides');
    const pads = intsAttr(attrs, 'pads') as Quad;
    const [kh, kw] = w.shape.slice(2);
    const gx = conv2d(gy, w, undefined, { stride: [strides[0], strides[1]], pad: pads });
    // roles swap: gy is the (padded) source, x the kernel → [O, C, kh, kw] → [C, O, kh, kw]
    const gw = transpose(weightGrad(gy, x, strides, pads, kh, kw), [1, 0, 2, 3]);
    return b ? [gx, gw, sum(gy, [0, 2, 3])] : [gx, gw];
  },
};
