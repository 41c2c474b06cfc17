// Ops that serialize to several ONNX nodes (graph/lowerings.ts) give the values of their definition,
// computed independently in float64, including where the lowering takes a different route.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concat, softplusSum, sum } from '../../src/graph/ops/index.js';
import { Graph } from '../../src/graph/tensor.js';
import { toOnnx } from '../../src/graph/serialize.js';
import { nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';

const engine = nodeEngine({ threads: 1 });
const rng = new Prng(5);
const softplus64 = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));

test('softplusSum matches Σ softplus in float64 for row lengths with and without a group divisor', async () => {
  // 784 = 14 groups of 56; 97 is prime (groups of one); 128 = 2 × 64
  for (const [rows, n] of [[3, 784], [2, 97], [4, 128]]) {
    const g = new Graph();
    const x = g.input('x', [rows, n]);
    const f = await engine.compile(g, { y: softplusSum(x), k: softplusSum(x, true) });
    const extremes = [0, -100, 100, -40, 40, 1e-7, -1e-7, 88, -88];
    const xs = Float32Array.from({ length: rows * n }, (_, i) => (i < extremes.length ? extremes[i] : rng.normal() * 4));
    const r = await f.run({ x: xs });
    assert.deepEqual(f.outputs.k.shape, [rows, 1]);
    for (let b = 0; b < rows; b++) {
      let ref = 0, scale = 0;
      for (let d = 0; d < n; d++) {
        ref += softplus64(xs[b * n + d]);
        scale += Math.abs(softplus64(xs[b * n + d])) + 1;
      }
      const got = (r.y as Float32Array)[b];
      assert.ok(Math.abs(got - ref) < 2e-6 * scale, `[${rows},${n}] row ${b}: ${got} vs ${ref}`);
      assert.equal((r.k as Float32Array)[b], got);
    }
  }
});

test('sums over leading axes (bias gradients) lower to a ones-row MatMul with the same values', async () => {
  const g = new Graph();
  const x = g.input('x', [6, 5, 7]);
  const outs = { lead1: sum(x, 0, true), lead2: sum(x, [0, 1]), middle: sum(x, 1), all: sum(x) };
  const f = await engine.compile(g, outs);
  const text = new TextDecoder('latin1').decode(toOnnx(g, outs));
  assert.ok(text.includes('MatMul'), 'leading-axis sums use MatMul');
  const xs = rng.normals(new Float32Array(6 * 5 * 7));
  const r = await f.run({ x: xs });
  const at = (i: number, j: number, k: number) => xs[(i * 5 + j) * 7 + k];
  const close = (got: number, ref: number, what: string) => assert.ok(Math.abs(got - ref) < 1e-5, `${what}: ${got} vs ${ref}`);
  for (let j = 0; j < 5; j++) for (let k = 0; k < 7; k++) {
    let s = 0;
    for (let i = 0; i < 6; i++) s += at(i, j, k);
    close((r.lead1 as Float32Array)[j * 7 + k], s, `lead1[${j},${k}]`);
  }
  for (let k = 0; k < 7; k++) {
    let s = 0;
    for (let i = 0; i < 6; i++) for (let j = 0; j < 5; j++) s += at(i, j, k);
    close((r.lead2 as Float32Array)[k], s, `lead2[${k}]`);
  }
  for (let i = 0; i < 6; i++) for (let k = 0; k < 7; k++) {
    let s = 0;
    for (let j = 0; j < 5; j++) s += at(i, j, k);
    close((r.middle as Float32Array)[i * 7 + k], s, `middle[${i},${k}]`);
  }
  close((r.all as Float32Array)[0], xs.reduce((a, b) => a + b, 0), 'all');
});

test('sums over leading and trailing axes (conv bias gradients) lower to a row sum and a ones-row MatMul', async () => {
  const g = new Graph();
  const x = g.input('x', [4, 3, 5, 2]);
  const outs = { bias: sum(x, [0, 2, 3]), keep: sum(x, [0, 3], true) };
  const f = await engine.compile(g, outs);
  assert.ok(new TextDecoder('latin1').decode(toOnnx(g, outs)).includes('MatMul'));
  const xs = rng.normals(new Float32Array(4 * 3 * 5 * 2));
  const r = await f.run({ x: xs });
  const at = (a: number, b: number, c: number, d: number) => xs[((a * 3 + b) * 5 + c) * 2 + d];
  for (let b = 0; b < 3; b++) {
    let s = 0;
    for (let a = 0; a < 4; a++) for (let c = 0; c < 5; c++) for (let d = 0; d < 2; d++) s += at(a, b, c, d);
    assert.ok(Math.abs((r.bias as Float32Array)[b] - s) < 1e-5, `bias[${b}]`);
    for (let c = 0; c < 5; c++) {
      let t = 0;
      for (let a = 0; a < 4; a++) for (let d = 0; d < 2; d++) t += at(a, b, c, d);
      assert.ok(Math.abs((r.keep as Float32Array)[b * 5 + c] - t) < 1e-5, `keep[${b},${c}]`);
    }
  }
  assert.deepEqual(f.outputs.keep.shape, [1, 3, 5, 1]);
});

test('a Concat of 50 tensors is a tree of Concats with at most 7 inputs (WebGPU binds 8 buffers), same values', async () => {
  const g = new Graph();
  const xs = Array.from({ length: 50 }, (_, i) => g.input(`x${i}`, [2, 1 + (i % 3)]));
  const f = await engine.compile(g, { y: concat(xs, 1) });
  const fan = g.nodes.filter((n) => n.op === 'Concat').map((n) => n.inputs.length);
  assert.ok(Math.max(...fan) <= 7, `Concat fan-in ${Math.max(...fan)}`);
  const feeds = Object.fromEntries(xs.map((t, i) => [`x${i}`, Float32Array.from({ length: t.shape[0] * t.shape[1] }, () => rng.normal())]));
  const r = await f.run(feeds);
  // row b of the result: row b of each input, in order
  const want = [0, 1].flatMap((b) => xs.flatMap((t, i) => Array.from(feeds[`x${i}`].subarray(b * t.shape[1], (b + 1) * t.shape[1]))));
  assert.deepEqual(Array.from(r.y as Float32Array), want);
});
