// The VAE's single-sample ELBO on a linear-Gaussian model, against its closed form:
// q(z|x) = N(m, diag s²) with m, log s² linear in x; p(x|z) = N(Wz + b, σ²I). Then
// E_q[log p(x|z)] = −D/2·log(2πσ²) − (‖x − Wm − b‖² + Σ_j s_j²‖W_:j‖²)/(2σ²), KL is the Gaussian closed form.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { vaeParamShapes } from '../../src/models/vae.js';
import { nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';

const D = 6, L = 2, sigma = 0.5;
const cfg = parseVaeConfig({ imageShape: [2, 3], latentDim: L, hidden: [], likelihood: { type: 'gaussian', sigma } });
const rng = new Prng(5);
const r = (n: number, s: number) => Float32Array.from(rng.normals(new Float32Array(n)), (v) => v * s);
// PyTorch layout [out, in]: encoder head [2L, D] → (m, log s²); decoder [D, L]
const params = { 'enc.0.weight': r(2 * L * D, 0.3), 'enc.0.bias': r(2 * L, 0.2), 'dec.0.weight': r(D * L, 1), 'dec.0.bias': r(D, 0.5) };

test('hidden: [] gives single dense encoder and decoder layers', () => {
  assert.deepEqual(vaeParamShapes(cfg), { 'enc.0.weight': [4, 6], 'enc.0.bias': [4], 'dec.0.weight': [6, 2], 'dec.0.bias': [6] });
});

test('E_q[recon] and KL match the linear-Gaussian closed form', async () => {
  const model = new VaeModel(nodeEngine({ threads: 1 }), cfg, params);
  const x = r(D, 1);
  const reps = 40000;
  const xs = new Float32Array(reps * D);
  for (let i = 0; i < reps; i++) xs.set(x, i * D);
  const { recon, kl } = await model.elboTerms(xs, new Prng(9));
  const W = params['dec.0.weight'], b = params['dec.0.bias'], E = params['enc.0.weight'], c = params['enc.0.bias'];
  const enc = Array.from({ length: 2 * L }, (_, o) => c[o] + Array.from({ length: D }, (_, i) => E[o * D + i] * x[i]).reduce((a, v) => a + v, 0));
  const m = enc.slice(0, L), lv = enc.slice(L);
  let sq = 0;
  for (let d = 0; d < D; d++) {
    const mean = b[d] + m.reduce((a, mj, j) => a + W[d * L + j] * mj, 0);
    sq += (x[d] - mean) ** 2;
    for (let j = 0; j < L; j++) sq += Math.exp(lv[j]) * W[d * L + j] ** 2;
  }
  const reconRef = (D / 2) * Math.log(2 * Math.PI * sigma * sigma) + sq / (2 * sigma * sigma);
  const klRef = m.reduce((a, mj, j) => a + 0.5 * (Math.exp(lv[j]) + mj * mj - 1 - lv[j]), 0);
  const meanRecon = recon.reduce((a, v) => a + v, 0) / reps;
  let var_ = 0;
  for (const v of recon) var_ += (v - meanRecon) ** 2;
  const se = Math.sqrt(var_ / reps / reps);
  assert.ok(Math.abs(kl[0] - klRef) < 1e-4, `KL ${kl[0]} vs ${klRef}`);
  assert.ok(Math.abs(meanRecon - reconRef) < 4 * se + 1e-3, `E[recon] ${meanRecon} vs closed form ${reconRef} (se ${se})`);
});
