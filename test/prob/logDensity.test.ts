// Log-densities and the KL against closed forms computed independently in float64.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bernoulliLogProb, gaussianLogProb, klStandardNormal, standardNormalLogProb } from '../../src/prob/logDensity.js';
import { Graph } from '../../src/graph/tensor.js';
import { nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';

const engine = nodeEngine({ threads: 1 });
const rng = new Prng(11);
const B = 4, D = 5;
const rand = (n: number, s = 1) => Float32Array.from(rng.normals(new Float32Array(n)), (v) => v * s);

test('KL(N(mu, sigma^2) || N(0,1)) matches the closed form and Monte Carlo', async () => {
  const g = new Graph();
  const mu = g.input('mu', [B, D]);
  const lv = g.input('lv', [B, D]);
  const f = await engine.compile(g, { kl: klStandardNormal(mu, lv) });
  const m = rand(B * D), l = rand(B * D, 0.5);
  const kl = (await f.run({ mu: m, lv: l })).kl as Float32Array;
  for (let b = 0; b < B; b++) {
    let ref = 0;
    // KL of univariate Gaussians: log(σ2/σ1) + (σ1² + (μ1−μ2)²)/(2σ2²) − ½ with μ2 = 0, σ2 = 1
    for (let d = 0; d < D; d++) ref += -0.5 * l[b * D + d] + (Math.exp(l[b * D + d]) + m[b * D + d] ** 2) / 2 - 0.5;
    assert.ok(Math.abs(kl[b] - ref) < 1e-5 * Math.max(1, ref), `row ${b}: ${kl[b]} vs ${ref}`);
  }
  // Monte Carlo: E_q[log q − log p] for row 0
  let mc = 0;
  const S = 200000;
  for (let s = 0; s < S; s++) {
    for (let d = 0; d < D; d++) {
      const sd = Math.exp(0.5 * l[d]);
      const e = rng.normal();
      const z = m[d] + sd * e;
      mc += (-0.5 * e * e - Math.log(sd)) - (-0.5 * z * z);
    }
  }
  assert.ok(Math.abs(mc / S - kl[0]) < 0.05, `Monte Carlo ${mc / S} vs ${kl[0]}`);
});

test('Bernoulli from logits, Gaussian and standard normal log-densities', async () => {
  const g = new Graph();
  const x = g.input('x', [B, D]);
  const l = g.input('l', [B, D]);
  const mean = g.input('mean', [B, D]);
  const lv = g.input('lv', [D]);
  const f = await engine.compile(g, {
    bern: bernoulliLogProb(x, l),
    gauss: gaussianLogProb(x, mean, lv),
    fixed: gaussianLogProb(x, mean, Math.log(0.01)),
    std: standardNormalLogProb(x),
  });
  const xs = Float32Array.from({ length: B * D }, () => rng.uniform());
  const ls = rand(B * D, 3), ms = rand(B * D), lvs = rand(D, 0.3);
  const r = await f.run({ x: xs, l: ls, mean: ms, lv: lvs });
  const logN = (v: number, mu: number, var_: number) => -0.5 * (Math.log(2 * Math.PI * var_) + (v - mu) ** 2 / var_);
  for (let b = 0; b < B; b++) {
    let bern = 0, gauss = 0, fixed = 0, std = 0;
    for (let d = 0; d < D; d++) {
      const i = b * D + d;
      const p = 1 / (1 + Math.exp(-ls[i]));
      bern += xs[i] * Math.log(p) + (1 - xs[i]) * Math.log(1 - p);
      gauss += logN(xs[i], ms[i], Math.exp(lvs[d]));
      fixed += logN(xs[i], ms[i], 0.01);
      std += logN(xs[i], 0, 1);
    }
    for (const [k, ref] of Object.entries({ bern, gauss, fixed, std })) {
      const got = (r[k] as Float32Array)[b];
      assert.ok(Math.abs(got - ref) < 1e-4 * Math.max(1, Math.abs(ref)), `${k} row ${b}: ${got} vs ${ref}`);
    }
  }
});
