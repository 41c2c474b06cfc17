// Values of the activations and statistics the layers use, against closed forms computed here in float64.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { elu, gelu, variance } from '../../src/graph/ops/index.js';
import { Graph } from '../../src/graph/tensor.js';
import { nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';

const engine = nodeEngine({ threads: 1 });

test('gelu(x) = x·Φ(x) at points where the standard normal CDF Φ is tabulated', async () => {
  // Φ to 16 digits (e.g. scipy.stats.norm.cdf); gelu(−x) = −x·(1 − Φ(x))
  const phi: [number, number][] = [[0, 0.5], [0.5, 0.6914624612740131], [1, 0.8413447460685429], [2, 0.9772498680518208], [3, 0.9986501019683699]];
  const xs = phi.flatMap(([x]) => [x, -x]);
  const want = phi.flatMap(([x, p]) => [x * p, -x * (1 - p)]);
  const g = new Graph();
  const x = g.input('x', [xs.length]);
  const f = await engine.compile(g, { y: gelu(x) });
  const y = (await f.run({ x: Float32Array.from(xs) })).y as Float32Array;
  want.forEach((w, i) => assert.ok(Math.abs(y[i] - w) < 2e-6, `gelu(${xs[i]}) = ${y[i]}, want ${w}`));
});

test('elu(x, α) = x for x > 0 and α·(eˣ − 1) otherwise', async () => {
  const xs = [-20, -3, -1, -1e-3, 0, 1e-3, 0.5, 4];
  const g = new Graph();
  const x = g.input('x', [xs.length]);
  const f = await engine.compile(g, { a: elu(x), b: elu(x, 0.3) });
  const r = await f.run({ x: Float32Array.from(xs) });
  xs.forEach((v, i) => {
    for (const [k, alpha] of [['a', 1], ['b', 0.3]] as const) {
      const want = v > 0 ? v : alpha * Math.expm1(v);
      assert.ok(Math.abs((r[k] as Float32Array)[i] - want) < 1e-6 * Math.max(1, Math.abs(want)), `elu(${v}, ${alpha})`);
    }
  });
});

test('variance over batch-norm axes, biased and unbiased, against a float64 two-pass sum', async () => {
  const [B, C, H, W] = [4, 3, 2, 5];
  const xs = new Prng(3).normals(new Float32Array(B * C * H * W)).map((v, i) => v * 2 + (i % 7));
  const g = new Graph();
  const x = g.input('x', [B, C, H, W]);
  const f = await engine.compile(g, { v: variance(x, [0, 2, 3]), u: variance(x, [0, 2, 3], true, true) });
  const r = await f.run({ x: xs });
  assert.deepEqual(f.outputs.u.shape, [1, C, 1, 1]);
  for (let c = 0; c < C; c++) {
    const vals: number[] = [];
    for (let b = 0; b < B; b++) for (let k = 0; k < H * W; k++) vals.push(xs[(b * C + c) * H * W + k]);
    const m = vals.reduce((a, v) => a + v, 0) / vals.length;
    const ss = vals.reduce((a, v) => a + (v - m) ** 2, 0);
    assert.ok(Math.abs((r.v as Float32Array)[c] - ss / vals.length) < 1e-4, `biased variance of channel ${c}`);
    assert.ok(Math.abs((r.u as Float32Array)[c] - ss / (vals.length - 1)) < 1e-4, `unbiased variance of channel ${c}`);
  }
});

test('variance refuses an unbiased estimate from one value per group', () => {
  const g = new Graph();
  assert.throws(() => variance(g.input('x', [1, 4]), 0, false, true), /variance: the unbiased variance needs at least 2 values per group, got 1/);
});
