// Every weighted or non-trivial layer, as config.json describes it and sequential() builds it through the
// scope, against finite differences (the input, a conditioning row and every parameter), plus the forward
// of the asymmetric convolutions against direct loops in float64: non-square kernels, per-axis strides,
// four different paddings, output padding, sizes that strides do not divide.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { constant } from '../../src/graph/ops/index.js';
import { Graph, type Tensor } from '../../src/graph/tensor.js';
import { LayerSpecSchema, type LayerSpecInput } from '../../src/nn/layerSpec.js';
import { bindScope, collectParams, initParams } from '../../src/nn/scope.js';
import { sequential } from '../../src/nn/sequential.js';
import { nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';
import { gradCheck, type GradCheckOptions } from '../helpers/gradcheck.js';

const engine = nodeEngine({ threads: 1 });

interface LayerCase extends GradCheckOptions {
  x: number[];
  cond?: number[];
  training?: boolean;
  /** Parameter names and shapes the layer must declare. */
  params: Record<string, number[]>;
}

/** Running statistics for evaluation graphs: means N(0, ½), variances in [0.5, 1.5]. */
function bufferValue(name: string, n: number, rng: Prng): Float32Array {
  return Float32Array.from({ length: n }, () => (name.endsWith('running_var') ? 0.5 + rng.uniform() : 0.7 * rng.normal()));
}

/** Finite-difference check of one layer list through the scope, w.r.t. x, cond and every trained parameter. */
async function checkLayers(layers: LayerSpecInput[], c: LayerCase): Promise<void> {
  const specs = LayerSpecSchema.array().parse(layers);
  const apply = (s: Parameters<typeof sequential>[0], x: Tensor, cond?: Tensor) => sequential(s, x, specs, 'test', { cond });
  const declared = collectParams((s, g) => apply(s, g.input('x', c.x), c.cond && g.input('cond', c.cond)));
  const params = Object.entries(declared).filter(([, s]) => s.kind === 'param');
  assert.deepEqual(Object.fromEntries(params.map(([k, s]) => [k, s.shape])), c.params);
  const buffers = Object.entries(declared).filter(([, s]) => s.kind === 'buffer');
  const rng = new Prng(3);
  const bufferValues = buffers.map(([k, s]) => bufferValue(k, s.shape.reduce((a, b) => a * b, 1), rng));
  const lead = c.cond ? 2 : 1;
  await gradCheck([c.x, ...(c.cond ? [c.cond] : []), ...params.map(([, s]) => s.shape)], (...ts) => {
    const g = ts[0].graph;
    const p: Record<string, Tensor> = {};
    params.forEach(([k], i) => (p[k] = ts[lead + i]));
    buffers.forEach(([k, s], i) => (p[k] = constant(g, bufferValues[i], s.shape)));
    return apply(bindScope(p, c.training ?? true).scope, ts[0], c.cond ? ts[1] : undefined);
  }, c);
}

test('dense with a conditioning row: gradients of x, the label row, weight [units, in + K] and bias', async () => {
  await checkLayers([{ type: 'dense', units: 5 }], { x: [3, 4], cond: [3, 2], params: { '0.weight': [5, 6], '0.bias': [5] } });
});

test('batch norm in training mode (batch statistics), [B, C] and [B, C, H, W]; and in evaluation mode', async () => {
  await checkLayers([{ type: 'batchNorm' }], { x: [5, 3], params: { '0.weight': [3], '0.bias': [3] } });
  await checkLayers([{ type: 'batchNorm', eps: 1e-3 }], { x: [2, 3, 3, 2], params: { '0.weight': [3], '0.bias': [3] } });
  await checkLayers([{ type: 'batchNorm' }], { x: [2, 3, 2, 2], training: false, params: { '0.weight': [3], '0.bias': [3] } });
});

test('layer norm over every non-batch axis', async () => {
  await checkLayers([{ type: 'layerNorm' }], { x: [3, 5], params: { '0.weight': [5], '0.bias': [5] } });
  await checkLayers([{ type: 'layerNorm' }], { x: [2, 2, 3, 2], params: { '0.weight': [2, 3, 2], '0.bias': [2, 3, 2] } });
});

test('elu (α = 0.7, away from its kink at 0) and gelu after a dense layer', async () => {
  // x kept ≥ 0.3 from 0 on both sides, and the dense weights small, so no finite difference straddles the kink
  const awayFromZero = (i: number, n: number, rng: Prng) => Float32Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : 1) * (0.3 + rng.uniform()));
  await checkLayers([{ type: 'elu', alpha: 0.7 }], { x: [3, 6], params: {}, init: awayFromZero });
  await checkLayers([{ type: 'gelu' }], { x: [3, 6], params: {} });
  await checkLayers([{ type: 'dense', units: 4 }, { type: 'gelu' }], { x: [3, 5], params: { '0.weight': [4, 5], '0.bias': [4] } });
});

const conv: LayerSpecInput = { type: 'conv2d', filters: 3, kernel: [2, 3], stride: [2, 1], padding: [0, 1, 1, 2] };
const convT: LayerSpecInput = { type: 'convTranspose2d', filters: 3, kernel: [3, 2], stride: [2, 3], padding: [1, 0, 0, 1], outputPadding: [1, 2] };

test('conv2d with a 2×3 kernel, strides (2, 1), paddings top 0 left 1 bottom 1 right 2, on 7×6', async () => {
  await checkLayers([conv], { x: [2, 2, 7, 6], params: { '0.weight': [3, 2, 2, 3], '0.bias': [3] }, tol: 3e-2 });
});

test('convTranspose2d with a 3×2 kernel, strides (2, 3), paddings 1 0 0 1, output padding (1, 2), on 3×4', async () => {
  await checkLayers([convT], { x: [2, 2, 3, 4], params: { '0.weight': [2, 3, 3, 2], '0.bias': [3] }, tol: 3e-2 });
});

// ---- forward values against direct loops
type Quad = [number, number, number, number];
function conv2dRef(x: Float32Array, [N, C, H, W]: number[], w: Float32Array, b: Float32Array, F: number, [kh, kw]: number[], [sh, sw]: number[], [pt, pl, pb, pr]: Quad) {
  const Ho = Math.floor((H + pt + pb - kh) / sh) + 1, Wo = Math.floor((W + pl + pr - kw) / sw) + 1;
  const y = new Float64Array(N * F * Ho * Wo);
  for (let n = 0; n < N; n++) for (let f = 0; f < F; f++) for (let i = 0; i < Ho; i++) for (let j = 0; j < Wo; j++) {
    let s = b[f];
    for (let c = 0; c < C; c++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) {
      const r = i * sh - pt + u, q = j * sw - pl + v;
      if (r >= 0 && r < H && q >= 0 && q < W) s += x[((n * C + c) * H + r) * W + q] * w[((f * C + c) * kh + u) * kw + v];
    }
    y[((n * F + f) * Ho + i) * Wo + j] = s;
  }
  return { y, shape: [N, F, Ho, Wo] };
}
function convT2dRef(x: Float32Array, [N, C, H, W]: number[], w: Float32Array, b: Float32Array, F: number, [kh, kw]: number[], [sh, sw]: number[], [pt, pl, pb, pr]: Quad, [oh, ow]: number[]) {
  const Ho = sh * (H - 1) + oh + kh - pt - pb, Wo = sw * (W - 1) + ow + kw - pl - pr;
  const y = new Float64Array(N * F * Ho * Wo);
  for (let n = 0; n < N; n++) for (let f = 0; f < F; f++) y.fill(b[f], (n * F + f) * Ho * Wo, (n * F + f + 1) * Ho * Wo);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) {
    for (let f = 0; f < F; f++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) {
      const r = i * sh - pt + u, q = j * sw - pl + v;
      if (r >= 0 && r < Ho && q >= 0 && q < Wo) y[((n * F + f) * Ho + r) * Wo + q] += x[((n * C + c) * H + i) * W + j] * w[((c * F + f) * kh + u) * kw + v];
    }
  }
  return { y, shape: [N, F, Ho, Wo] };
}

async function forward(layer: LayerSpecInput, xShape: number[]) {
  const specs = LayerSpecSchema.array().parse([layer]);
  const decl = collectParams((s, g) => sequential(s, g.input('x', xShape), specs, 'test'));
  const params = initParams(decl, new Prng(8));
  const g = new Graph();
  const p = Object.fromEntries(Object.entries(decl).map(([k, s]) => [k, g.input(k, s.shape)]));
  const x = g.input('x', xShape);
  const y = sequential(bindScope(p, false).scope, x, specs, 'test');
  const xv = new Prng(9).normals(new Float32Array(x.size));
  const r = await (await engine.compile(g, { y }, 'fwd')).run({ ...params, x: xv });
  return { y: r.y as Float32Array, shape: y.shape, x: xv, w: params['0.weight'], b: params['0.bias'] };
}

test('asymmetric conv2d and convTranspose2d forward values equal direct loops', async () => {
  const a = await forward(conv, [2, 2, 7, 6]);
  const ra = conv2dRef(a.x, [2, 2, 7, 6], a.w, a.b, 3, [2, 3], [2, 1], [0, 1, 1, 2]);
  assert.deepEqual(a.shape, ra.shape);
  assert.deepEqual(ra.shape, [2, 3, 4, 7]);
  ra.y.forEach((v, i) => assert.ok(Math.abs(v - a.y[i]) < 1e-5, `conv2d element ${i}: ${a.y[i]} vs ${v}`));
  const t = await forward(convT, [2, 2, 3, 4]);
  const rt = convT2dRef(t.x, [2, 2, 3, 4], t.w, t.b, 3, [3, 2], [2, 3], [1, 0, 0, 1], [1, 2]);
  assert.deepEqual(t.shape, rt.shape);
  assert.deepEqual(rt.shape, [2, 3, 7, 12]);
  rt.y.forEach((v, i) => assert.ok(Math.abs(v - t.y[i]) < 1e-5, `convTranspose2d element ${i}: ${t.y[i]} vs ${v}`));
});
