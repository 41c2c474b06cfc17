// quantile against NumPy's default (linear, type 7) on hand-checked values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VaekitError } from '../../src/errors.js';
import { quantile } from '../../src/eval/quantile.js';

test('quantile interpolates linearly between order statistics like numpy.quantile', () => {
  assert.equal(quantile([4, 1, 3, 2], 0.5), 2.5); // np.quantile([4,1,3,2], .5)
  assert.equal(quantile([10, 30, 20], 0.25), 15);
  assert.equal(quantile([10, 30, 20], 0), 10);
  assert.equal(quantile([10, 30, 20], 1), 30);
  assert.ok(Math.abs(quantile(Float32Array.from({ length: 2000 }, (_, i) => i), 0.9) - 1799.1) < 1e-9);
});

test('quantile refuses empty input, NaN and q outside [0, 1]', () => {
  assert.throws(() => quantile([], 0.5), VaekitError);
  assert.throws(() => quantile([1, NaN], 0.5), VaekitError);
  assert.throws(() => quantile([1, 2], 1.5), VaekitError);
});
