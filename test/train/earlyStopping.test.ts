// Early stopping on validation −ELBO, and the Gaussian likelihoods training on real digits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imageRows, subset } from '../../src/data/dataset.js';
import { readAll } from '../../src/data/datasetView.js';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';
import { evalSeed, heldOutImages } from '../../src/train/heldOut.js';
import { elboMeans } from '../../src/eval/elboMeans.js';
import { splitTrainVal } from '../../src/train/split.js';
import { parseTrainConfig } from '../../src/train/trainConfig.js';
import { Trainer, type EpochRecord, type TrainEvent } from '../../src/train/trainer.js';

const engine = nodeEngine({ threads: 2 });

test('patience stops a run that overfits and keeps the best validation epoch', async () => {
  const d = await loadEmbeddedMnist();
  // 300 examples and a wide model overfit within a few epochs, so validation −ELBO turns up
  const train = subset(d.train, Array.from({ length: 300 }, (_, i) => i));
  const model = parseVaeConfig({ hidden: [512], latentDim: 20 });
  const training = parseTrainConfig({ epochs: 60, batchSize: 32, lr: 3e-3, seed: 2, patience: 2, valFraction: 0.3 });
  const t = await Trainer.create(engine, model, training, { train });
  const events: TrainEvent[] = [];
  assert.equal(await t.run((e) => e.type !== 'step' && events.push(e)), 'earlyStopped');
  const hist = t.history as EpochRecord[];
  assert.ok(hist.length < 60, `should stop early, ran ${hist.length} epochs`);
  const vals = hist.map((r) => r.val!.negElbo);
  const bestEpoch = vals.indexOf(Math.min(...vals)) + 1;
  assert.equal(hist.length, bestEpoch + 2, 'stops after exactly `patience` epochs without improvement');
  assert.deepEqual(events.at(-1), { type: 'earlyStop', epoch: hist.length, bestEpoch });
  // the kept parameters score the best epoch's validation −ELBO again
  const { val } = splitTrainVal(imageRows(train), 0.3, training.seed);
  const x = heldOutImages(readAll(val!).x, training, 'val');
  const r = await new VaeModel(engine, model, t.bestParams!).elboTerms(x, new Prng(evalSeed(training.seed)));
  assert.equal(elboMeans(r.recon, r.kl).negElbo, vals[bestEpoch - 1]);
  // running again after an early stop does nothing more
  assert.equal(await t.run(), 'earlyStopped');
});

test('Gaussian likelihoods (fixed, learned, learned per dimension) train on real digits', async () => {
  const d = await loadEmbeddedMnist();
  const data = { train: subset(d.train, Array.from({ length: 2000 }, (_, i) => i)), test: subset(d.test, Array.from({ length: 300 }, (_, i) => i)) };
  for (const sigma of [0.1, 'learned', 'learned-per-dim'] as const) {
    const model = parseVaeConfig({ hidden: [128], latentDim: 8, likelihood: { type: 'gaussian', sigma } });
    const t = await Trainer.create(engine, model, parseTrainConfig({ epochs: 3, seed: 4, lr: 1e-2 }), data);
    const before = await new VaeModel(engine, model, t.params()).elboTerms(data.test.images, new Prng(1));
    await t.run();
    const after = t.history.at(-1)!.test!.negElbo;
    const start = elboMeans(before.recon, before.kl).negElbo;
    assert.ok(after < start - 100, `σ=${sigma}: test −ELBO ${start.toFixed(1)} → ${after.toFixed(1)} should fall by > 100 nats`);
    if (sigma !== 0.1) {
      // a learned variance falls below 1 (it starts at σ = 1), which lets the Gaussian −ELBO go negative on [0,1] pixels
      const logvar = t.params()['lik.logvar'];
      const meanLogvar = logvar.reduce((a, v) => a + v, 0) / logvar.length;
      assert.ok(meanLogvar < -0.25, `learned log σ² (mean over ${logvar.length}) should fall below −0.25 from 0, got ${meanLogvar}`);
    }
  }
});
