// npm run bench:core — ms per training step of the pytorch/examples VAE (784-400-20, batch 128, Adam 1e-3,
// Bernoulli-logits loss + KL) on random binary data, vaekit vs ../shared/reference/torch_vae.py.
// Options: --steps N (default 400) --rounds N (default 3) --threads N (default: cores) --steps-per-call K
// (default: the trainer's, 32). Prints the time per step with 1 step per ONNX Runtime call, then per round
// with K steps per call (what training uses) next to PyTorch's, and the median ratio.
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
  options: { steps: { type: 'string', default: '400' }, rounds: { type: 'string', default: '3' }, threads: { type: 'string' }, 'steps-per-call': { type: 'string' }, 'no-torch': { type: 'boolean' } },
});
const steps = Number(values.steps);
const rounds = Number(values.rounds);
const B = 128;
const cfg = parseVaeConfig({});
const engine = nodeEngine({ threads: values.threads ? Number(values.threads) : undefined });
const rng = new Prng(1);
const spec = {
  params: vaeParamShapes(cfg),
  data: { x: { shape: [B, 784] }, eps: { shape: [B, cfg.latentDim] } },
  loss: vaeLoss(cfg),
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
  // warm-up: 10 calls (the reference skips its first 10 steps); the first calls of a session run slower
  // while ORT's arena and V8's handling of the returned buffers settle (measured: ≈ 20% over the first 10 calls of 32 steps)
  for (let i = 0; i < 10; i++) await run(i);
  const calls = Math.ceil(steps / k);
  const t0 = performance.now();
  let last = 0;
  for (let i = 0; i < calls; i++) last = (await run(i))[k - 1].loss;
  return { ms: (performance.now() - t0) / (calls * k), loss: last };
}
// The machine is shared: vaekit and PyTorch alternate for several rounds so both see the same conditions,
// and the ratio reported is the median of the per-round ratios.
const torchStepMs = async (): Promise<{ ms: number; command: string } | null> => {
  const torch = await runTorchReference(['--max-steps', String(Math.max(steps, 60))]);
  if (!torch) return null;
  const m = /([\d.]+) ms\/step/.exec(torch.stdout);
  if (!m) throw new Error(`pytorch: could not parse output:\n${torch.stdout}`);
  return { ms: Number(m[1]), command: torch.command };
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const one = await timeSteps(1);
console.log(`vaekit: ${one.ms.toFixed(3)} ms/step with 1 step per ORT call (onnxruntime-node copies all ~8 MB of outputs on every call)`);
const ours: number[] = [];
const ratios: number[] = [];
let torchCommand = '';
for (let r = 1; r <= rounds; r++) {
  const many = await timeSteps(perCall);
  ours.push(many.ms);
  let line = `round ${r}: vaekit ${many.ms.toFixed(3)} ms/step (${perCall} steps per ORT call, ${steps} steps after warm-up, threads=${engine.threads}, loss ${many.loss.toFixed(2)})`;
  const t = values['no-torch'] ? null : await torchStepMs();
  if (t) {
    ratios.push(many.ms / t.ms);
    torchCommand = t.command;
    line += `, pytorch ${t.ms.toFixed(3)} ms/step, ratio ${(many.ms / t.ms).toFixed(3)}`;
  }
  console.log(line);
}
console.log(`vaekit: ${median(ours).toFixed(3)} ms/step with ${perCall} steps per ORT call (median of ${rounds} rounds)`);
if (ratios.length) {
  console.log(`pytorch: ${torchCommand}`);
  console.log(`ratio vaekit/pytorch: ${median(ratios).toFixed(3)} median of ${ratios.length} rounds (range ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}; target <= 0.6)`);
}
