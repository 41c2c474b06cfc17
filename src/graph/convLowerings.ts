import { type Lowered, type LoweredConst, type LoweredNode, type Lowering, i64, int, ints, node } from './lowered.js';
import { type Attr, type Node } from './tensor.js';

// The weight gradient of a convolution as one MatMul-shaped product over im2col (see CONV_LOWERINGS for why
// only that one). Images go channel-last ([N, H·W, C]) so the im2col is one Gather of C-value runs.

/** Emits ONNX nodes with names unique to the lowered node. */
class Emitter {
  readonly nodes: LoweredNode[] = [];
  readonly consts: LoweredConst[] = [];
  private k = 0;
  constructor(private readonly tmp: (k: string) => string) {}

  op(opType: string, inputs: string[], attrs?: Record<string, Attr>, out?: string): string {
    const o = out ?? this.tmp(`${opType}${this.k++}`);
    this.nodes.push(node(opType, inputs, o, attrs));
    return o;
  }
  i64(v: number[]): string {
    const name = this.tmp(`c${this.k++}`);
    this.consts.push(i64(name, v));
    return name;
  }
  f32(v: number): string {
    const name = this.tmp(`c${this.k++}`);
    this.consts.push({ name, dtype: 'float32', shape: [], data: new Float32Array([v]) });
    return name;
  }
  reshape(x: string, shape: number[], out?: string): string {
    return this.op('Reshape', [x, this.i64(shape)], undefined, out);
  }
  transpose(x: string, perm: number[], out?: string): string {
    return this.op('Transpose', [x], { perm: ints(...perm) }, out);
  }
  done(): Lowered {
    return { nodes: this.nodes, consts: this.consts };
  }
}

const attrInts = (n: Node, k: string, d: number[]): number[] => (n.attrs[k] as Extract<Attr, { kind: 'ints' }> | undefined)?.v ?? d;

/** Geometry of a 2-D window: kernel, stride, dilation, pads [top, left, bottom, right]. */
interface Window {
  k: [number, number];
  s: [number, number];
  d: [number, number];
  pads: number[];
}

/**
 * x [N,C,H,W] as channel-last rows [N, H·W (+1), C] for a Gather over positions; with `zeroRow`, row H·W is
 * zeros, the target of every index that falls in the padding (cheaper than ORT's Pad, which copies value by value).
 */
function positions(e: Emitter, x: string, [n, c, h, w]: readonly number[], zeroRow: boolean): string {
  const rows = e.reshape(e.transpose(x, [0, 2, 3, 1]), [n, h * w, c]);
  return zeroRow ? e.op('Concat', [rows, e.op('Expand', [e.f32(0), e.i64([n, 1, c])])], { axis: int(1) }) : rows;
}

/** Gathers rows of `positions` (index −1 = the zero row) into a [rows, taps·C] matrix, one Gather in all. */
function gatherRows(e: Emitter, pos: string, idx: number[], [n, c, h, w]: readonly number[], rows: number, taps: number): string {
  const cols = e.op('Gather', [pos, e.i64(idx.map((i) => (i < 0 ? h * w : i)))], { axis: int(1) });
  return e.reshape(cols, [n * rows, taps * c]);
}

/**
 * im2col of x [N,C,H,W] for an ho×wo output: [N·ho·wo, kh·kw·C], row (n, i, j), column (ky, kx, c) holding
 * x_padded[n, c, i·sh + ky·dh − pt, j·sw + kx·dw − pl]. Images go channel-last first, so one Gather over the
 * positions copies whole runs of C channels per index (ORT's strided Slice copies value by value).
 */
function im2col(e: Emitter, x: string, shape: readonly number[], win: Window, ho: number, wo: number): string {
  const [, , h, w] = shape;
  const [kh, kw] = win.k;
  const [sh, sw] = win.s;
  const [dh, dw] = win.d;
  const [pt, pl] = win.pads;
  const idx: number[] = [];
  for (let i = 0; i < ho; i++) {
    for (let j = 0; j < wo; j++) {
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          const r = i * sh + ky * dh - pt;
          const q = j * sw + kx * dw - pl;
          idx.push(r >= 0 && r < h && q >= 0 && q < w ? r * w + q : -1);
        }
      }
    }
  }
  return gatherRows(e, positions(e, x, shape, idx.includes(-1)), idx, shape, ho * wo, kh * kw);
}

// Which channel counts are worth an im2col Gather: it copies runs of C values per index, and with few channels
// (the one grey input channel) ORT's Gather copies value by value; the plain dilated Conv was faster there.
const MIN_GATHER_CHANNELS = 8;

/**
 * Lowerings of convolution ops (merged into LOWERINGS). Only the weight gradient: measured with 1 thread in CPU
 * time on the conv VAE's layers (bench:conv-layers), ORT's own Conv and ConvTranspose kernels ran forward and
 * input gradients as fast as or faster than im2col/col2im + Gemm graphs (7.0 vs 8.0 ms for Conv 32→64 at 14×14,
 * 31 vs 52 ms for ConvTranspose 64→32 at 14×14), while ORT has no kernel for the weight gradient: its plain form,
 * a dilated Conv with the batch as channels, took 1.6–2× the time of one Gemm over im2col.
 */
export const CONV_LOWERINGS: Record<string, Lowering> = {
  // gw[O, kh·kw·C] = gy[O, N·ho·wo] · im2col(x): the reduction runs over batch and positions in one Gemm
  ConvFilterGrad: (nd, [x, gy], y, tmp) => {
    const [n, c, h, wd] = nd.inputs[0].shape;
    if (c < MIN_GATHER_CHANNELS) return null;
    const e = new Emitter(tmp);
    const [, o, ho, wo] = nd.inputs[1].shape;
    const [kh, kw] = attrInts(nd, 'kernel_shape', []);
    const win: Window = { k: [kh, kw], s: attrInts(nd, 'strides', [1, 1]) as [number, number], d: [1, 1], pads: attrInts(nd, 'pads', [0, 0, 0, 0]) };
    const cols = im2col(e, x, [n, c, h, wd], win, ho, wo);
    // gy as [O, N·ho·wo] (a Transpose moving whole rows; Gemm's transA packs far slower, measured 2.5×)
    const g2 = e.reshape(e.transpose(gy, [1, 0, 2, 3]), [o, n * ho * wo]);
    const prod = e.reshape(e.op('Gemm', [g2, cols]), [o, kh, kw, c]);
    e.transpose(prod, [0, 3, 1, 2], y);
    return e.done();
  },
};
