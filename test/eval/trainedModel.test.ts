// IS-NLL, −ELBO and active units of a real (briefly trained) 784-400-20 VAE on the embedded MNIST digits.
// The inequalities checked are theorems about expectations (Burda et al. 2016, Thm 1: E[L_1] ≤ E[L_10] ≤
// E[L_100] ≤ log p(x), strictly here), so each is asserted up to Monte-Carlo noise: standard errors of the *paired*
// per-example difference (the same 500 images under both estimates, so the large between-image spread
// cancels and only the sampling noise remains; a false failure has probability ≈ 0.1% per check).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binarizeStatic } from '../../src/data/binarize.js';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { evaluate, scoreExamples } from '../../src/eval/evaluate.js';
import { importanceSampledNll } from '../../src/eval/importanceSampling.js';
import { initVaeParams } from '../../src/models/vae.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';
import { parseTrainConfig } from '../../src/train/trainConfig.js';
import { Trainer } from '../../src/train/trainer.js';

const engine = nodeEngine({ threads: 2 });
const cfg = parseVaeConfig({}); // 784-400-20, Bernoulli
const N = 500;

/** Mean of a − b and its standard error over paired examples. */
function pairedDiff(a: ArrayLike<number>, b: ArrayLike<number>): { mean: number; se: number } {
  const d = Array.from(a, (v, i) => v - b[i]);
  const mean = d.reduce((s, v) => s + v, 0) / d.length;
  const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (d.length - 1));
  return { mean, se: sd / Math.sqrt(d.length) };
}

test('trained VAE: IS-NLL ≤ −ELBO, NLL(K=1) > NLL(K=10) > NLL(K=100), NLL(K=1) ≈ −ELBO, active units recounted', async (t) => {
  const { train, test: testSet } = await loadEmbeddedMnist();
  // Static binarization makes the Bernoulli likelihood a proper distribution over the images.
  const trainer = await Trainer.create(engine, cfg, parseTrainConfig({ epochs: 2, seed: 5, binarize: 'static' }), { train });
  await trainer.run();
  const model = new VaeModel(engine, cfg, trainer.params());
  const x = binarizeStatic(testSet.images.subarray(0, N * 784));

  const scores = await scoreExamples(model, x, { rng: new Prng(11), k: 100 });
  const ev = await evaluate(model, x, { rng: new Prng(11), k: 100 });
  const mean = (v: ArrayLike<number>) => Array.from(v).reduce((s, t) => s + t, 0) / v.length;
  assert.ok(Math.abs(ev.negElbo - mean(scores.negElbo)) < 1e-3, 'evaluate draws noise in the same order as scoreExamples');
  assert.ok(Math.abs(ev.nll! - mean(scores.nll!)) < 1e-9);
  assert.equal(ev.examples, N);
  assert.equal(ev.k, 100);
  assert.equal(ev.bitsPerDimOf, 'nll');
  assert.ok(Math.abs(ev.bitsPerDim - ev.nll! / (784 * Math.LN2)) < 1e-12);
  assert.ok(ev.negElbo < 200, `2 epochs should reach −ELBO < 200 nats on binarized digits, got ${ev.negElbo}`);

  const gap = pairedDiff(scores.negElbo, scores.nll!); // −ELBO − NLL ≥ 0 in expectation
  assert.ok(gap.mean >= -3 * gap.se, `IS-NLL (K=100) should not exceed −ELBO: gap ${gap.mean} ± ${gap.se}`);

  const nll = [];
  for (const k of [1, 10, 100]) nll.push(await importanceSampledNll(model, x, { k, rng: new Prng(20 + k) }));
  // K matters: each tenfold K tightens the bound by clearly more than the noise (an implementation that
  // ignored K would give equal expectations and fail these), and the K=1 "bound" is the single-sample
  // −ELBO in expectation (E[−log w] with one sample), two-sided within 4 standard errors
  for (const [a, b] of [[0, 1], [1, 2]]) {
    const d = pairedDiff(nll[a].nll, nll[b].nll);
    assert.ok(d.mean > 0.5 && d.mean > 5 * d.se, `NLL(K=${nll[a].k}) ${nll[a].mean} should exceed NLL(K=${nll[b].k}) ${nll[b].mean} clearly: diff ${d.mean} ± ${d.se}`);
  }
  const one = pairedDiff(nll[0].nll, scores.negElbo);
  assert.ok(Math.abs(one.mean) < 4 * one.se, `NLL(K=1) ${nll[0].mean} should equal the −ELBO ${ev.negElbo} in expectation: diff ${one.mean} ± ${one.se}`);

  // active units recounted here from μ (Burda et al.: Var_x(E_q[z_d]) > 0.01, variance over the examples)
  const { mu } = await model.encode(x); // [N, L]
  const L = cfg.latentDim;
  let au = 0;
  for (let d = 0; d < L; d++) {
    let m = 0;
    for (let i = 0; i < N; i++) m += mu[i * L + d] / N;
    let v = 0;
    for (let i = 0; i < N; i++) v += (mu[i * L + d] - m) ** 2 / N;
    if (v > 0.01) au++;
  }
  assert.equal(ev.activeUnits, au, 'active units equal an independent count from the posterior means');
  // an untrained encoder's μ barely depends on x: few units are active, so the count tracks training
  const untrained = new VaeModel(engine, cfg, initVaeParams(cfg, new Prng(5)));
  const before = await evaluate(untrained, x, { rng: new Prng(11) });
  assert.ok(before.activeUnits < ev.activeUnits, `training activates units: ${before.activeUnits} before, ${ev.activeUnits} after`);
  t.diagnostic(
    `−ELBO ${ev.negElbo.toFixed(2)}, IS-NLL K=1/10/100: ${nll.map((r) => `${r.mean.toFixed(2)}±${r.stdErr.toFixed(2)}`).join(' / ')} nats, ` +
      `${ev.bitsPerDim.toFixed(4)} bits/dim, active units ${ev.activeUnits}/${cfg.latentDim}`,
  );
});
