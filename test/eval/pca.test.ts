import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pca2 } from '../../src/eval/pca.js';
import { VaekitError } from '../../src/errors.js';
import { Prng } from '../../src/random/prng.js';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + v * b[i], 0);
const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

/** Random d×d orthogonal matrix (rows orthonormal) by Gram–Schmidt on Gaussian rows. */
function randomRotation(d: number, rng: Prng): number[][] {
  const rows: number[][] = [];
  while (rows.length < d) {
    const v = Array.from({ length: d }, () => rng.normal());
    for (const r of rows) {
      const p = dot(v, r);
      r.forEach((ri, i) => (v[i] -= p * ri));
    }
    const norm = Math.sqrt(dot(v, v));
    rows.push(v.map((x) => x / norm));
  }
  return rows;
}

test('exact closed form: ± s_k e_k points have covariance diag(2 s_k² / (n−1))', () => {
  const s = [0.5, 3, 1, 2, 0.1].map(Math.fround); // the values x can hold exactly
  const d = s.length;
  const n = 2 * d;
  const x = new Float32Array(n * d);
  s.forEach((sk, k) => {
    x[2 * k * d + k] = sk;
    x[(2 * k + 1) * d + k] = -sk;
  });
  const r = pca2(x, n, d);
  const variance = (sk: number) => (2 * sk * sk) / (n - 1);
  close(r.explained[0], variance(3), 1e-12, 'λ1');
  close(r.explained[1], variance(2), 1e-12, 'λ2');
  const total = s.reduce((a, sk) => a + variance(sk), 0);
  close(r.explainedRatio[0], variance(3) / total, 1e-12, 'ratio 1');
  // components are +e_1 and +e_3 (sign: largest entry positive)
  assert.deepEqual(Array.from(r.components, (v) => Math.round(v * 1e9) / 1e9), [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]);
  // row 2k is +s_k e_k, row 2k+1 is −s_k e_k
  assert.deepEqual(Array.from(r.coords.subarray(2 * 2, 2 * 3)), [3, 0], 'row 2 = +3 e_1 → (3, 0)');
  assert.deepEqual(Array.from(r.coords.subarray(2 * 7, 2 * 8)), [0, -2], 'row 7 = −2 e_3 → (0, −2)');
});

test('rotation of the same data: same variances, components rotate along (up to the sign rule)', () => {
  const rng = new Prng(11);
  const d = 12;
  const s = [4, 2.5, 1, 0.7, 0.5, 0.3, 0.2, 0.1, 0.1, 0.05, 0.02, 0.01];
  const q = randomRotation(d, rng);
  const n = 2 * d;
  const x = new Float32Array(n * d);
  // point ±s_k q_k (q_k: row k of the rotation)
  s.forEach((sk, k) => q[k].forEach((qi, i) => ((x[2 * k * d + i] = sk * qi), (x[(2 * k + 1) * d + i] = -sk * qi))));
  const r = pca2(x, n, d);
  close(r.explained[0], (2 * 16) / (n - 1), 1e-5, 'λ1');
  close(r.explained[1], (2 * 6.25) / (n - 1), 1e-5, 'λ2');
  close(Math.abs(dot(r.components.subarray(0, d), q[0])), 1, 1e-6, '|c1·q1|');
  close(Math.abs(dot(r.components.subarray(d), q[1])), 1, 1e-6, '|c2·q2|');
  for (const k of [0, 1]) {
    const c = Array.from(r.components.subarray(k * d, (k + 1) * d));
    const big = c.reduce((b, v, i) => (Math.abs(v) > Math.abs(c[b]) ? i : b), 0);
    assert.ok(c[big] > 0, 'largest-|·| entry is positive');
    close(dot(c, c), 1, 1e-12, 'unit length');
  }
  close(dot(r.components.subarray(0, d), r.components.subarray(d)), 0, 1e-12, 'orthogonal');
});

test('a 2-D plane in 10-D plus tiny noise: components span the plane, variances match the plane\'s 2×2 covariance', () => {
  const rng = new Prng(5);
  const d = 10;
  const n = 2000;
  const [u, v] = randomRotation(d, rng);
  const x = new Float32Array(n * d);
  const ab: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = [3 * rng.normal(), rng.normal()];
    ab.push([a, b]);
    for (let j = 0; j < d; j++) x[i * d + j] = 5 + a * u[j] + b * v[j] + 1e-4 * rng.normal();
  }
  const r = pca2(x, n, d);
  // each component lies in span(u, v): its projection there has unit length
  for (const k of [0, 1]) {
    const c = r.components.subarray(k * d, (k + 1) * d);
    close(Math.hypot(dot(c, u), dot(c, v)), 1, 1e-6, `|proj of c${k + 1} on the plane|`);
  }
  // closed form: eigenvalues of the sample covariance [[A, B], [B, C]] of the plane coordinates (a, b)
  const [ma, mb] = [ab.reduce((t, p) => t + p[0], 0) / n, ab.reduce((t, p) => t + p[1], 0) / n];
  let [A, B, C] = [0, 0, 0];
  for (const [a, b] of ab) [A, B, C] = [A + (a - ma) ** 2, B + (a - ma) * (b - mb), C + (b - mb) ** 2];
  [A, B, C] = [A / (n - 1), B / (n - 1), C / (n - 1)];
  const root = Math.sqrt(((A - C) / 2) ** 2 + B * B);
  // tolerance: the signal×noise cross term is ≈ 2·3·1e-4/√n ≈ 1.3e-5
  close(r.explained[0], (A + C) / 2 + root, 1e-4, 'λ1');
  close(r.explained[1], (A + C) / 2 - root, 1e-4, 'λ2');
  close(r.explainedRatio[0] + r.explainedRatio[1], 1, 1e-6, 'two components explain everything');
  // mean + coords · components reconstructs every point up to the noise
  for (let i = 0; i < n; i += 37) {
    for (let j = 0; j < d; j++) {
      const rec = r.mean[j] + r.coords[2 * i] * r.components[j] + r.coords[2 * i + 1] * r.components[d + j];
      close(rec, x[i * d + j], 1e-3, `point ${i} dim ${j}`);
    }
  }
});

test('axis-aligned Gaussian: explained variances ≈ the two largest variances', () => {
  const rng = new Prng(9);
  const sd = [1, 0.5, 2, 0.25, 1.5, 0.1];
  const d = sd.length;
  const n = 20000;
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = sd[j] * rng.normal();
  const r = pca2(x, n, d);
  close(r.explained[0], 4, 4 * 0.05, 'λ1 ≈ 2²'); // sample variance has relative sd √(2/n) ≈ 1%
  close(r.explained[1], 2.25, 2.25 * 0.05, 'λ2 ≈ 1.5²');
  close(r.components[2], 1, 1e-2, 'c1 ≈ +e_3');
  close(r.components[d + 4], 1, 1e-2, 'c2 ≈ +e_5');
});

test('d = 1 gives a zero second component; bad shapes and NaN are VaekitErrors', () => {
  const r = pca2(Float32Array.from([1, 2, 3]), 3, 1);
  assert.deepEqual(Array.from(r.coords), [-1, 0, 0, 0, 1, 0]);
  assert.deepEqual(r.explained, [1, 0]);
  assert.throws(() => pca2(new Float32Array(5), 2, 3), (e) => e instanceof VaekitError && /n\*d/.test(e.message));
  assert.throws(() => pca2(Float32Array.from([1, NaN, 2, 3]), 2, 2), (e) => e instanceof VaekitError && /finite/.test(e.message));
});
