import { type Lowering, type LoweredNode, i64, int, ints, node } from './lowered.js';
import { type Attr } from './tensor.js';

/** ONNX Runtime's contrib domain of its NCHWc (channel-blocked) CPU kernels. */
export const NCHWC_DOMAIN = 'com.microsoft.nchwc';

const nchwc = (opType: string, input: string[], output: string, attrs?: Record<string, Attr>): LoweredNode => ({ ...node(opType, input, output, attrs), domain: NCHWC_DOMAIN });

/**
 * Conv written as ONNX Runtime's NCHWc direct convolution (MLAS): ReorderInput → nchwc Conv → ReorderOutput,
 * with the weight reordered inside the graph. ORT's own NchwcTransformer does this only for weights that are
 * constant initializers; vaekit's weights are trained inputs, and a reorder of a 3×3 kernel per run costs
 * microseconds. Measured on the conv VAE (AVX2, block 8; 1 thread, CPU time, fastest of 17 interleaved runs on
 * a shared machine): Conv 32→64 14→7 5.8 vs 7.1 ms, the input gradients of its ConvT layers (Conv 64→64
 * 14→7, 32→64 28→14) 10.1 vs 12.1 and 19.0 vs 22.8 ms against ORT's im2col Conv. Declines (plain Conv) unless
 * input and output channels fill whole blocks: the kernels' path for fewer input channels than a block (an
 * image's 1 or 3) measured slower than ORT's Conv on the VAE's 1-channel convolutions (2.7 vs 2.0 ms for
 * Conv 1→32 28→14, 10.0 vs 7.7 ms for Conv 1→32 at 28×28), its output reorder being a pass of its own.
 *
 * ConvTranspose is not lowered: as NCHWc convolutions, one per output phase (sub-pixel, commit 01ac075), it
 * was correct but no faster than ORT's ConvTranspose (15.5 vs 15.1 ms for 64→64 7→14, 29.6 vs 27.4 ms for
 * 64→32 14→28): interleaving the phases costs three passes over the output.
 */
export const NCHWC_LOWERINGS: Record<string, Lowering> = {
  Conv: (nd, [x, w, b], y, tmp, { nchwcBlock: bs }) => {
    if (!bs) return null;
    const [, c] = nd.inputs[0].shape;
    const [o, , kh, kw] = nd.inputs[1].shape;
    if (o % bs !== 0 || c % bs !== 0) return null;
    // Filter layout the kernels read (MLAS ReorderFilterOIHWBiBo): [O/bs, C/bs, kh, kw, ci, co] from OIHW viewed
    // as [O/bs, co, C/bs, ci, kh, kw]; the kernel takes the result as a [O, C, kh, kw] tensor.
    const attrs: Record<string, Attr> = {};
    for (const k of ['kernel_shape', 'strides', 'pads', 'dilations']) if (nd.attrs[k]) attrs[k] = nd.attrs[k];
    return {
      nodes: [
        node('Reshape', [w, tmp('view')], tmp('w6')),
        node('Transpose', [tmp('w6')], tmp('wt'), { perm: ints(0, 2, 4, 5, 3, 1) }),
        node('Reshape', [tmp('wt'), tmp('wShape')], tmp('wc')),
        nchwc('ReorderInput', [x], tmp('xc')),
        nchwc('Conv', [tmp('xc'), tmp('wc'), ...(b ? [b] : [])], tmp('yc'), attrs),
        nchwc('ReorderOutput', [tmp('yc')], y, { channels: int(o) }),
      ],
      consts: [i64(tmp('view'), [o / bs, bs, c / bs, bs, kh, kw]), i64(tmp('wShape'), [o, c, kh, kw])],
    };
  },
};

