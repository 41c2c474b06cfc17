// npm run bench:conv-layers — forward, input-gradient and weight-gradient time of each convolution of the
// Keras conv VAE (batch 128, 2 threads by default), serialized as plain ONNX Conv/ConvTranspose, with the
// CPU lowerings of src/graph/convLowerings.ts, and with those and the NCHWc kernels (src/graph/nchwcLowerings.ts),
// with the GFLOP/s each reaches.
// Options: --threads N (default 2) --reps N (timed runs per graph, default 10; the median is printed)
// --cpu-time (time the process's CPU time instead of the wall clock: on a machine shared with other jobs,
// 1 thread and CPU time measure the work each form does).
import { parseArgs } from 'node:util';
import { grad } from '../src/autodiff/grad.js';
import { conv2d, convTranspose2d } from '../src/graph/ops/index.js';
import { toOnnx, type ToOnnxOptions } from '../src/graph/serialize.js';
import { Graph, type Tensor } from '../src/graph/tensor.js';
import { nodeEngine } from '../src/node.js';
import { Prng } from '../src/random/prng.js';

const { values } = parseArgs({ options: { threads: { type: 'string', default: '2' }, reps: { type: 'string', default: '10' }, 'cpu-time': { type: 'boolean' } } });
const clock = values['cpu-time'] ? () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; } : () => performance.now();
const engine = nodeEngine({ threads: Number(values.threads) });
const reps = Number(values.reps);
const B = 128;
const rng = new Prng(3);

interface Layer {
  name: string;
  x: number[];
  w: number[];
  f: (x: Tensor, w: Tensor, b: Tensor) => Tensor;
}
// name, input [B,C,H,W], weight, and the op (stride 2 / pad 1 / output padding 1 as in the network)
const layers: Layer[] = [
  { name: 'enc Conv(1→32,3,s2,p1) 28→14', x: [B, 1, 28, 28], w: [32, 1, 3, 3], f: (x, w, b) => conv2d(x, w, b, { stride: 2, pad: 1 }) },
  { name: 'enc Conv(32→64,3,s2,p1) 14→7', x: [B, 32, 14, 14], w: [64, 32, 3, 3], f: (x, w, b) => conv2d(x, w, b, { stride: 2, pad: 1 }) },
  { name: 'dec ConvT(64→64,3,s2,p1,op1) 7→14', x: [B, 64, 7, 7], w: [64, 64, 3, 3], f: (x, w, b) => convTranspose2d(x, w, b, { stride: 2, pad: 1, outputPadding: 1 }) },
  { name: 'dec ConvT(64→32,3,s2,p1,op1) 14→28', x: [B, 64, 14, 14], w: [64, 32, 3, 3], f: (x, w, b) => convTranspose2d(x, w, b, { stride: 2, pad: 1, outputPadding: 1 }) },
  { name: 'dec ConvT(32→1,3,s1,p1) 28→28', x: [B, 32, 28, 28], w: [32, 1, 3, 3], f: (x, w, b) => convTranspose2d(x, w, b, { stride: 1, pad: 1 }) },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const nchwcBlock = await engine.nchwcBlock();
// the forms compared: plain ONNX, the CPU lowerings without NCHWc kernels, and with them (what the engine writes)
const FORMS = [
  ['plain', { lower: false }],
  ['lowered', { lower: true }],
  [`nchwc${nchwcBlock ?? '(none)'}`, { lower: true, nchwcBlock }],
] as const;

async function timeGraph(g: Graph, outs: Record<string, Tensor>, opts: ToOnnxOptions, feeds: Record<string, Float32Array>): Promise<number> {
  const f = await engine.compileBytes(toOnnx(g, outs, opts), g, outs, 'bench');
  for (let i = 0; i < 3; i++) await f.run(feeds);
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = clock();
    await f.run(feeds);
    ts.push(clock() - t0);
  }
  await f.release();
  return median(ts);
}

console.log(`threads=${engine.threads}, batch ${B}, median of ${reps} runs (${values['cpu-time'] ? 'CPU' : 'wall'} time); GFLOP/s counts 2 FLOPs per multiply-add of the convolution itself`);
for (const L of layers) {
  const g = new Graph();
  const x = g.input('x', L.x);
  const w = g.input('w', L.w);
  const isT = L.name.includes('ConvT');
  const b = g.input('b', [L.w[isT ? 1 : 0]]);
  const y = L.f(x, w, b);
  const gy = g.input('gy', y.shape);
  const [gx, gw] = grad(y, [x, w], gy);
  // multiply-adds: every (input pixel, kernel tap, in, out channel) of a transposed conv, every (output pixel, tap, in, out) of a conv
  const spatial = isT ? L.x[2] * L.x[3] : y.shape[2] * y.shape[3];
  const flops = 2 * B * spatial * L.w[0] * L.w[1] * L.w[2] * L.w[3];
  const feeds = { x: rng.normals(new Float32Array(x.size)), w: rng.normals(new Float32Array(w.size)), b: rng.normals(new Float32Array(b.size)), gy: rng.normals(new Float32Array(gy.size)) };
  const cells: string[] = [];
  for (const [what, out] of [['fwd', { y }], ['dX', { gx }], ['dW', { gw }]] as const) {
    const row: string[] = [];
    for (const [form, opts] of FORMS) {
      const ms = await timeGraph(g, out as Record<string, Tensor>, opts, feeds);
      row.push(`${form} ${ms.toFixed(2)} ms ${(flops / ms / 1e6).toFixed(0)} GF/s`);
    }
    cells.push(`  ${what}: ${row.join(' | ')}`);
  }
  console.log(`${L.name} (${(flops / 1e9).toFixed(3)} GFLOP each)\n${cells.join('\n')}`);
}
