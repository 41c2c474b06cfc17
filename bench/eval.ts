// npm run bench:eval — examples/second of importance-sampled NLL (K = 5000 by default) on the Fashion-MNIST
// test set with the pytorch/examples VAE (784-400-20, Bernoulli on grey pixels), plus the process's peak RSS.
// Weights: PyTorch-style random init (seed 1), then --epochs of training on Fashion-MNIST train (default 1,
// so the NLL printed is a real model's; 0 times a random-init model — same speed, the graph is the same).
// Options: --k N (default 5000) --n N (test examples, default 10000) --epochs N (default 1)
//          --threads N (default: cores) --chunk N (samples per graph call, default: defaultChunk).
import { parseArgs } from 'node:util';
import { defaultChunk, importanceSampledNll } from '../src/eval/importanceSampling.js';
import { initVaeParams } from '../src/models/vae.js';
import { parseVaeConfig } from '../src/models/vaeConfig.js';
import { INFER_BATCH, VaeModel } from '../src/models/vaeModel.js';
import { nodeEngine } from '../src/node.js';
import { loadFashionMnist } from '../src/node/fashionMnist.js';
import { Prng } from '../src/random/prng.js';
import { parseTrainConfig } from '../src/train/trainConfig.js';
import { Trainer } from '../src/train/trainer.js';

const { values } = parseArgs({
  options: {
    k: { type: 'string', default: '5000' },
    n: { type: 'string', default: '10000' },
    epochs: { type: 'string', default: '1' },
    threads: { type: 'string' },
    chunk: { type: 'string' },
  },
});
const k = Number(values.k);
const epochs = Number(values.epochs);
const cfg = parseVaeConfig({});
const engine = nodeEngine({ threads: values.threads ? Number(values.threads) : undefined });
const { train, test } = await loadFashionMnist();
const n = Math.min(Number(values.n), test.n);
const images = test.images.subarray(0, n * 784);

let params = initVaeParams(cfg, new Prng(1));
let weights = 'random init (seed 1)';
if (epochs > 0) {
  const t0 = performance.now();
  const trainer = await Trainer.create(engine, cfg, parseTrainConfig({ epochs, seed: 1 }), { train });
  await trainer.run();
  params = trainer.params();
  weights = `trained ${epochs} epoch(s) on fashion-mnist/train, Adam 1e-3, batch 128 (${((performance.now() - t0) / 1000).toFixed(1)} s)`;
}
const model = new VaeModel(engine, cfg, params);
const chunk = values.chunk ? Number(values.chunk) : defaultChunk(cfg, k);
// compile the graph outside the timing: one call of the same [500, chunk] shape
await importanceSampledNll(model, images.subarray(0, 784), { k: chunk, chunk, rng: new Prng(0) });

const rssBefore = process.memoryUsage().rss / 2 ** 20; // data, training and the compiled graph, before IS runs
let lastPct = -1;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const r = await importanceSampledNll(model, images, {
  k,
  chunk,
  rng: new Prng(2),
  onProgress: (done, total) => {
    const pct = Math.floor((100 * done) / total / 10) * 10;
    if (pct > lastPct) {
      lastPct = pct;
      process.stderr.write(`  ${pct}% (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
    }
  },
});
const s = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuS = (cpu.user + cpu.system) / 1e6; // all threads; steadier than wall time on a shared machine
const rssMiB = process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
console.log(`weights: ${weights}`);
console.log(`IS-NLL (K=${k}) on ${n} fashion-mnist test images: ${r.mean.toFixed(2)} ± ${r.stdErr.toFixed(2)} nats/example (Bernoulli on grey pixels)`);
console.log(
  `speed: ${(n / s).toFixed(2)} examples/s, ${((n * k) / s / 1e6).toFixed(3)} M importance samples/s ` +
    `(${s.toFixed(1)} s; threads=${engine.threads}, ${INFER_BATCH} rows x ${chunk} samples per graph call)`,
);
console.log(`cpu: ${cpuS.toFixed(1)} s user+sys, ${((cpuS / (n * k)) * 1e6).toFixed(2)} cpu-µs per importance sample`);
console.log(`peak RSS: ${rssMiB.toFixed(0)} MiB (RSS before the timed IS run: ${rssBefore.toFixed(0)} MiB)`);
