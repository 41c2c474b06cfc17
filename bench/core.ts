// npm run bench:core — ms per training step of the pytorch/examples VAE (784-400-20, batch 128, Adam 1e-3,
// Bernoulli-logits loss + KL) on random binary data, vaekit vs ../shared/reference/torch_vae.py.
// Options: --steps N (default 400) --threads N (default: cores) --steps-per-call K (default: the trainer's, 32).
// Prints the time per step with K steps per ONNX Runtime call (what training uses) and with 1.
import { parseArgs } from 'node:util';
import { nodeEngine } from '../src/node.js';
import { adam } from '../src/optim/adam.js';
import { StepRunner } from '../src/optim/stepRunner.js';
import { DEFAULT_STEPS_PER_CALL } from '../src/train/trainer.js';
import { initVaeParams, vaeLoss, vaeParamShapes } from '../src/models/vae.js';
import { parseVaeConfig } from '../src/models/vaeConfig.js';
import { Prng } from '../src/random/prng.js';
import { runTorchReference } from './torchReference.js';

const { values } = parseArgs({
  options: { steps: { type: 'string', default: '400' }, threads: { type: 'string' }, 'steps-per-call': { type: 'string' }, 'no-torch': { type: 'boolean' } },
});
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
const perCall = values['steps-per-call'] ? Number(values['steps-per-call']) : DEFAULT_STEPS_PER_CALL;
const poolBatches = 8;
const pool = Float32Array.from({ length: (poolBatches + perCall) * B * 784 }, () => (rng.uniform() < 0.5 ? 1 : 0));

async function timeSteps(k: number): Promise<{ ms: number; loss: number }> {
  const eps = new Float32Array(k * B * cfg.latentDim);
  const run = async (i: number) => {
    rng.normals(eps);
    const off = ((i * k) % poolBatches) * B * 784;
    return runner.runSteps({ x: pool.subarray(off, off + k * B * 784), eps }, k);
  };
  for (let i = 0; i < Math.ceil(24 / k); i++) await run(i);
  const calls = Math.ceil(steps / k);
  const t0 = performance.now();
  let last = 0;
  for (let i = 0; i < calls; i++) last = (await run(i))[k - 1].loss;
  return { ms: (performance.now() - t0) / (calls * k), loss: last };
}
const one = await timeSteps(1);
const many = perCall === 1 ? one : await timeSteps(perCall);
const ms = many.ms;
console.log(`vaekit: ${ms.toFixed(3)} ms/step with ${perCall} steps per ORT call (${steps} steps after warm-up, threads=${engine.threads}, loss ${many.loss.toFixed(2)})`);
console.log(`vaekit: ${one.ms.toFixed(3)} ms/step with 1 step per ORT call (onnxruntime-node copies all ~8 MB of outputs on every call)`);
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
