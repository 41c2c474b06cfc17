import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activeUnits } from '../../src/eval/activeUnits.js';
import { VaekitError } from '../../src/errors.js';

test('per-unit variance over examples (divided by n) against hand-made μ', () => {
  // Unit 0 alternates ±0.5 around 100 (variance 0.25, exact despite the offset); unit 1 is constant
  // (collapsed, 0); unit 2 alternates ±0.05 (0.0025, below 0.01); unit 3 takes 0, 1, 2, 3 (mean 1.5, variance 1.25).
  const n = 4;
  const L = 4;
  const mu = Float32Array.from([
    [100.5, 3, 0.05, 0],
    [99.5, 3, -0.05, 1],
    [100.5, 3, 0.05, 2],
    [99.5, 3, -0.05, 3],
  ].flat());
  const r = activeUnits(mu, n, L);
  const want = [0.25, 0, Math.fround(0.05) ** 2, 1.25];
  want.forEach((v, i) => assert.ok(Math.abs(r.variances[i] - v) < 1e-9, `unit ${i}: ${r.variances[i]} vs ${v}`));
  assert.equal(r.count, 2);
  assert.equal(activeUnits(mu, n, L, 0.001).count, 3);
  assert.equal(activeUnits(mu, n, L, 0.25).count, 1, 'strictly above the threshold');
});

test('one example: nothing varies, no unit is active', () => {
  assert.deepEqual(activeUnits(Float32Array.from([1, 2, 3]), 1, 3), { count: 0, variances: new Float64Array(3) });
});

test('shape and threshold errors are VaekitErrors', () => {
  const isVk = (e: unknown) => e instanceof VaekitError;
  assert.throws(() => activeUnits(new Float32Array(7), 2, 4), isVk);
  assert.throws(() => activeUnits(new Float32Array(0), 0, 4), isVk);
  assert.throws(() => activeUnits(new Float32Array(8), 2, 4, -1), isVk);
});
