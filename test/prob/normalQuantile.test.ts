// Φ⁻¹ against reference values (R's qnorm, 16 digits) and its symmetry Φ⁻¹(1−p) = −Φ⁻¹(p).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VaekitError } from '../../src/errors.js';
import { normalQuantile } from '../../src/prob/normalQuantile.js';

const QNORM: [number, number][] = [
  [0.5, 0],
  [0.975, 1.959963984540054],
  [0.75, 0.6744897501960817],
  [0.9, 1.281551565544601],
  [0.02, -2.053748910631823], // lower-tail branch
  [0.001, -3.090232306167813],
  [1e-10, -6.361340902404056],
];

test('normalQuantile matches qnorm to 1e-8 relative, in the centre and both tails', () => {
  for (const [p, z] of QNORM) {
    assert.ok(Math.abs(normalQuantile(p) - z) <= 1e-8 * Math.max(1, Math.abs(z)), `Φ⁻¹(${p}) = ${normalQuantile(p)}, want ${z}`);
    assert.ok(Math.abs(normalQuantile(1 - p) + z) <= 1e-8 * Math.max(1, Math.abs(z)), `Φ⁻¹(${1 - p})`);
  }
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
});

test('normalQuantile refuses non-probabilities', () => {
  for (const p of [-0.1, 1.5, NaN]) assert.throws(() => normalQuantile(p), VaekitError);
});
