// Latent grids and paths: the manifold lattice on N(0,1) quartiles, traversal sweeps, and slerp keeping the
// norm where the straight line sags.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VaekitError } from '../../src/errors.js';
import { interpolateLatents, manifoldLatents, traversalLatents } from '../../src/viz/latentPaths.js';

const Q1 = 0.6744897501960817; // Φ⁻¹(0.75)

test('manifoldLatents: grid 2 is the four quartile points, z₁ left→right, z₂ top→bottom decreasing', () => {
  const z = Array.from(manifoldLatents(2));
  const want = [-Q1, Q1, Q1, Q1, -Q1, -Q1, Q1, -Q1];
  z.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6, `z[${i}] = ${v}, want ${want[i]}`));
});

test('traversalLatents sweeps each chosen dimension evenly over ±range with the rest at 0', () => {
  const z = traversalLatents(3, [2, 0], 5, 2); // [2·5, 3]
  assert.deepEqual(Array.from(z.subarray(0, 15)), [0, 0, -2, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0, 0, 2]);
  assert.deepEqual(Array.from(z.subarray(15, 18)), [-2, 0, 0]);
  assert.throws(() => traversalLatents(3, [3], 5, 2), (e: unknown) => e instanceof VaekitError && /valid: 0\.\.2/.test(e.message));
});

test('interpolateLatents: ends are the inputs; slerp keeps unit norm between orthogonal unit codes', () => {
  const a = Float32Array.from([1, 0]);
  const b = Float32Array.from([0, 1]);
  for (const spherical of [false, true]) {
    const z = interpolateLatents(a, b, 5, { spherical });
    assert.deepEqual(Array.from(z.subarray(0, 2)), [1, 0]);
    assert.ok(Math.abs(z[8]) < 1e-6 && Math.abs(z[9] - 1) < 1e-6);
    const mid = Math.hypot(z[4], z[5]);
    assert.ok(Math.abs(mid - (spherical ? 1 : Math.SQRT1_2)) < 1e-6, `${spherical ? 'slerp' : 'lerp'} midpoint norm ${mid}`);
  }
  // parallel codes: slerp is undefined and falls back to the line
  assert.deepEqual(Array.from(interpolateLatents(a, Float32Array.from([2, 0]), 3, { spherical: true })), [1, 0, 1.5, 0, 2, 0]);
});
