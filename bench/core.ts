// npm run bench:core — ms per training step of the pytorch/examples VAE (784-400-20, batch 128, Adam 1e-3,
// Bernoulli-logits loss + KL) on random binary data, vaekit vs ../shared/reference/torch_vae.py.
// Options: --steps N (default 300) --threads N (default: cores).
import { parseArgs } from 'node:util';
import { nodeEngine } from '../src/node.js';
import { adam } from '../src/optim/adam.js';
import { StepRunner } from '../src/optim/stepRunner.js';
import { initVaeParams, vaeLoss, vaeParamShapes } from '../src/models/vae.js';
import { parseVaeConfig } from '../src/models/vaeConfig.js';
import { Prng } from '../src/random/prng.js';
import { runTorchReference } from './torchReference.js';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '300' }, threads: { type: 'string' }, 'no-torch': { type: 'boolean' } } });
const steps = Number(values.steps);
const B = 128;
const cfg = parseVaeConfig({});
const engine = nodeEngine({ threads: values.threads ? Number(values.threads) : undefined });
const rng = new Prng(1);
const spec = {
  params: vaeParamShapes(cfg),
  data: { x: { shape: [B, 784] }, eps: { shape: [B, cfg.latentDim] } },
  loss: (p: Record<string, import('../src/graph/tensor.js').Tensor>, d: Record<string, import('../src/graph/tensor.js').Tensor>) => vaeLoss(cfg, p, d.x, d.eps),
  optimizer: adam({ lr: 1e-3 }),
};
const runner = await StepRunner.create(engine, spec, { params: initVaeParams(cfg, rng) });
// a pool of random binary batches, so data generation stays out of the timing
const pool = Array.from({ length: 8 }, () => Float32Array.from({ length: B * 784 }, () => (rng.uniform() < 0.5 ? 1 : 0)));
const eps = new Float32Array(B * cfg.latentDim);
const warm = 20;
let t0 = 0;
let last = 0;
for (let i = 0; i < steps + warm; i++) {
  if (i === warm) t0 = performance.now();
  rng.normals(eps);
  last = (await runner.step({ x: pool[i % pool.length], eps })).loss;
}
const ms = (performance.now() - t0) / steps;
console.log(`vaekit: ${ms.toFixed(3)} ms/step (${steps} steps after ${warm} warm-up, threads=${engine.threads}, final loss ${last.toFixed(2)})`);
if (!values['no-torch']) {
  const torch = await runTorchReference(['--max-steps', String(Math.max(steps, 60))]);
  if (torch) {
    const m = /([\d.]+) ms\/step/.exec(torch.stdout);
    if (m) {
      const tms = Number(m[1]);
      console.log(`pytorch: ${tms.toFixed(3)} ms/step (${torch.command})`);
      console.log(`ratio vaekit/pytorch: ${(ms / tms).toFixed(3)} (target <= 0.6)`);
    } else console.log(`pytorch: could not parse output:\n${torch.stdout}`);
  }
}
