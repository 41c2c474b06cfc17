// npm run bench:conv-profile — where a training step of the conv preset spends its time: ONNX Runtime's own
// profiler (per-node kernel times) over a few steps, summed by op type and by the largest nodes.
// Options: --threads N (default 1: per-node times then add up to the step's CPU time) --steps N (default 8)
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { nodeEngine } from '../src/node.js';
import { adam } from '../src/optim/adam.js';
import { StepRunner } from '../src/optim/stepRunner.js';
import { Prng } from '../src/random/prng.js';
import { convVae } from './convVaeNet.js';

const { values } = parseArgs({ options: { threads: { type: 'string', default: '1' }, steps: { type: 'string', default: '8' } } });
const B = 128;
const L = 2;
const prefix = join(tmpdir(), `vaekit-prof-${process.pid}`);
const engine = nodeEngine({ threads: Number(values.threads), sessionOptions: { enableProfiling: true, profileFilePrefix: prefix } });
const model = convVae(L);
const rng = new Prng(1);
const spec = { params: model.shapes, data: { x: { shape: [B, 1, 28, 28] }, eps: { shape: [B, L] } }, loss: model.loss, optimizer: adam({ lr: 1e-3 }) };
// keep the compiled step graph's session to end its profile
let session: { endProfiling(): unknown } | undefined;
const compile = engine.compile.bind(engine);
engine.compile = async (...a) => {
  const c = await compile(...a);
  session = c.session as unknown as { endProfiling(): unknown };
  return c;
};
const runner = await StepRunner.create(engine, spec, { params: model.init(rng) }, 1);
const x = rng.uniforms(new Float32Array(B * 784));
const eps = rng.normals(new Float32Array(B * L));
const steps = Number(values.steps);
for (let i = 0; i < 3 + steps; i++) await runner.runSteps({ x, eps }, 1);
await session!.endProfiling();
const file = readdirSync(tmpdir()).map((f) => join(tmpdir(), f)).find((f) => f.startsWith(prefix))!;
const events = JSON.parse(readFileSync(file, 'utf8')) as { cat: string; name: string; dur: number; args?: { op_name?: string; input_type_shape?: Record<string, number[]>[]; output_type_shape?: Record<string, number[]>[] } }[];
rmSync(file);
// skip the warm-up runs: keep the last `steps` model_run events' worth of kernel events
const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
const kernels = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'));
const perRun = kernels.length / runs.length;
const last = kernels.slice(kernels.length - perRun * steps);
const byOp = new Map<string, number>();
const byNode = new Map<string, number>();
for (const e of last) {
  const op = e.args?.op_name ?? '?';
  byOp.set(op, (byOp.get(op) ?? 0) + e.dur / 1000 / steps);
  const shapes = (l?: Record<string, number[]>[]) => (l ?? []).map((t) => `[${Object.values(t)[0]}]`).join(' ');
  const n = `${op} ${e.name.replace(/_kernel_time$/, '')} ${shapes(e.args?.input_type_shape)} → ${shapes(e.args?.output_type_shape)}`;
  byNode.set(n, (byNode.get(n) ?? 0) + e.dur / 1000 / steps);
}
const total = [...byOp.values()].reduce((a, b) => a + b, 0);
const runMs = runs.slice(-steps).reduce((a, e) => a + e.dur / 1000, 0) / steps;
console.log(`threads=${engine.threads}: ${runMs.toFixed(1)} ms per step run (wall), kernels ${total.toFixed(1)} ms`);
for (const [op, ms] of [...byOp].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${op.padEnd(22)} ${ms.toFixed(2).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%`);
console.log('largest nodes:');
for (const [n, ms] of [...byNode].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${ms.toFixed(2).padStart(7)} ms  ${n}`);
