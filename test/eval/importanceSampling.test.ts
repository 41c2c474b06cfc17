// IS-NLL against a closed form: a linear-Gaussian VAE (hidden = [], so one dense layer each way) has
// p(z) = N(0, I), p(x|z) = N(Wz + b, σ²I) ⇒ p(x) = N(b, WWᵀ + σ²I), computed here in float64 by Cholesky.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultChunk, importanceSampledNll } from '../../src/eval/importanceSampling.js';
import { VaekitError } from '../../src/errors.js';
import { vaeParamShapes } from '../../src/models/vae.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';

const engine = nodeEngine({ threads: 1 });
const SIGMA = 0.5;
const L = 2;
const D = 6;
const cfg = parseVaeConfig({ imageShape: [2, 3], latentDim: L, hidden: [], likelihood: { type: 'gaussian', sigma: SIGMA } });

// Decoder W [D, L] (PyTorch [out, in]) with orthogonal columns, so the exact posterior
// q(z|x) = N(S Wᵀ(x − b)/σ², S), S = (I + WᵀW/σ²)⁻¹, is diagonal and one dense encoder layer represents it.
const col1 = [1, 0.5, -0.3, 0.2, 0, 0.4];
const raw2 = [0.2, -1, 0.6, 0.1, 0.8, -0.5];
const proj = raw2.reduce((s, v, i) => s + v * col1[i], 0) / col1.reduce((s, v) => s + v * v, 0);
const col2 = raw2.map((v, i) => 1.5 * (v - proj * col1[i]));
const W = Array.from({ length: D }, (_, d) => [Math.fround(col1[d]), Math.fround(col2[d])]); // float32 values, as the graph sees them
const b = [0.3, -0.2, 0.1, 0, 0.5, -0.4].map(Math.fround);

/** Exact posterior parameters: mean = A x + c, variance diag S (from the float32 W, in float64). */
function exactPosterior() {
  const S = [0, 1].map((j) => 1 / (1 + W.reduce((s, r) => s + r[j] * r[j], 0) / SIGMA ** 2));
  const A = [0, 1].map((j) => W.map((r) => (S[j] * r[j]) / SIGMA ** 2)); // [L, D]
  const c = A.map((row) => -row.reduce((s, a, d) => s + a * b[d], 0));
  return { A, c, logS: S.map(Math.log) };
}

/** Params with encoder μ = A x + c + muShift, log σ² = logS + logvarShift (exact posterior when shifts are 0). */
function params(muShift = [0, 0], logvarShift = [0, 0], aScale = 1): Record<string, Float32Array> {
  const { A, c, logS } = exactPosterior();
  const encW = new Float32Array(2 * L * D); // [2L, D]: rows 0..L−1 give μ, rows L..2L−1 give log σ² (input-independent)
  for (let j = 0; j < L; j++) for (let d = 0; d < D; d++) encW[j * D + d] = aScale * A[j][d];
  const encB = Float32Array.from([c[0] + muShift[0], c[1] + muShift[1], logS[0] + logvarShift[0], logS[1] + logvarShift[1]]);
  const p = { 'enc.0.weight': encW, 'enc.0.bias': encB, 'dec.0.weight': Float32Array.from(W.flat()), 'dec.0.bias': Float32Array.from(b) };
  assert.deepEqual(Object.keys(p).sort(), Object.keys(vaeParamShapes(cfg)).sort());
  return p;
}

/** log N(x; b, WWᵀ + σ²I) in float64 via Cholesky. */
function exactLogPx(x: ArrayLike<number>): number {
  const cov = Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => W[i][0] * W[j][0] + W[i][1] * W[j][1] + (i === j ? SIGMA ** 2 : 0)));
  const Lc = cov.map(() => new Array<number>(D).fill(0));
  for (let i = 0; i < D; i++) {
    for (let j = 0; j <= i; j++) {
      let s = cov[i][j];
      for (let k = 0; k < j; k++) s -= Lc[i][k] * Lc[j][k];
      Lc[i][j] = i === j ? Math.sqrt(s) : s / Lc[j][j];
    }
  }
  const y: number[] = []; // solve Lc y = x − b, so (x−b)ᵀΣ⁻¹(x−b) = |y|²
  for (let i = 0; i < D; i++) y.push((x[i] - b[i] - y.reduce((s, yk, k) => s + Lc[i][k] * yk, 0)) / Lc[i][i]);
  const logDet = 2 * Lc.reduce((s, r, i) => s + Math.log(r[i]), 0);
  return -0.5 * (D * Math.log(2 * Math.PI) + logDet + y.reduce((s, v) => s + v * v, 0));
}

/** n data points drawn from the model itself, and their exact log-densities. */
function data(n: number) {
  const rng = new Prng(7);
  const x = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    const z = [rng.normal(), rng.normal()];
    for (let d = 0; d < D; d++) x[i * D + d] = W[d][0] * z[0] + W[d][1] * z[1] + b[d] + SIGMA * rng.normal();
  }
  const logPx = Array.from({ length: n }, (_, i) => exactLogPx(x.subarray(i * D, (i + 1) * D)));
  return { x, logPx };
}

const N = 40;
const { x, logPx } = data(N);
const exactMean = -logPx.reduce((s, v) => s + v, 0) / N;

test('exact posterior as proposal: every weight is p(x), so K = 1 is already exact (float32 rounding only)', async () => {
  const model = new VaeModel(engine, cfg, params());
  const r = await importanceSampledNll(model, x, { k: 1, rng: new Prng(1) });
  for (let i = 0; i < N; i++) assert.ok(Math.abs(r.nll[i] + logPx[i]) < 1e-4, `example ${i}: ${r.nll[i]} vs ${-logPx[i]}`);
  assert.ok(Math.abs(r.mean - exactMean) < 1e-5);
  assert.equal(r.k, 1);
});

test('K not a multiple of the chunk: the masked tail of the last chunk adds no weight', async () => {
  // With equal weights an extra (unmasked) sample would shift the estimate by log(1024/1000) ≈ 0.024 nats.
  const model = new VaeModel(engine, cfg, params());
  for (const chunk of [64, 7, 1000, 5000]) {
    const r = await importanceSampledNll(model, x, { k: 1000, rng: new Prng(2), chunk });
    assert.ok(Math.abs(r.mean - exactMean) < 1e-5, `chunk ${chunk}: ${r.mean} vs ${exactMean}`);
  }
});

test('poor proposal: the estimate converges to log p(x) from below as K grows', async () => {
  // q off-centre by 0.3 per unit, 2x the variance, with a 10% too weak dependence on x: still unbiased for p(x),
  // but outlying x get few good samples. Measured with this seed: mean gap 1.31, 0.25, 0.06, 0.0002 nats at
  // K = 1, 10, 100, 1000 (worst example at K = 1000: 0.14 nats).
  const model = new VaeModel(engine, cfg, params([0.3, -0.3], [Math.log(2), Math.log(2)], 0.9));
  const gaps: number[] = [];
  for (const k of [1, 10, 100, 1000]) {
    const r = await importanceSampledNll(model, x, { k, rng: new Prng(3) });
    gaps.push(r.mean - exactMean); // E ≥ 0 (Jensen), shrinking like Var(w)/(2K p²)
    if (k === 1000) for (let i = 0; i < N; i++) assert.ok(Math.abs(r.nll[i] + logPx[i]) < 0.25, `example ${i} at K=1000: ${r.nll[i]} vs ${-logPx[i]}`);
  }
  assert.ok(gaps[0] > gaps[1] && gaps[1] > gaps[2] && gaps[2] > Math.abs(gaps[3]), `gaps at K = 1, 10, 100, 1000: ${gaps.join(', ')}`);
  assert.ok(Math.abs(gaps[3]) < 0.02, `mean error at K=1000: ${gaps[3]} nats`);
});

test('same seed, same numbers; progress counts every weight; stdErr = sample std / √n', async () => {
  const model = new VaeModel(engine, cfg, params([0.3, 0], [0.5, 0.5]));
  const seen: number[] = [];
  const a = await importanceSampledNll(model, x, { k: 30, rng: new Prng(4), chunk: 8, onProgress: (done, total) => seen.push(done / total) });
  const again = await importanceSampledNll(model, x, { k: 30, rng: new Prng(4), chunk: 8 });
  assert.deepEqual(again.nll, a.nll);
  assert.equal(seen.at(-1), 1);
  assert.ok(seen.every((v, i) => i === 0 || v > seen[i - 1]));
  const sd = Math.sqrt(a.nll.reduce((s, v) => s + (v - a.mean) ** 2, 0) / (N - 1));
  assert.ok(Math.abs(a.stdErr - sd / Math.sqrt(N)) < 1e-12);
});

test('default chunk keeps [500·C, 784] within 2^22 floats (16 MiB) and spreads K evenly', () => {
  const c = defaultChunk(parseVaeConfig({}), 5000);
  assert.ok(500 * c * 784 <= 1 << 22, `chunk ${c}`);
  assert.equal(c, 10);
  assert.equal(defaultChunk(parseVaeConfig({}), 25), 9);
  assert.ok(Math.ceil(5000 / c) * c - 5000 < Math.ceil(5000 / c), 'less than one wasted sample per chunk');
  assert.equal(defaultChunk(cfg, 10), 10);
});

test('bad k, chunk or images give VaekitErrors that say what to pass', async () => {
  const model = new VaeModel(engine, cfg, params());
  const bad = (opts: object, imgs = x) => assert.rejects(importanceSampledNll(model, imgs, { k: 10, rng: new Prng(1), ...opts }), (e: unknown) => e instanceof VaekitError);
  await bad({ k: 0 });
  await bad({ k: 2.5 });
  await bad({ chunk: 0 });
  await bad({}, new Float32Array(7));
  await bad({}, new Float32Array(0));
});
