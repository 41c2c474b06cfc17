// npm run bench:conv — ms per training step of the Keras conv VAE (bench/convVaeNet.ts) on Fashion-MNIST, batch
// 128, Adam 1e-3, against ../shared/reference/torch_conv_vae.py (PyTorch 1.13) run as its header says, in
// alternating rounds on the same machine; prints the model's FLOPs per step, the GFLOP/s reached and the ratio.
// Options: --steps N (timed steps per round, default 60) --rounds N (default 3) --threads N (default: cores)
// --steps-per-call K (default 4) --latent L (default 2, the Keras example's and the reference's default)
// --plain (serialize without the CPU lowerings: the dilated-Conv weight gradient an export would carry) --no-torch
// --no-nchwc (the CPU lowerings without ORT's NCHWc convolution kernels)
// --cpu-time (also measure CPU time per step, vaekit's process and PyTorch's from two runs of different lengths;
// on a machine shared with other jobs, wall time measures the contention and CPU time the work; use --threads 1).
import { parseArgs } from 'node:util';
import { gemm } from '../src/graph/ops/index.js';
import { toOnnx } from '../src/graph/serialize.js';
import { Graph } from '../src/graph/tensor.js';
import { loadFashionMnist, nodeEngine } from '../src/node.js';
import { adam } from '../src/optim/adam.js';
import { StepRunner } from '../src/optim/stepRunner.js';
import { Prng } from '../src/random/prng.js';
import { convVae } from './convVaeNet.js';
import { runTorchReference, torchCpuMsPerStep, TORCH_CONV_SCRIPT } from './torchReference.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '60' },
    rounds: { type: 'string', default: '3' },
    threads: { type: 'string' },
    'steps-per-call': { type: 'string', default: '4' },
    latent: { type: 'string', default: '2' },
    plain: { type: 'boolean' },
    'no-nchwc': { type: 'boolean' },
    'cpu-time': { type: 'boolean' },
    'no-torch': { type: 'boolean' },
  },
});
const steps = Number(values.steps);
const rounds = Number(values.rounds);
const perCall = Number(values['steps-per-call']);
const L = Number(values.latent);
const B = 128;
const model = convVae(L);
const engine = nodeEngine({ threads: values.threads ? Number(values.threads) : undefined, nchwc: !values['no-nchwc'] });
if (values.plain) {
  // the same graphs written with ONNX Runtime's own Conv/ConvTranspose kernels (what an export emits)
  engine.compile = (g, outs, name = 'graph') => engine.compileBytes(toOnnx(g, outs, { name, lower: false }), g, outs, name);
}
const rng = new Prng(1);
const { train } = await loadFashionMnist();
const spec = { params: model.shapes, data: { x: { shape: [B, 1, 28, 28] }, eps: { shape: [B, L] } }, loss: model.loss, optimizer: adam({ lr: 1e-3 }) };
const t0 = performance.now();
const runner = await StepRunner.create(engine, spec, { params: model.init(rng) }, perCall);
console.log(`compiled ${perCall} steps per call in ${((performance.now() - t0) / 1000).toFixed(1)} s (${values.plain ? 'plain ONNX, no CPU lowerings' : `with the CPU lowerings: conv weight gradients as Gemm, ${(await engine.nchwcBlock()) ? `convolutions as NCHWc kernels (block ${await engine.nchwcBlock()})` : 'no NCHWc kernels'}`})`);

// a pool of shuffled real batches, so data preparation stays out of the timing
const poolBatches = 16 + perCall;
const pool = new Float32Array(poolBatches * B * 784);
for (let i = 0; i < poolBatches * B; i++) {
  const k = Math.floor(rng.uniform() * train.n);
  pool.set(train.images.subarray(k * 784, (k + 1) * 784), i * 784);
}
const eps = new Float32Array(perCall * B * L);
let call = 0;
async function runCall(): Promise<number> {
  rng.normals(eps);
  const off = ((call++ * perCall) % 16) * B * 784;
  const m = await runner.runSteps({ x: pool.subarray(off, off + perCall * B * 784), eps }, perCall);
  return m[perCall - 1].loss;
}
const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
async function timeSteps(): Promise<{ ms: number; cpu: number; loss: number }> {
  // warm-up: 3 calls (the reference skips its first 10 steps)
  for (let i = 0; i < 3; i++) await runCall();
  const calls = Math.ceil(steps / perCall);
  const start = performance.now();
  const cpu0 = cpuMs();
  let loss = 0;
  for (let i = 0; i < calls; i++) loss = await runCall();
  return { ms: (performance.now() - start) / (calls * perCall), cpu: (cpuMs() - cpu0) / (calls * perCall), loss };
}
async function torchStepMs(): Promise<{ ms: number; command: string } | null> {
  // the reference's fair settings (its header): torch 2 threads, OpenBLAS 1
  const torch = await runTorchReference(['--latent', String(L), '--max-steps', String(Math.max(steps, 20) + 10)], TORCH_CONV_SCRIPT, { torch: 2, openblas: 1 });
  if (!torch) return null;
  const m = /([\d.]+) ms\/step/.exec(torch.stdout);
  if (!m) throw new Error(`pytorch: could not parse output:\n${torch.stdout}`);
  return { ms: Number(m[1]), command: torch.command };
}

// Machine check: what one plain sgemm reaches right now. The machine is shared; when this is far below its idle
// figure (≈390 GFLOP/s on 2 threads), wall times measure the contention and --cpu-time the work.
async function sgemmGflops(): Promise<number> {
  const g = new Graph();
  const n = 1024;
  const f = await engine.compile(g, { y: gemm(g.input('a', [n, n]), g.input('b', [n, n])) }, 'sgemm');
  const feeds = { a: new Float32Array(n * n).fill(0.5), b: new Float32Array(n * n).fill(0.25) };
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await f.run(feeds);
    best = Math.min(best, performance.now() - t);
  }
  await f.release();
  return (2 * n ** 3) / best / 1e6;
}
console.log(`machine check: a 1024³ sgemm in ONNX Runtime reaches ${(await sgemmGflops()).toFixed(0)} GFLOP/s now (threads=${engine.threads}; about 390 on this machine when idle)`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const flops = model.flopsPerStep(B);
console.log(`model: ${(flops / 1e9).toFixed(2)} GFLOP per step (convolutions and dense layers, forward + gradients), latent ${L}, threads=${engine.threads}`);
const ours: number[] = [];
const ratios: number[] = [];
const cpuRatios: number[] = [];
let command = '';
for (let r = 1; r <= rounds; r++) {
  const v = await timeSteps();
  ours.push(v.ms);
  let line = `round ${r}: vaekit ${v.ms.toFixed(1)} ms/step, ${(flops / v.ms / 1e6).toFixed(0)} GFLOP/s (loss ${v.loss.toFixed(1)})`;
  const t = values['no-torch'] ? null : await torchStepMs();
  if (t) {
    ratios.push(v.ms / t.ms);
    command = t.command;
    line += `, pytorch ${t.ms.toFixed(1)} ms/step (${(flops / t.ms / 1e6).toFixed(0)} GFLOP/s), ratio ${(v.ms / t.ms).toFixed(2)}`;
  }
  if (values['cpu-time']) {
    const tc = values['no-torch'] ? null : torchCpuMsPerStep(TORCH_CONV_SCRIPT, ['--latent', String(L)], { torch: engine.threads, openblas: 1 }, Math.max(steps, 20));
    line += `\n  CPU time: vaekit ${v.cpu.toFixed(1)} ms/step` + (tc === null ? '' : `, pytorch (torch threads ${engine.threads}, OpenBLAS 1) ${tc.toFixed(1)} ms/step, ratio ${(v.cpu / tc).toFixed(2)}`);
    if (tc !== null) cpuRatios.push(v.cpu / tc);
  }
  console.log(line);
}
const ms = median(ours);
console.log(`vaekit: ${ms.toFixed(1)} ms/step, ${(flops / ms / 1e6).toFixed(0)} GFLOP/s (median of ${rounds} rounds, ${perCall} steps per ORT call; target >= 100 GFLOP/s)`);
if (ratios.length) {
  console.log(`pytorch: ${command}`);
  console.log(`ratio vaekit/pytorch: ${median(ratios).toFixed(2)} median of ${ratios.length} rounds (range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}; target <= 0.5)`);
}
if (cpuRatios.length) console.log(`CPU-time ratio vaekit/pytorch: ${median(cpuRatios).toFixed(2)} median of ${cpuRatios.length} rounds`);
