import { type Lowered, type LoweredConst, type LoweredNode, type Lowering, i64, int, ints, node } from './lowered.js';
import { type Attr, type Node } from './tensor.js';

// Convolutions as one large MatMul-shaped product (im2col / col2im). ORT's CPU Conv and ConvTranspose with
// weights fed as graph inputs (nothing pre-packed) ran at 3–17 GFLOP/s on the conv VAE's layers, against
// ≈390 GFLOP/s for an MLAS sgemm; the same arithmetic as one Gemm over all images runs near the latter.
// Internally images are channel-major, [C, N, H, W], so a conv is W[O, C·kh·kw] · cols[C·kh·kw, N·H'·W'].

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
  /** Pads (or, with negative values, crops) with zeros; a no-op is skipped. */
  pad(x: string, pads: number[]): string {
    return pads.every((p) => p === 0) ? x : this.op('Pad', [x, this.i64(pads)]);
  }
  slice(x: string, starts: number[], ends: number[], axes: number[], steps: number[]): string {
    return this.op('Slice', [x, this.i64(starts), this.i64(ends), this.i64(axes), this.i64(steps)]);
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

/**
 * A transposed convolution as one Gemm per output phase (sub-pixel form): output row R = i·sh + ky − pt reads
 * only kernel rows ky ≡ R + pt (mod sh). For phase (ph, pw), canvas cell (q, r) = Σ_{a,b,c} x[c, q − a, r − b] ·
 * w[c, o, ph + sh·a, pw + sw·b]: an im2col of x times a strided slice of the kernel, so no product is spent on
 * the zeros a stride inserts. The phases interleave by two Concats into a channel-last canvas.
 */
function subPixel(e: Emitter, x: string, w: string, shape: readonly number[], o: number, win: Window, ho: number, wo: number): string {
  const [n, c, h, wd] = shape;
  const [kh, kw] = win.k;
  const [sh, sw] = win.s;
  const [pt, pl] = win.pads;
  const qh = h - 1 + Math.ceil(kh / sh);
  const qw = wd - 1 + Math.ceil(kw / sw);
  const pos = positions(e, x, shape, true);
  const rows: string[] = [];
  for (let ph = 0; ph < sh; ph++) {
    const planes: string[] = [];
    for (let pw = 0; pw < sw; pw++) {
      const a = Math.ceil((kh - ph) / sh);
      const b = Math.ceil((kw - pw) / sw);
      let plane: string;
      if (a <= 0 || b <= 0) plane = e.op('Expand', [e.f32(0), e.i64([n, qh, 1, qw, 1, o])]); // kernel narrower than the stride
      else {
        const idx: number[] = [];
        for (let q = 0; q < qh; q++) for (let r = 0; r < qw; r++) for (let ta = 0; ta < a; ta++) for (let tb = 0; tb < b; tb++) {
          const i = q - ta;
          const j = r - tb;
          idx.push(i >= 0 && i < h && j >= 0 && j < wd ? i * wd + j : -1);
        }
        const cols = gatherRows(e, pos, idx, shape, qh * qw, a * b);
        // w[c, o, ph + sh·a, pw + sw·b] as [(a, b, c), o]
        const sub = e.slice(w, [ph, pw], [kh, kw], [2, 3], [sh, sw]);
        const wm = e.reshape(e.transpose(sub, [2, 3, 0, 1]), [a * b * c, o]);
        plane = e.reshape(e.op('Gemm', [cols, wm]), [n, qh, 1, qw, 1, o]);
      }
      planes.push(plane);
    }
    rows.push(planes.length === 1 ? planes[0] : e.op('Concat', planes, { axis: int(4) }));
  }
  const canvas = e.reshape(rows.length === 1 ? rows[0] : e.op('Concat', rows, { axis: int(2) }), [n, qh * sh, qw * sw, o]);
  // output row oy is canvas row oy + pt; rows past the canvas (output padding) are zeros
  const endH = pt + ho;
  const endW = pl + wo;
  if (endH <= qh * sh && endW <= qw * sw) return e.slice(canvas, [pt, pl], [endH, endW], [1, 2], [1, 1]);
  return e.pad(canvas, [0, -pt, -pl, 0, 0, endH - qh * sh, endW - qw * sw, 0]);
}

/** Lowerings of Conv, ConvTranspose and ConvFilterGrad (merged into LOWERINGS). */
export const CONV_LOWERINGS: Record<string, Lowering> = {
  // y[N·ho·wo, O] = im2col(x) · W[O, kh·kw·C]ᵀ (+ b), one Gemm over the whole batch
  Conv: (nd, [x, w, b], y, tmp) => {
    const e = new Emitter(tmp);
    const [n, c, h, wd] = nd.inputs[0].shape;
    const [o, , kh, kw] = nd.inputs[1].shape;
    const [, , ho, wo] = nd.outputs[0].shape;
    const win: Window = { k: [kh, kw], s: attrInts(nd, 'strides', [1, 1]) as [number, number], d: attrInts(nd, 'dilations', [1, 1]) as [number, number], pads: attrInts(nd, 'pads', [0, 0, 0, 0]) };
    const cols = im2col(e, x, [n, c, h, wd], win, ho, wo);
    const gemmIn = [cols, e.reshape(e.transpose(w, [0, 2, 3, 1]), [o, kh * kw * c])];
    if (b) gemmIn.push(b);
    const prod = e.op('Gemm', gemmIn, { transB: int(1) });
    e.transpose(e.reshape(prod, [n, ho, wo, o]), [0, 3, 1, 2], y);
    return e.done();
  },
  // channel-last sub-pixel Gemm (+ b), back to [N, O, ho, wo]
  ConvTranspose: (nd, [x, w, b], y, tmp) => {
    const e = new Emitter(tmp);
    const [, o, kh, kw] = nd.inputs[1].shape;
    const [, , ho, wo] = nd.outputs[0].shape;
    const win: Window = { k: [kh, kw], s: attrInts(nd, 'strides', [1, 1]) as [number, number], d: [1, 1], pads: attrInts(nd, 'pads', [0, 0, 0, 0]) };
    const out = subPixel(e, x, w, nd.inputs[0].shape, o, win, ho, wo);
    e.transpose(b ? e.op('Add', [out, b]) : out, [0, 3, 1, 2], y);
    return e.done();
  },
  // gw[O, kh·kw·C] = gy[N·ho·wo, O]ᵀ · im2col(x): the reduction runs over batch and positions in one Gemm
  ConvFilterGrad: (nd, [x, gy], y, tmp) => {
    const e = new Emitter(tmp);
    const [n, c, h, wd] = nd.inputs[0].shape;
    const [, o, ho, wo] = nd.inputs[1].shape;
    const [kh, kw] = attrInts(nd, 'kernel_shape', []);
    const win: Window = { k: [kh, kw], s: attrInts(nd, 'strides', [1, 1]) as [number, number], d: [1, 1], pads: attrInts(nd, 'pads', [0, 0, 0, 0]) };
    const cols = im2col(e, x, [n, c, h, wd], win, ho, wo);
    const g2 = e.reshape(e.transpose(gy, [0, 2, 3, 1]), [n * ho * wo, o]);
    const prod = e.reshape(e.op('Gemm', [g2, cols], { transA: int(1) }), [o, kh, kw, c]);
    e.transpose(prod, [0, 3, 1, 2], y);
    return e.done();
  },
};
