import { type Tensor } from '../tensor.js';
import { emit, needFloat, shapeError } from './core.js';

/** Stride and padding of a 2-D convolution; pads are [top, left, bottom, right] like ONNX. */
export interface Conv2dOptions {
  stride?: number | [number, number];
  pad?: number | [number, number, number, number];
  /** Kernel dilation (conv2d only; the weight-gradient rule needs it). */
  dilation?: number | [number, number];
}

/** ConvTranspose adds output padding: extra rows/cols on the bottom/right to pick among output sizes. */
export interface ConvTranspose2dOptions extends Conv2dOptions {
  outputPadding?: number | [number, number];
}

const pair = (v: number | [number, number] | undefined, d: number): [number, number] => (v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : v);
const quad = (v: Conv2dOptions['pad']): [number, number, number, number] => (v === undefined ? [0, 0, 0, 0] : typeof v === 'number' ? [v, v, v, v] : v);

function checkConvOperands(op: string, x: Tensor, w: Tensor, b: Tensor | undefined, inAxis: 0 | 1, outAxis: 0 | 1): number {
  const ops = b ? [x, w, b] : [x, w];
  needFloat(op, ...ops);
  if (x.rank !== 4 || w.rank !== 4) shapeError(op, 'input must be [N,C,H,W] and weight 4-D', ...ops);
  if (w.shape[inAxis] !== x.shape[1]) shapeError(op, `weight has ${w.shape[inAxis]} input channels, input has ${x.shape[1]}`, ...ops);
  const cout = w.shape[outAxis];
  if (b && (b.rank !== 1 || b.shape[0] !== cout)) shapeError(op, `bias must be [${cout}]`, ...ops);
  return cout;
}

/**
 * 2-D cross-correlation: x [N,C,H,W], w [O,C,kh,kw], b [O] → [N,O,H',W'],
 * H' = ⌊(H + pt + pb − kh)/sh⌋ + 1.
 *
 * @example
 * conv2d(img, w, b, { stride: 2, pad: 1 }) // [B,1,28,28] → [B,32,14,14] with 4×4 kernels
 */
export function conv2d(x: Tensor, w: Tensor, b?: Tensor, opts: Conv2dOptions = {}): Tensor {
  const cout = checkConvOperands('Conv', x, w, b, 1, 0);
  const [sh, sw] = pair(opts.stride, 1);
  const pads = quad(opts.pad);
  const [dh, dw] = pair(opts.dilation, 1);
  const [kh, kw] = w.shape.slice(2);
  const ho = Math.floor((x.shape[2] + pads[0] + pads[2] - dh * (kh - 1) - 1) / sh) + 1;
  const wo = Math.floor((x.shape[3] + pads[1] + pads[3] - dw * (kw - 1) - 1) / sw) + 1;
  if (ho < 1 || wo < 1) shapeError('Conv', `kernel ${kh}x${kw} larger than padded input`, x, w);
  const attrs = {
    dilations: { kind: 'ints' as const, v: [dh, dw] },
    kernel_shape: { kind: 'ints' as const, v: [kh, kw] },
    strides: { kind: 'ints' as const, v: [sh, sw] },
    pads: { kind: 'ints' as const, v: pads },
  };
  return emit('Conv', b ? [x, w, b] : [x, w], attrs, [x.shape[0], cout, ho, wo], 'float32');
}

/**
 * 2-D transposed convolution (the adjoint of conv2d): x [N,C,H,W], w [C,O,kh,kw], b [O] → [N,O,H',W'],
 * H' = sh·(H − 1) + oph + kh − pt − pb.
 *
 * @example
 * convTranspose2d(h, w, b, { stride: 2, pad: 1 }) // [B,32,14,14] → [B,1,28,28] with 4×4 kernels
 */
export function convTranspose2d(x: Tensor, w: Tensor, b?: Tensor, opts: ConvTranspose2dOptions = {}): Tensor {
  const cout = checkConvOperands('ConvTranspose', x, w, b, 0, 1);
  const [sh, sw] = pair(opts.stride, 1);
  const [oph, opw] = pair(opts.outputPadding, 0);
  if (oph >= sh || opw >= sw) shapeError('ConvTranspose', `output padding (${oph},${opw}) must be smaller than stride (${sh},${sw})`, x, w);
  const pads = quad(opts.pad);
  const [kh, kw] = w.shape.slice(2);
  const ho = sh * (x.shape[2] - 1) + oph + kh - pads[0] - pads[2];
  const wo = sw * (x.shape[3] - 1) + opw + kw - pads[1] - pads[3];
  if (ho < 1 || wo < 1) shapeError('ConvTranspose', 'padding leaves an empty output', x, w);
  const attrs = {
    kernel_shape: { kind: 'ints' as const, v: [kh, kw] },
    strides: { kind: 'ints' as const, v: [sh, sw] },
    pads: { kind: 'ints' as const, v: pads },
    output_padding: { kind: 'ints' as const, v: [oph, opw] },
  };
  return emit('ConvTranspose', b ? [x, w, b] : [x, w], attrs, [x.shape[0], cout, ho, wo], 'float32');
}

/**
 * Weight gradient of conv2d(x, w, ·, opts) for the output cotangent gy [N,O,H',W']: gw [O,C,kh,kw],
 * gw[o,c,ky,kx] = Σ_{n,i,j} gy[n,o,i,j] · x_padded[n,c,i·sh+ky, j·sw+kx]. A vaekit op of its own so that
 * the serializer can write it as one Gemm over im2col(x) (graph/convLowerings.ts); its plain ONNX form is a
 * dilated Conv with the batch as channels (graph/definitions.ts). Also the weight gradient of a transposed
 * convolution, with the roles of x and gy swapped.
 *
 * @example
 * convFilterGrad(x, gy, [3, 3], { stride: 2, pad: 1 }) // [B,32,14,14], [B,64,7,7] → [64,32,3,3]
 */
export function convFilterGrad(x: Tensor, gy: Tensor, kernel: [number, number], opts: Conv2dOptions = {}): Tensor {
  needFloat('ConvFilterGrad', x, gy);
  if (x.rank !== 4 || gy.rank !== 4 || x.shape[0] !== gy.shape[0]) shapeError('ConvFilterGrad', 'x and gy must be [N,C,H,W] and [N,O,H\',W\'] with the same N', x, gy);
  const [sh, sw] = pair(opts.stride, 1);
  const pads = quad(opts.pad);
  const [kh, kw] = kernel;
  const ho = Math.floor((x.shape[2] + pads[0] + pads[2] - kh) / sh) + 1;
  const wo = Math.floor((x.shape[3] + pads[1] + pads[3] - kw) / sw) + 1;
  if (pair(opts.dilation, 1).some((d) => d !== 1)) shapeError('ConvFilterGrad', 'dilation is not supported', x, gy);
  if (ho !== gy.shape[2] || wo !== gy.shape[3]) shapeError('ConvFilterGrad', `a ${kh}x${kw} window with these strides and pads gives ${ho}x${wo} positions, gy has ${gy.shape[2]}x${gy.shape[3]}`, x, gy);
  const attrs = {
    kernel_shape: { kind: 'ints' as const, v: [kh, kw] },
    strides: { kind: 'ints' as const, v: [sh, sw] },
    pads: { kind: 'ints' as const, v: pads },
  };
  return emit('ConvFilterGrad', [x, gy], attrs, [gy.shape[1], x.shape[1], kh, kw], 'float32');
}
