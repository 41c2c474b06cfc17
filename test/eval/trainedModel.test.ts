// IS-NLL, −ELBO and active units of a real (briefly trained) 784-400-20 VAE on the embedded MNIST digits.
// The inequalities checked are theorems about expectations (Burda et al. 2016, Thm 1: E[L_1] ≤ E[L_10] ≤
// E[L_100] ≤ log p(x)), so each is asserted up to Monte-Carlo noise: 3 standard errors of the *paired*
// per-example difference (the same 500 images under both estimates, so the large between-image spread
// cancels and only the sampling noise remains; a false failure has probability ≈ 0.1% per check).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binarizeStatic } from '../../src/data/binarize.js';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { evaluate, scoreExamples } from '../../src/eval/evaluate.js';
import { importanceSampledNll } from '../../src/eval/importanceSampling.js';
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

test('trained VAE: IS-NLL ≤ −ELBO, NLL(K=1) ≥ NLL(K=10) ≥ NLL(K=100), 1 ≤ active units ≤ L', async (t) => {
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
  for (const [a, b] of [[0, 1], [1, 2]]) {
    const d = pairedDiff(nll[a].nll, nll[b].nll);
    assert.ok(d.mean >= -3 * d.se, `NLL(K=${nll[a].k}) ${nll[a].mean} should be ≥ NLL(K=${nll[b].k}) ${nll[b].mean}: diff ${d.mean} ± ${d.se}`);
  }
  assert.ok(ev.activeUnits >= 1 && ev.activeUnits <= cfg.latentDim, `active units ${ev.activeUnits}`);
  t.diagnostic(
    `−ELBO ${ev.negElbo.toFixed(2)}, IS-NLL K=1/10/100: ${nll.map((r) => `${r.mean.toFixed(2)}±${r.stdErr.toFixed(2)}`).join(' / ')} nats, ` +
      `${ev.bitsPerDim.toFixed(4)} bits/dim, active units ${ev.activeUnits}/${cfg.latentDim}`,
  );
});
