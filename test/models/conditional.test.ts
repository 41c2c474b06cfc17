// A conditional VAE on the real embedded digits: its samples of class c look like a c. The judge is a
// softmax-regression classifier trained here, in plain JavaScript (float64), on the real training images
// and labels, and checked on the real test images first. Each class's conditional samples must be
// classified as that class at least 80% of the time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';
import { parseTrainConfig } from '../../src/train/trainConfig.js';
import { Trainer } from '../../src/train/trainer.js';

const D = 784, C = 10;

/** Multinomial logistic regression x [n, D] → C classes, trained by minibatch SGD on the cross-entropy. */
function trainSoftmax(x: Float32Array, labels: ArrayLike<number>, n: number, epochs: number, rng: Prng): (img: Float32Array) => number {
  const W = new Float64Array(C * D);
  const b = new Float64Array(C);
  const p = new Float64Array(C);
  const logits = (img: ArrayLike<number>, off: number) => {
    for (let c = 0; c < C; c++) {
      let s = b[c];
      for (let d = 0; d < D; d++) s += W[c * D + d] * img[off + d];
      p[c] = s;
    }
    return p;
  };
  for (let e = 0; e < epochs; e++) {
    const lr = 0.5 / (1 + e);
    for (const i of rng.permutation(n)) {
      const z = logits(x, i * D);
      const m = Math.max(...z);
      let sum = 0;
      for (let c = 0; c < C; c++) sum += (z[c] = Math.exp(z[c] - m));
      for (let c = 0; c < C; c++) {
        const g = (z[c] / sum - (c === labels[i] ? 1 : 0)) * lr * 0.1;
        b[c] -= g;
        for (let d = 0; d < D; d++) W[c * D + d] -= g * x[i * D + d];
      }
    }
  }
  return (img) => {
    const z = logits(img, 0);
    return z.indexOf(Math.max(...z));
  };
}

test('conditional samples of each digit are classified as that digit ≥ 80% of the time', async () => {
  const { train, test: held } = await loadEmbeddedMnist();
  const classify = trainSoftmax(train.images, train.labels, train.n, 4, new Prng(1));
  let right = 0;
  for (let i = 0; i < held.n; i++) right += classify(held.images.subarray(i * D, (i + 1) * D)) === held.labels[i] ? 1 : 0;
  assert.ok(right / held.n > 0.85, `the classifier must be good on real digits first: ${right / held.n}`);

  const engine = nodeEngine({ threads: 2 });
  // a 2-D latent leaves the class to the label (with 8 dimensions, prior samples drift between classes: 32–70% here)
  const cfg = parseVaeConfig({ hidden: [256], latentDim: 2, classes: C });
  const trainer = await Trainer.create(engine, cfg, parseTrainConfig({ epochs: 8, batchSize: 100, seed: 3 }), { train });
  await trainer.run();
  const model = new VaeModel(engine, cfg, trainer.params());
  const per = 100;
  const rates: number[] = [];
  for (let c = 0; c < C; c++) {
    const imgs = await model.sample(per, new Prng(50 + c), { labels: c }); // [per, D] pixel means
    let hits = 0;
    for (let i = 0; i < per; i++) hits += classify(imgs.subarray(i * D, (i + 1) * D)) === c ? 1 : 0;
    rates.push(hits / per);
  }
  assert.ok(rates.every((r) => r >= 0.8), `share of samples classified as their label, per class: ${rates.join(', ')}`);
  // and the label is what decides: the same z decoded as another class is classified as that one
  const z = new Prng(9).normals(new Float32Array(per * 2));
  const asThree = await model.decode(z, { labels: 3 });
  const asSeven = await model.decode(z, { labels: 7 });
  let flips = 0;
  for (let i = 0; i < per; i++) flips += classify(asThree.subarray(i * D, (i + 1) * D)) === 3 && classify(asSeven.subarray(i * D, (i + 1) * D)) === 7 ? 1 : 0;
  assert.ok(flips >= 0.7 * per, `same z, label 3 then 7: ${flips} of ${per} classified 3 then 7`);
});
