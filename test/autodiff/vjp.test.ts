// Every differentiable op's VJP against central finite differences (see helpers/gradcheck.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grad } from '../../src/autodiff/grad.js';
import * as o from '../../src/graph/ops/index.js';
import { Graph, type Tensor } from '../../src/graph/tensor.js';
import { nodeEngine } from '../../src/node.js';
import { gradCheck } from '../helpers/gradcheck.js';

const engine = nodeEngine({ threads: 1 });
const positive = (_i: number, n: number) => Float32Array.from({ length: n }, (_, k) => 0.5 + ((k * 7919) % 13) / 8);

test('elementwise binary ops with broadcasting', async () => {
  await gradCheck([[3, 4], [4]], o.add);
  await gradCheck([[3, 1], [1, 4]], o.sub);
  await gradCheck([[2, 3, 4], [3, 1]], o.mul);
  await gradCheck([[3, 4], [3, 4]], (a, b) => o.div(a, o.add(o.mul(b, b), 1)));
  await gradCheck([[3, 4]], (a) => o.add(a, 2));
  await gradCheck([[3, 4], [4]], o.pow, { init: positive });
});

test('unary ops', async () => {
  for (const f of [o.neg, o.exp, o.softplus, o.sigmoid, o.tanh, o.relu, o.square, o.abs]) await gradCheck([[3, 5]], f);
  await gradCheck([[3, 5]], (x) => o.leakyRelu(x, 0.2));
  // α ≠ 1 makes ELU's slope jump at 0; N(0,1) draws stay away from it at the steps used
  for (const f of [(x: Tensor) => o.elu(x), (x: Tensor) => o.elu(x, 0.7), o.erf, o.gelu]) await gradCheck([[3, 5]], f);
  await gradCheck([[3, 5]], o.log, { init: positive });
  await gradCheck([[3, 5]], o.sqrt, { init: positive });
});

test('reductions: sum, mean, max, logsumexp, softplusSum', async () => {
  await gradCheck([[2, 3, 4]], (x) => o.sum(x, [0, 2]));
  await gradCheck([[2, 3, 4]], (x) => o.sum(x, 1, true));
  await gradCheck([[2, 3, 4]], (x) => o.mean(x, -1));
  await gradCheck([[2, 3, 4, 2]], (x) => o.variance(x, [0, 2, 3], true));
  await gradCheck([[3, 5]], (x) => o.variance(x, 1, false, true));
  await gradCheck([[2, 3, 4]], (x) => o.sumSquares(x, [0, 2]));
  await gradCheck([[4, 3]], (x) => o.sum(x, 0, true));
  await gradCheck([[3, 2, 4]], (x) => o.sum(x, [0, 1]));
  await gradCheck([[3, 12]], (x) => o.softplusSum(x));
  await gradCheck([[2, 3, 7]], (x) => o.softplusSum(x, true));
  await gradCheck([[3, 5]], (x) => o.max(x, 1));
  await gradCheck([[3, 5]], (x) => o.max(x));
  await gradCheck([[3, 5]], (x) => o.logsumexp(x, 1));
  await gradCheck([[2, 3, 4]], (x) => o.logsumexp(x, [0, 2], true));
});

test('shape ops: reshape, transpose, concat, slice, expand, pad', async () => {
  await gradCheck([[2, 6]], (x) => o.mul(o.reshape(x, [3, 4]), o.reshape(x, [3, 4])));
  await gradCheck([[2, 3, 4]], (x) => o.transpose(x, [2, 0, 1]));
  await gradCheck([[2, 3], [2, 2]], (a, b) => o.concat([a, o.exp(b)], 1));
  await gradCheck([[4, 7]], (x) => o.slice(x, [1, 1], [3, 6], [0, 1]));
  await gradCheck([[4, 7]], (x) => o.slice(x, [0, 1], [4, 7], [0, 1], [3, 2]));
  await gradCheck([[3, 1]], (x) => o.expand(x, [2, 3, 4]));
  await gradCheck([[3, 4]], (x) => o.pad(x, [1, -1, 0, 2]));
});

test('matmul (2-D and batched) and gemm with every transposition', async () => {
  await gradCheck([[3, 4], [4, 5]], o.matmul);
  await gradCheck([[2, 3, 4], [4, 2]], o.matmul);
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      const a = transA ? [4, 3] : [3, 4];
      const b = transB ? [5, 4] : [4, 5];
      await gradCheck([a, b, [5]], (x, y, c) => o.gemm(x, y, c, { transA, transB, alpha: 0.7 }));
    }
  }
});

test('where and comparisons route gradients by the condition', async () => {
  await gradCheck([[3, 4], [3, 4], [4]], (c, a, b) => o.where(o.greater(c, 0), a, b));
  await gradCheck([[3, 4]], (x) => o.mul(x, o.cast(o.less(x, 0.3))));
});

test('conv2d and convTranspose2d with stride and padding', async () => {
  await gradCheck([[2, 2, 5, 5], [3, 2, 3, 3], [3]], (x, w, b) => o.conv2d(x, w, b, { stride: 2, pad: 1 }));
  await gradCheck([[2, 3, 3, 3], [3, 2, 4, 4], [2]], (x, w, b) => o.convTranspose2d(x, w, b, { stride: 2, pad: 1 }));
});

// Every spatial setting differs between H and W (kernel, stride, each of the four pads, output padding) and
// sizes leave remainders, so a rule that swaps H and W anywhere, or mixes up top/left/bottom/right pads,
// computes other numbers (or other shapes). Each runs with the CPU lowerings and as plain ONNX ops.
const convCases: [string, number[][], (...t: Tensor[]) => Tensor][] = [
  // H' = ⌊(7+1+2−3)/2⌋+1 = 4 (remainder 1), W' = ⌊(6+0+1−2)/3⌋+1 = 2 (remainder 2)
  ['conv 3x2 kernel, stride (2,3), pads (1,0,2,1)', [[2, 3, 7, 6], [4, 3, 3, 2], [4]], (x, w, b) => o.conv2d(x, w, b, { stride: [2, 3], pad: [1, 0, 2, 1] })],
  ['conv 2x4 kernel, stride (1,2), pads (0,2,1,0)', [[1, 2, 5, 8], [3, 2, 2, 4]], (x, w) => o.conv2d(x, w, undefined, { stride: [1, 2], pad: [0, 2, 1, 0] })],
  // 8 input channels: the weight gradient goes through its Gemm lowering (graph/convLowerings.ts)
  ['conv 8 channels, 2x3 kernel, stride (2,1), pads (0,1,1,0)', [[1, 8, 5, 4], [2, 8, 2, 3], [2]], (x, w, b) => o.conv2d(x, w, b, { stride: [2, 1], pad: [0, 1, 1, 0] })],
  ['conv square input, 1x3 kernel, stride (3,1)', [[2, 2, 6, 6], [2, 2, 1, 3], [2]], (x, w, b) => o.conv2d(x, w, b, { stride: [3, 1], pad: [0, 1, 0, 1] })],
  // H' = 2·2+1+3−1−0 = 7, W' = 3·3+2+2−0−1 = 12
  ['convT 3x2 kernel, stride (2,3), pads (1,0,0,1), output padding (1,2)', [[2, 3, 3, 4], [3, 2, 3, 2], [2]], (x, w, b) => o.convTranspose2d(x, w, b, { stride: [2, 3], pad: [1, 0, 0, 1], outputPadding: [1, 2] })],
  ['convT 4x3 kernel, stride (3,1), pads (0,1,2,0), output padding (2,0)', [[1, 2, 3, 5], [2, 3, 4, 3]], (x, w) => o.convTranspose2d(x, w, undefined, { stride: [3, 1], pad: [0, 1, 2, 0], outputPadding: [2, 0] })],
  ['convT 8 output channels, 3x2 kernel, stride (1,2), output padding (0,1)', [[1, 2, 3, 3], [2, 8, 3, 2]], (x, w) => o.convTranspose2d(x, w, undefined, { stride: [1, 2], pad: [0, 1, 1, 0], outputPadding: [0, 1] })],
  ['convT square input, 2x3 kernel, stride (1,2)', [[2, 2, 4, 4], [2, 2, 2, 3], [2]], (x, w, b) => o.convTranspose2d(x, w, b, { stride: [1, 2], pad: [1, 0, 0, 2], outputPadding: [0, 1] })],
];

for (const [name, shapes, f] of convCases) {
  test(`asymmetric ${name}: gradients of input, weight and bias`, async () => {
    // ORT's Conv kernels are float32-only, so these checks run in float32
    for (const lower of [true, false]) await gradCheck(shapes, f, { lower, tol: 3e-2 });
  });
}

test('max: tied maxima share the cotangent equally (as torch.amax and torch.max() without dim)', async () => {
  // rows with a 2-way tie, a 4-way tie and a 3-way tie; the closed form is r / (number of tied maxima)
  const xv = Float32Array.from([1, 3, 3, 0, 2, 2, 2, 2, 5, -1, 5, 5]);
  const r = Float32Array.from([0.5, -2, 3]);
  const g = new Graph();
  const x = g.input('x', [3, 4]);
  const rr = g.input('r', [3]);
  const [gRow] = grad(o.sum(o.mul(o.max(x, 1), rr)), [x]);
  const [gAll] = grad(o.max(x), [x]);
  const f = await engine.compile(g, { gRow, gAll });
  const out = await f.run({ x: xv, r });
  const want = [0, 0.25, 0.25, 0, -0.5, -0.5, -0.5, -0.5, 1, 0, 1, 1];
  assert.deepEqual([...(out.gRow as Float32Array)], want);
  // over all axes the maximum 5 appears 3 times
  assert.deepEqual([...(out.gAll as Float32Array)], [0, 0, 0, 0, 0, 0, 0, 0, 1 / 3, 0, 1 / 3, 1 / 3].map(Math.fround));
});
