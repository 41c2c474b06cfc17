// npm run bench:iwae — the comparison of Burda et al. 2015 ("Importance Weighted Autoencoders", table 1) on
// Fashion-MNIST with dynamic binarization: VAE (K = 1), VAE (K = 5: the ELBO averaged over 5 samples) and
// IWAE (K = 5), the same architecture (the mlp preset as in the paper: 2 hidden layers of 200 tanh units,
// 50 latent dimensions, Bernoulli logits), the same epochs, Adam and seed. For each it prints the test
// IS-NLL with K importance samples (the paper's K = 5000 by default), the single-sample test −ELBO and the
// active units (Var_x μ(x) > 0.01). Expected from the paper's trend: IWAE has the lowest NLL and more active
// units. Nats per image; the test images are binarized once with the trainer's held-out draw.
// The models are scored on the same images, so each difference to VAE (K=1) is also given with its paired
// standard error (over images), which is far smaller than the spread of the NLL itself.
// Options: --epochs N (default 3), --iw K (default 5000), --test-n N (test images scored, default 500 of
// 10,000: IS with K = 5000 costs 5000 decoder passes per image, ≈ 12 min per model for 500 images on the
// shared 2-core dev machine; --test-n 10000 for the paper's full test set), --train-n N (train on the first
// N images only, for a quick look; default all 60,000), --batch B (100), --threads N,
// --data DIR (Fashion-MNIST IDX files; default /usr/share/datasets/fashion-mnist).
import { parseArgs } from 'node:util';
import { subset } from '../src/data/dataset.js';
import { activeUnits } from '../src/eval/activeUnits.js';
import { scoreExamples } from '../src/eval/evaluate.js';
import { parseVaeConfig } from '../src/models/vaeConfig.js';
import { VaeModel } from '../src/models/vaeModel.js';
import { nodeEngine } from '../src/node.js';
import { loadFashionMnist } from '../src/node/fashionMnist.js';
import { Prng } from '../src/random/prng.js';
import { heldOutImages } from '../src/train/heldOut.js';
import { parseTrainConfig } from '../src/train/trainConfig.js';
import { Trainer } from '../src/train/trainer.js';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '3' },
    iw: { type: 'string', default: '5000' },
    'test-n': { type: 'string', default: '500' },
    'train-n': { type: 'string' },
    batch: { type: 'string', default: '100' },
    threads: { type: 'string' },
    data: { type: 'string' },
  },
});
const int = (name: string, v: string, min: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${v}`);
  return n;
};
const epochs = int('epochs', values.epochs!, 1);
const K = int('iw', values.iw!, 1);
const batchSize = int('batch', values.batch!, 1);

const data = await loadFashionMnist(values.data);
const testN = Math.min(int('test-n', values['test-n']!, 1), data.test.n);
const test = subset(data.test, Array.from({ length: testN }, (_, i) => i));
const trainN = Math.min(int('train-n', values['train-n'] ?? String(data.train.n), 1), data.train.n);
const train = trainN === data.train.n ? data.train : subset(data.train, Array.from({ length: trainN }, (_, i) => i));
const engine = nodeEngine({ threads: values.threads ? Number(values.threads) : undefined });
const training = parseTrainConfig({ epochs, batchSize, lr: 1e-3, seed: 1, binarize: 'dynamic' });
const x = heldOutImages(test.images, training, 'test'); // one fixed binarization of the scored test images

const runs = [
  { name: 'VAE (K=1)', objective: { type: 'elbo', k: 1 } },
  { name: 'VAE (K=5)', objective: { type: 'elbo', k: 5 } },
  { name: 'IWAE (K=5)', objective: { type: 'iwae', k: 5 } },
] as const;

console.log(
  `bench:iwae — Fashion-MNIST (${trainN} train, dynamic binarization), 784-200-200-50 tanh, Bernoulli; ` +
    `Adam 1e-3, batch ${batchSize}, ${epochs} epoch${epochs === 1 ? '' : 's'}, seed 1; test: first ${testN} images, IS-NLL with K = ${K}`,
);
/** Mean and standard error over images. */
function meanSe(v: ArrayLike<number>): { m: number; se: number } {
  const a = Array.from(v);
  const m = a.reduce((s, x) => s + x, 0) / a.length;
  return { m, se: Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1) / a.length) };
}
const results: { name: string; trainS: number; evalS: number; nll: Float64Array; negElbo: Float32Array; active: number }[] = [];
for (const run of runs) {
  const model = parseVaeConfig({ arch: 'mlp', hidden: [200, 200], activation: 'tanh', latentDim: 50, objective: run.objective });
  const t0 = performance.now();
  const trainer = await Trainer.create(engine, model, training, { train });
  await trainer.run((e) => {
    if (e.type === 'epoch') {
      const bound = e.train.negIwae !== undefined ? `−IWAE-${run.objective.k} ${e.train.negIwae.toFixed(2)}` : `−ELBO ${e.train.negElbo.toFixed(2)}`;
      console.log(`  ${run.name} epoch ${e.epoch}: ${e.seconds.toFixed(1)} s, train ${bound}`);
    }
  });
  const t1 = performance.now();
  // per-image IS-NLL and −ELBO (src/eval/evaluate.ts), and active units from the posterior means
  const vae = new VaeModel(engine, model, trainer.params());
  const s = await scoreExamples(vae, x, { rng: new Prng(2026), k: K });
  const active = activeUnits((await vae.encode(x)).mu, testN, 50).count;
  results.push({ name: run.name, trainS: (t1 - t0) / 1000, evalS: (performance.now() - t1) / 1000, nll: s.nll!, negElbo: s.negElbo, active });
}

const base = results[0];
const fmt = (v: { m: number; se: number }) => `${v.m.toFixed(2)} ± ${v.se.toFixed(2)}`;
console.log(`\nnats per image (± standard error over the ${testN} images; Δ: paired difference to ${base.name})`);
console.log(`${'model'.padEnd(11)}  ${`IS-NLL (K=${K})`.padEnd(16)}  ${'Δ IS-NLL'.padEnd(14)}  ${'test −ELBO'.padEnd(16)}  ${'Δ −ELBO'.padEnd(14)}  active  train s  eval s`);
for (const r of results) {
  const dNll = meanSe(r.nll.map((v, i) => v - base.nll[i]));
  const dElbo = meanSe(r.negElbo.map((v, i) => v - base.negElbo[i]));
  console.log(
    `${r.name.padEnd(11)}  ${fmt(meanSe(r.nll)).padEnd(16)}  ${(r === base ? '' : fmt(dNll)).padEnd(14)}  ${fmt(meanSe(r.negElbo)).padEnd(16)}  ${(r === base ? '' : fmt(dElbo)).padEnd(14)}  ` +
      `${`${r.active}/50`.padStart(6)}  ${r.trainS.toFixed(0).padStart(7)}  ${r.evalS.toFixed(0).padStart(6)}`,
  );
}
const best = results.reduce((a, b) => (meanSe(b.nll).m < meanSe(a.nll).m ? b : a));
console.log(`lowest IS-NLL: ${best.name} (the paper's trend: IWAE (K=5) lowest, with the most active units)`);
