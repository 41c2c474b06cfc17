// The objectives (src/models/objective.ts) against closed forms. On the linear-Gaussian model
//   z ~ N(0, I_L),  x | z ~ N(Wz + b, σ²I_D)  ⇒  x ~ N(b, WWᵀ + σ²I)
// log p(x) is exact, and so is the ELBO of a linear encoder q(z|x) = N(Ax + c, diag e^v). Checked:
// ELBO ≤ IWAE-K ≤ log p(x), IWAE-K → log p(x) as K grows, and with the exact posterior as encoder every
// bound equals log p(x) for any noise. Free bits and capacity: the loss against a float64 computation of the
// formula on the same μ, log σ². On a model trained on the embedded digits: IWAE-5 ≥ ELBO, significantly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { subset } from '../../src/data/dataset.js';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { importanceSampledNll } from '../../src/eval/importanceSampling.js';
import { type Tensor } from '../../src/graph/tensor.js';
import { makeVae } from '../../src/models/vae.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { splitPosterior, type VaeDef } from '../../src/models/vaeDef.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { dense } from '../../src/nn/layers/dense.js';
import { nodeEngine } from '../../src/node.js';
import { likelihood } from '../../src/prob/likelihood.js';
import { Prng } from '../../src/random/prng.js';
import { parseTrainConfig } from '../../src/train/trainConfig.js';
import { Trainer } from '../../src/train/trainer.js';
import { objectiveFn } from '../helpers/objectiveGraph.js';

const engine = nodeEngine({ threads: 2 });
const D = 4, L = 2, sigma = 0.6;
const LOG_2PI = Math.log(2 * Math.PI);

/** The linear-Gaussian VAE, written as a user would write their own model in TypeScript. */
const linearGaussian: VaeDef = {
  dataShape: [D],
  latentDim: L,
  classes: 0,
  encode: (s, x) => splitPosterior(dense(s.sub('enc'), x, 2 * L), L),
  decode: (s, z) => likelihood({ type: 'gaussian', sigma }, dense(s.sub('dec'), z, D), s.sub('lik')),
};
const lgVae = (objective: { type: 'elbo' | 'iwae'; k: number }) =>
  makeVae(parseVaeConfig({ custom: 'linear-gaussian', dataShape: [D], latentDim: L, likelihood: { type: 'gaussian', sigma }, objective }), linearGaussian);

// ---- float64 linear algebra for the closed forms (D×D, tiny)
type Mat = number[][];
function cholesky(a: Mat): Mat {
  const n = a.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = i === j ? Math.sqrt(s) : s / l[j][j];
    }
  }
  return l;
}

/** The model's weights in float64: W [D][L] (orthogonal columns of norms `norms`), b [D]. */
function modelWeights(rng: Prng, norms: number[]) {
  const cols: number[][] = [];
  for (let j = 0; j < L; j++) {
    let v = Array.from({ length: D }, () => rng.normal());
    for (const c of cols) {
      const dot = v.reduce((a, vi, i) => a + vi * c[i], 0);
      v = v.map((vi, i) => vi - dot * c[i]);
    }
    const n = Math.hypot(...v);
    cols.push(v.map((vi) => vi / n));
  }
  const W = Array.from({ length: D }, (_, d) => cols.map((c, j) => c[d] * norms[j]));
  const b = Array.from({ length: D }, () => rng.normal());
  return { W, b };
}

/** log N(x; b, WWᵀ + σ²I) in float64. */
function logPx(W: Mat, b: number[], x: ArrayLike<number>): number {
  const C = Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => W[i].reduce((a, w, k) => a + w * W[j][k], 0) + (i === j ? sigma * sigma : 0)));
  const l = cholesky(C);
  const y: number[] = [];
  for (let i = 0; i < D; i++) y.push((x[i] - b[i] - l[i].slice(0, i).reduce((a, v, k) => a + v * y[k], 0)) / l[i][i]);
  const logDet = 2 * l.reduce((a, r, i) => a + Math.log(r[i]), 0);
  return -0.5 * (D * LOG_2PI + logDet + y.reduce((a, v) => a + v * v, 0));
}

/** The encoder of the exact posterior (valid because WᵀW is diagonal): μ = (v/σ²)·Wᵀ(x − b), log σ²_j = log v_j. */
function exactEncoder(W: Mat, b: number[]) {
  const A: number[][] = [];
  const c: number[] = [];
  const v = Array.from({ length: L }, (_, j) => sigma ** 2 / (sigma ** 2 + W.reduce((a, r) => a + r[j] ** 2, 0)));
  for (let j = 0; j < L; j++) {
    A.push(W.map((r) => (v[j] / sigma ** 2) * r[j]));
    c.push(-A[j].reduce((a, w, d) => a + w * b[d], 0));
  }
  for (let j = 0; j < L; j++) {
    A.push(new Array<number>(D).fill(0));
    c.push(Math.log(v[j]));
  }
  return { A, c };
}

/** The ELBO of a linear encoder in closed form: E_q log p(x|z) − KL(q ‖ p). */
function elboClosedForm(W: Mat, b: number[], A: Mat, c: number[], x: ArrayLike<number>): number {
  const enc = A.map((row, o) => c[o] + row.reduce((a, w, d) => a + w * x[d], 0));
  const m = enc.slice(0, L), lv = enc.slice(L);
  let sq = 0;
  for (let d = 0; d < D; d++) {
    sq += (x[d] - b[d] - W[d].reduce((a, w, j) => a + w * m[j], 0)) ** 2;
    for (let j = 0; j < L; j++) sq += Math.exp(lv[j]) * W[d][j] ** 2;
  }
  const recon = -(D / 2) * Math.log(2 * Math.PI * sigma * sigma) - sq / (2 * sigma * sigma);
  const kl = m.reduce((a, mj, j) => a + 0.5 * (Math.exp(lv[j]) + mj * mj - 1 - lv[j]), 0);
  return recon - kl;
}

const flat32 = (m: Mat) => Float32Array.from(m.flat());
const paramsOf = (W: Mat, b: number[], A: Mat, c: number[]) => ({
  'enc.weight': flat32(A), // [2L, D]
  'enc.bias': Float32Array.from(c),
  'dec.weight': flat32(W), // [D, L]
  'dec.bias': Float32Array.from(b),
});

/** N examples drawn from the model, [N, D]. */
function drawData(rng: Prng, W: Mat, b: number[], N: number): Float32Array {
  const x = new Float32Array(N * D);
  for (let n = 0; n < N; n++) {
    const z = Array.from({ length: L }, () => rng.normal());
    for (let d = 0; d < D; d++) x[n * D + d] = b[d] + W[d].reduce((a, w, j) => a + w * z[j], 0) + sigma * rng.normal();
  }
  return x;
}

const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const stdErr = (v: number[]) => {
  const m = meanOf(v);
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1) / v.length);
};

/** R estimates of the batch-mean bound (negated loss) with fresh noise each. */
async function boundDraws(objective: { type: 'elbo' | 'iwae'; k: number }, params: Record<string, Float32Array>, x: Float32Array, R: number, seed: number) {
  const vae = lgVae(objective);
  const B = x.length / D;
  const f = await objectiveFn(engine, vae, B);
  const rng = new Prng(seed);
  const out: number[] = [];
  for (let r = 0; r < R; r++) out.push(-(await f({ params, x, eps: rng.normals(new Float32Array(B * objective.k * L)) })).loss);
  return out;
}

test('linear-Gaussian, exact posterior as encoder: every IWAE-K draw is log p(x), the ELBO is on average', async () => {
  const rng = new Prng(11);
  const { W, b } = modelWeights(rng, [1.5, 0.8]);
  const { A, c } = exactEncoder(W, b);
  const x = drawData(rng, W, b, 64);
  const target = meanOf(Array.from({ length: 64 }, (_, n) => logPx(W, b, x.subarray(n * D, (n + 1) * D))));
  const params = paramsOf(W, b, A, c);
  // IWAE: every log weight log p(x|z) + log p(z) − log q(z|x) is log p(x), so each draw gives it exactly
  for (const k of [1, 7]) {
    for (const v of await boundDraws({ type: 'iwae', k }, params, x, 3, 5)) {
      assert.ok(Math.abs(v - target) < 2e-4 * Math.abs(target), `IWAE-${k}: ${v} vs log p(x) ${target}`);
    }
  }
  // ELBO with the analytic KL: one sample of log p(x|z) varies, its mean is log p(x)
  for (const k of [1, 3]) {
    const v = await boundDraws({ type: 'elbo', k }, params, x, 30, 6);
    assert.ok(Math.abs(meanOf(v) - target) < 4 * stdErr(v) + 1e-4, `ELBO (K = ${k}): ${meanOf(v)} ± ${stdErr(v)} vs log p(x) ${target}`);
  }
});

test('linear-Gaussian, a poorer encoder: ELBO (its closed form) ≤ IWAE-5 ≤ IWAE-50 ≤ IWAE-500 ≤ log p(x), and IWAE-K → log p(x)', async () => {
  const rng = new Prng(12);
  const { W, b } = modelWeights(rng, [1.5, 0.8]);
  const exact = exactEncoder(W, b);
  // shrink the means and widen the variances: q is a worse proposal, the ELBO gap is about a nat
  const A = exact.A.map((row, o) => row.map((w) => (o < L ? 0.6 * w : w)));
  const c = exact.c.map((v, o) => (o < L ? 0.6 * v : v + 1.2));
  const N = 1000;
  const x = drawData(rng, W, b, N);
  const rows = Array.from({ length: N }, (_, n) => x.subarray(n * D, (n + 1) * D));
  const logp = meanOf(rows.map((r) => logPx(W, b, r)));
  const elbo = meanOf(rows.map((r) => elboClosedForm(W, b, A, c, r)));
  assert.ok(logp - elbo > 0.5, `the test needs a visible gap: log p(x) ${logp}, ELBO ${elbo}`);
  const params = paramsOf(W, b, A, c);
  const est = async (type: 'elbo' | 'iwae', k: number) => {
    const v = await boundDraws({ type, k }, params, x, 12, 100 + k);
    return { m: meanOf(v), se: stdErr(v) };
  };
  // the ELBO objective (analytic KL, one sample of recon) and IWAE-1 both estimate the closed-form ELBO
  for (const e of [await est('elbo', 1), await est('iwae', 1), await est('elbo', 8)]) {
    assert.ok(Math.abs(e.m - elbo) < 4 * e.se + 1e-3, `ELBO estimate ${e.m} ± ${e.se} vs closed form ${elbo}`);
  }
  const iw = [await est('iwae', 5), await est('iwae', 50), await est('iwae', 500)];
  const chain = [{ m: elbo, se: 0 }, ...iw, { m: logp, se: 0 }];
  for (let i = 1; i < chain.length; i++) {
    const lo = chain[i - 1], hi = chain[i];
    assert.ok(hi.m - lo.m > 3 * Math.hypot(lo.se, hi.se), `bound ${i - 1} (${lo.m} ± ${lo.se}) should be below bound ${i} (${hi.m} ± ${hi.se}); log p(x) = ${logp}`);
  }
  const gap = (e: { m: number }) => logp - e.m;
  assert.ok(gap(iw[2]) < 0.05 * (logp - elbo), `IWAE-500 should close 95% of the ELBO's gap: ${gap(iw[2])} of ${logp - elbo}`);
});

// ---- free bits and capacity: an encoder that reads μ and log σ² straight from x, so they are chosen exactly
const B = 6, Lf = 3;
const passThrough: VaeDef = {
  dataShape: [2 * Lf],
  latentDim: Lf,
  classes: 0,
  encode: (_s, x: Tensor) => splitPosterior(x, Lf),
  decode: (s, z) => likelihood({ type: 'gaussian', sigma: 1 }, dense(s.sub('dec'), z, 2 * Lf), s.sub('lik')),
};

/** Σ_j max(λ, mean_b KL_bj) (λ = 0: the plain mean KL), in float64. */
function klTermRef(mu: number[][], lv: number[][], lambda: number): number {
  let total = 0;
  for (let j = 0; j < Lf; j++) {
    const m = meanOf(mu.map((r, b) => 0.5 * (r[j] ** 2 + Math.exp(lv[b][j]) - 1 - lv[b][j])));
    total += Math.max(lambda, m);
  }
  return total;
}

test('free bits and capacity: loss − recon against the formula in float64 on the same μ, log σ²', async () => {
  const rng = new Prng(3);
  // dimension 0 well above the free-bits floor, 1 near it, 2 almost at the prior (below it)
  const scale = [2, 0.7, 0.05];
  const mu = Array.from({ length: B }, () => scale.map((s) => s * rng.normal()));
  const lv = Array.from({ length: B }, () => scale.map((s) => -s * Math.abs(rng.normal())));
  const x = Float32Array.from(mu.flatMap((m, b) => [...m, ...lv[b]]));
  const mu32 = mu.map((r) => r.map(Math.fround)), lv32 = lv.map((r) => r.map(Math.fround));
  const cases = [
    { freeBits: 0.4, kl: { type: 'constant' }, beta: 0.7, want: (t: number) => 0.7 * t },
    { freeBits: 0.4, kl: { type: 'warmup', steps: 10 }, beta: 0.25, want: (t: number) => 0.25 * t },
    { freeBits: 0, kl: { type: 'capacity', gamma: 30, cMax: 5, steps: 10 }, capacity: 2.5, want: (t: number) => 30 * Math.abs(t - 2.5) },
    { freeBits: 0, kl: { type: 'capacity', gamma: 30, cMax: 50, steps: 10 }, capacity: 40, want: (t: number) => 30 * Math.abs(t - 40) },
    { freeBits: 0.4, kl: { type: 'capacity', gamma: 7, cMax: 5, steps: 10 }, capacity: 1.5, want: (t: number) => 7 * Math.abs(t - 1.5) },
  ] as const;
  const perDim = [0, 1, 2].map((j) => meanOf(mu32.map((r, b) => 0.5 * (r[j] ** 2 + Math.exp(lv32[b][j]) - 1 - lv32[b][j]))));
  assert.ok(perDim[0] > 0.4 && perDim[2] < 0.4, `μ, log σ² should straddle the free-bits floor: per-dimension KL ${perDim}`);
  for (const c of cases) {
    const vae = makeVae(parseVaeConfig({ custom: 'pass-through', dataShape: [2 * Lf], latentDim: Lf, likelihood: { type: 'gaussian', sigma: 1 }, freeBits: c.freeBits, kl: c.kl }), passThrough);
    const f = await objectiveFn(engine, vae, B);
    const params = { 'dec.weight': rng.normals(new Float32Array(2 * Lf * Lf)), 'dec.bias': new Float32Array(2 * Lf) };
    const r = await f({ params, x, eps: rng.normals(new Float32Array(B * Lf)), beta: 'beta' in c ? c.beta : 1, capacity: 'capacity' in c ? c.capacity : undefined });
    const klRef = klTermRef(mu32, lv32, 0);
    assert.ok(Math.abs(r.kl - klRef) < 1e-5 * (1 + klRef), `kl metric ${r.kl} vs ${klRef}`);
    const want = c.want(klTermRef(mu32, lv32, c.freeBits));
    assert.ok(Math.abs(r.loss - r.recon - want) < 2e-5 * (1 + Math.abs(r.recon) + want), `${JSON.stringify(c)}: loss − recon ${r.loss - r.recon} vs formula ${want}`);
  }
});

test('a model trained on real digits: IWAE-5 ≥ ELBO (significantly), and the training IWAE-5 matches IS-NLL with K = 5', async () => {
  const d = await loadEmbeddedMnist();
  const train = subset(d.train, Array.from({ length: 4000 }, (_, i) => i));
  const test_ = subset(d.test, Array.from({ length: 500 }, (_, i) => i));
  const cfg = parseVaeConfig({ hidden: [128], latentDim: 8 });
  const trainer = await Trainer.create(engine, cfg, parseTrainConfig({ epochs: 2, seed: 5 }), { train });
  await trainer.run();
  const params = trainer.params();
  const K = 5, n = test_.n, R = 8;
  const iwVae = makeVae(parseVaeConfig({ hidden: [128], latentDim: 8, objective: { type: 'iwae', k: K } }));
  const elboF = await objectiveFn(engine, makeVae(cfg), n);
  const iwF = await objectiveFn(engine, iwVae, n);
  const rng = new Prng(21);
  const diffs: number[] = [];
  const iws: number[] = [];
  for (let r = 0; r < R; r++) {
    const negElbo = (await elboF({ params, x: test_.images, eps: rng.normals(new Float32Array(n * 8)) })).loss;
    const negIwae = (await iwF({ params, x: test_.images, eps: rng.normals(new Float32Array(n * K * 8)) })).loss;
    diffs.push(negElbo - negIwae);
    iws.push(negIwae);
  }
  const m = meanOf(diffs), se = stdErr(diffs);
  assert.ok(m > 4 * se && m > 0.1, `IWAE-5 should beat the ELBO: −ELBO − (−IWAE-5) = ${m} ± ${se} nats`);
  // the same bound from the evaluation code (a second implementation: chunked log-sum-exp in float64)
  const model = new VaeModel(engine, cfg, params);
  const isMeans: number[] = [];
  for (let r = 0; r < R; r++) isMeans.push((await importanceSampledNll(model, test_.images, { k: K, rng: new Prng(100 + r) })).mean);
  const tol = 4 * Math.hypot(stdErr(iws), stdErr(isMeans));
  assert.ok(Math.abs(meanOf(iws) - meanOf(isMeans)) < tol, `training IWAE-5 ${meanOf(iws)} vs IS-NLL (K = 5) ${meanOf(isMeans)} (tolerance ${tol})`);
});
