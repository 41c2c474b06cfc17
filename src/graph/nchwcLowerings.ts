import { type Lowering, type LoweredNode, i64, int, ints, node } from './lowered.js';
import { type Attr } from './tensor.js';

/** ONNX Runtime's contrib domain of its NCHWc (channel-blocked) CPU kernels. */
export const NCHWC_DOMAIN = 'com.microsoft.nchwc';

const nchwc = (opType: string, input: string[], output: string, attrs?: Record<string, Attr>): LoweredNode => ({ ...node(opType, input, output, attrs), domain: NCHWC_DOMAIN });

/**
 * Conv written as ONNX Runtime's NCHWc direct convolution (MLAS): ReorderInput → nchwc Conv → ReorderOutput,
 * with the weight reordered inside the graph. ORT's own NchwcTransformer does this only for weights that are
 * constant initializers; vaekit's weights are trained inputs, and a reorder of a 3×3 kernel per run costs
 * microseconds. Measured on the conv VAE (AVX2, block 8): the stride-2 convolutions ran 1.5–2× faster than
 * ORT's im2col Conv (bench:conv-layers). Declines (plain Conv) unless the output channels fill whole blocks and
 * the input channels are whole blocks or fewer than one block (the kernels' NCHW-input path).
 */
export const NCHWC_LOWERINGS: Record<string, Lowering> = {
  Conv: (nd, [x, w, b], y, tmp, { nchwcBlock: bs }) => {
    if (!bs) return null;
    const [, c] = nd.inputs[0].shape;
    const [o, , kh, kw] = nd.inputs[1].shape;
    const blockedInput = c % bs === 0;
    if (o % bs !== 0 || !(blockedInput || c < bs)) return null;
    // Filter layout the kernels read (MLAS ReorderFilter): blocked input, OIHWBiBo =
    // [O/bs, C/bs, kh, kw, ci, co] from OIHW viewed as [O/bs, co, C/bs, ci, kh, kw]; NCHW input, OIHWBo =
    // [O/bs, C, kh, kw, co] from [O/bs, co, C, kh, kw]. The kernel reads the result as a [O, C, kh, kw] tensor.
    const [view, perm] = blockedInput ? [[o / bs, bs, c / bs, bs, kh, kw], ints(0, 2, 4, 5, 3, 1)] : [[o / bs, bs, c, kh, kw], ints(0, 2, 3, 4, 1)];
    const attrs: Record<string, Attr> = {};
    for (const k of ['kernel_shape', 'strides', 'pads', 'dilations']) if (nd.attrs[k]) attrs[k] = nd.attrs[k];
    return {
      nodes: [
        node('Reshape', [w, tmp('view')], tmp('w6')),
        node('Transpose', [tmp('w6')], tmp('wt'), { perm }),
        node('Reshape', [tmp('wt'), tmp('wShape')], tmp('wc')),
        ...(blockedInput ? [nchwc('ReorderInput', [x], tmp('xc'))] : []),
        nchwc('Conv', [blockedInput ? tmp('xc') : x, tmp('wc'), ...(b ? [b] : [])], tmp('yc'), attrs),
        nchwc('ReorderOutput', [tmp('yc')], y, { channels: int(o) }),
      ],
      consts: [i64(tmp('view'), view), i64(tmp('wShape'), [o, c, kh, kw])],
    };
  },
  ConvTranspose: (...a) => NCHWC_CONV_TRANSPOSE(...a),
};

/** One output phase r of a transposed convolution along one axis: its kernel taps and the input padding they need. */
interface Phase {
  /** Kernel indices, in the order the phase's correlation reads them (input offset ascending). */
  taps: number[];
  /** Conv pads before/after the input along this axis. */
  before: number;
  after: number;
}

// Output index Y = s·a + r (a = 0..A−1) of a transposed convolution gathers x[i]·w[k] over Y + pad = s·i + k:
// taps k ≡ r + pad (mod s), each reading input i = a + (r + pad − k)/s. As a correlation over x, the taps go in
// ascending input offset d = (r + pad − k)/s, i.e. descending k; the offsets are consecutive integers.
function phase(r: number, s: number, k: number, pad: number, inSize: number, rows: number): Phase | null {
  const taps: number[] = [];
  for (let t = (((r + pad) % s) + s) % s; t < k; t += s) taps.unshift(t);
  if (taps.length === 0) return null;
  const dMin = (r + pad - taps[0]) / s;
  const dMax = (r + pad - taps[taps.length - 1]) / s;
  const before = -dMin;
  const after = rows - 1 + dMax - (inSize - 1);
  return before < 0 || after < 0 ? null : { taps, before, after };
}

/**
 * ConvTranspose as ORT's NCHWc convolutions, one per output phase (sub-pixel): the output pixels (r_h, r_w)
 * modulo the strides are a plain stride-1 correlation of x with the taps of w that land on them (for a 3×3
 * kernel at stride 2: 1×1, 1×2, 2×1 and 2×2), so no multiply-add touches an inserted zero. The phases stay in
 * the blocked layout, are interleaved by one Transpose that moves whole channel blocks, and leave through one
 * ReorderOutput. Measured on the conv VAE's decoder (1 thread, CPU time): 13 vs 20 ms for ConvT 64→64 7→14,
 * 29 vs 37 ms for 64→32 14→28 against ORT's ConvTranspose (per-image Gemm + col2im). Declines (plain
 * ConvTranspose) where the channels do not fit the blocks, a phase has no tap (kernel narrower than the stride),
 * or the padding would need a negative Conv pad.
 */
export const NCHWC_CONV_TRANSPOSE: Lowering = (nd, [x, w, b], y, tmp, { nchwcBlock: bs }) => {
  if (!bs) return null;
  const [n, c, h, wd] = nd.inputs[0].shape;
  const [, o, kh, kw] = nd.inputs[1].shape;
  const [, , ho, wo] = nd.outputs[0].shape;
  const blockedInput = c % bs === 0;
  if (o % bs !== 0 || !(blockedInput || c < bs)) return null;
  const v = (k: string) => (nd.attrs[k] as Extract<Attr, { kind: 'ints' }>).v;
  const [sh, sw] = v('strides');
  const [pt, pl] = v('pads');
  if (nd.attrs.group && (nd.attrs.group as Extract<Attr, { kind: 'int' }>).v !== 1) return null;
  // every phase computes A rows and B columns (the longest phase's); the interleaved s·A × s·B output is cropped to ho × wo
  const rows = Math.ceil(ho / sh);
  const cols = Math.ceil(wo / sw);
  const ph = Array.from({ length: sh }, (_, r) => phase(r, sh, kh, pt, h, rows));
  const pw = Array.from({ length: sw }, (_, r) => phase(r, sw, kw, pl, wd, cols));
  if (ph.some((p) => !p) || pw.some((p) => !p)) return null;
  const nodes: LoweredNode[] = [node('Reshape', [w, tmp('wFlat')], tmp('w3'))];
  const consts = [i64(tmp('wFlat'), [c, o, kh * kw])];
  if (blockedInput) nodes.push(nchwc('ReorderInput', [x], tmp('xc')));
  const outs: string[] = [];
  for (const [ry, py] of ph.entries()) {
    for (const [rx, px] of pw.entries()) {
      const q = (k: string) => tmp(`${k}${ry}_${rx}`);
      const [th, tw] = [py!.taps.length, px!.taps.length];
      // phase weight [C, O, th, tw] (gathered taps), then straight to the kernels' filter layout: OIHWBiBo
      // [O/bs, C/bs, th, tw, ci, co] from [C/bs, ci, O/bs, co, th, tw]; OIHWBo [O/bs, C, th, tw, co] from [C, O/bs, co, th, tw]
      const [view, perm] = blockedInput ? [[c / bs, bs, o / bs, bs, th, tw], ints(2, 0, 4, 5, 1, 3)] : [[c, o / bs, bs, th, tw], ints(1, 0, 3, 4, 2)];
      nodes.push(
        node('Gather', [tmp('w3'), q('idx')], q('wg'), { axis: int(2) }),
        node('Reshape', [q('wg'), q('view')], q('wv')),
        node('Transpose', [q('wv')], q('wt'), { perm }),
        node('Reshape', [q('wt'), q('wShape')], q('wc')),
        nchwc('Conv', [blockedInput ? tmp('xc') : x, q('wc'), ...(b ? [b] : [])], q('y'), {
          kernel_shape: ints(th, tw),
          strides: ints(1, 1),
          pads: ints(py!.before, px!.before, py!.after, px!.after),
        }),
        node('Reshape', [q('y'), tmp('one7')], q('y7')),
      );
      consts.push(i64(q('idx'), py!.taps.flatMap((ty) => px!.taps.map((tx) => ty * kw + tx))), i64(q('view'), view), i64(q('wShape'), [o, c, th, tw]));
      outs.push(q('y7'));
    }
  }
  // phase outputs in memory [N, O/bs, A, B, bs] → stacked [sh, sw, N, O/bs, A, B, bs] → [N, O/bs, A, sh, B, sw, bs]
  const cropped = sh * rows !== ho || sw * cols !== wo;
  nodes.push(
    node('Concat', outs, tmp('cat'), { axis: int(0) }),
    node('Reshape', [tmp('cat'), tmp('stack7')], tmp('s7')),
    node('Transpose', [tmp('s7')], tmp('il'), { perm: ints(2, 3, 4, 0, 5, 1, 6) }),
    node('Reshape', [tmp('il'), tmp('full')], tmp('ilc')),
    nchwc('ReorderOutput', [tmp('ilc')], cropped ? tmp('yFull') : y, { channels: int(o) }),
    ...(cropped ? [node('Slice', [tmp('yFull'), tmp('zeros'), tmp('ends'), tmp('axes')], y)] : []),
  );
  consts.push(i64(tmp('one7'), [1, 1, n, o / bs, rows, cols, bs]), i64(tmp('stack7'), [sh, sw, n, o / bs, rows, cols, bs]), i64(tmp('full'), [n, o, sh * rows, sw * cols]));
  if (cropped) consts.push(i64(tmp('zeros'), [0, 0]), i64(tmp('ends'), [ho, wo]), i64(tmp('axes'), [2, 3]));
  return { nodes, consts };
};
