// The gradient checker itself: it skips coordinates on a ReLU kink, still catches wrong gradients next to
// kinks, and runs in float64 where ONNX Runtime can.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as o from '../../src/graph/ops/index.js';
import { gradCheck } from './gradcheck.js';

// 30 values: every third exactly on the kink, the rest 3e-3 away from it (inside a fixed 1e-2 step)
const nearKinks = (_i: number, n: number) => Float32Array.from({ length: n }, (_, k) => (k % 3 === 0 ? 0 : (k % 2 ? 3e-3 : -3e-3)));

test('relu next to and on its kink: on-kink coordinates are skipped, the others checked in float64', async () => {
  const r = await gradCheck([[3, 10]], o.relu, { init: nearKinks, maxSkipped: 0.4 });
  assert.equal(r.precision, 'float64');
  assert.equal(r.skipped, 10);
  assert.equal(r.checked, 20);
});

test('a wrong gradient is caught, also when half the coordinates sit on kinks', async () => {
  // d/dx [x · stopGradient(x)] is 2x, the graph says x
  const wrong = (x: import('../../src/graph/tensor.js').Tensor) => o.add(o.relu(x), o.mul(x, o.stopGradient(x)));
  await assert.rejects(gradCheck([[4, 5]], wrong), /analytic .* vs finite difference/);
  await assert.rejects(gradCheck([[3, 10]], wrong, { init: (_i, n) => Float32Array.from({ length: n }, (_, k) => (k % 2 ? 0 : 0.5 + k / 10)), maxSkipped: 0.6 }), /analytic .* vs finite difference/);
});

test('too many kinks fail the check rather than pass it silently', async () => {
  await assert.rejects(gradCheck([[2, 5]], o.relu, { init: (_i, n) => new Float32Array(n) }), /sit on kinks/);
});
