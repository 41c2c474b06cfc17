import { type LoweredConst, type Lowering, i64, int, ints, node } from './lowered.js';
import { type Attr } from './tensor.js';

// Which channel counts are worth an im2col Gather: it copies one run of C values per index, and with few
// channels (a grey input) ORT's Gather copies value by value; the plain dilated Conv was faster there.
const MIN_GATHER_CHANNELS = 8;

/**
 * Lowerings of convolution ops (merged into LOWERINGS). Only the weight gradient: measured with 1 thread in
 * CPU time on the conv VAE's layers (bench:conv-layers), ORT's own Conv and ConvTranspose kernels ran the
 * forward passes and input gradients as fast as or faster than im2col/col2im + Gemm graphs (7.0 vs 8.0 ms
 * for Conv 32→64 at 14×14, 31 vs 52 ms for ConvTranspose 64→32 at 14×14: the graphs' data movement costs
 * more than ORT's fused loops), while ORT has no kernel for the weight gradient: its plain form, a dilated
 * Conv with the batch as channels, took 1.6–2× the time of one Gemm over im2col.
 */
export const CONV_LOWERINGS: Record<string, Lowering> = {
  // gw[O, (ky, kx, c)] = gy[O, (n, i, j)] · cols[(n, i, j), (ky, kx, c)], cols = im2col(x): one Gemm whose
  // reduction runs over batch and positions together
  ConvFilterGrad: (nd, [x, gy], y, tmp) => {
    const [n, c, h, w] = nd.inputs[0].shape;
    const [, o, ho, wo] = nd.inputs[1].shape;
    if (c < MIN_GATHER_CHANNELS) return null;
    const v = (k: string) => (nd.attrs[k] as Extract<Attr, { kind: 'ints' }>).v;
    const [kh, kw] = v('kernel_shape');
    const [sh, sw] = v('strides');
    const [pt, pl] = v('pads');
    // cols row (n, i, j), column (ky, kx, c) = x[n, c, i·sh + ky − pt, j·sw + kx − pl], or 0 in the padding:
    // x goes channel-last ([N, H·W, C] plus a zero row at H·W; ORT's Pad copies value by value) and one Gather
    // copies a run of C channels per index (a strided Slice per tap would copy value by value too)
    const idx: number[] = [];
    for (let i = 0; i < ho; i++) for (let j = 0; j < wo; j++) for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
      const r = i * sh + ky - pt;
      const q = j * sw + kx - pl;
      idx.push(r >= 0 && r < h && q >= 0 && q < w ? r * w + q : h * w);
    }
    const padded = idx.includes(h * w);
    const nodes = [
      node('Transpose', [x], tmp('xt'), { perm: ints(0, 2, 3, 1) }),
      node('Reshape', [tmp('xt'), tmp('rowsShape')], padded ? tmp('rows') : tmp('pos')),
      ...(padded
        ? [node('Expand', [tmp('zero'), tmp('zeroShape')], tmp('zeros')), node('Concat', [tmp('rows'), tmp('zeros')], tmp('pos'), { axis: int(1) })]
        : []),
      node('Gather', [tmp('pos'), tmp('idx')], tmp('cols3'), { axis: int(1) }),
      node('Reshape', [tmp('cols3'), tmp('colsShape')], tmp('cols')),
      // gy as [O, N·ho·wo]: a Transpose that moves whole rows (Gemm's transA packs far slower, measured 2.5×)
      node('Transpose', [gy], tmp('gt'), { perm: ints(1, 0, 2, 3) }),
      node('Reshape', [tmp('gt'), tmp('gShape')], tmp('g2')),
      node('Gemm', [tmp('g2'), tmp('cols')], tmp('prod')),
      node('Reshape', [tmp('prod'), tmp('prodShape')], tmp('prod4')),
      node('Transpose', [tmp('prod4')], y, { perm: ints(0, 3, 1, 2) }),
    ];
    const consts: LoweredConst[] = [
      i64(tmp('rowsShape'), [n, h * w, c]),
      { name: tmp('zero'), dtype: 'float32', shape: [], data: new Float32Array(1) },
      i64(tmp('zeroShape'), [n, 1, c]),
      i64(tmp('idx'), idx),
      i64(tmp('colsShape'), [n * ho * wo, kh * kw * c]),
      i64(tmp('gShape'), [o, n * ho * wo]),
      i64(tmp('prodShape'), [o, kh, kw, c]),
    ];
    return { nodes, consts: consts.filter((k) => padded || !k.name.includes('zero')) };
  },
};
