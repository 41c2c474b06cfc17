// A small MLP trained with Adam through the compiled training-step graph follows a trajectory computed
// independently: a float64 forward/backward/Adam written by hand below.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mean, mul, sub, sum, tanh, gemm } from '../../src/graph/ops/index.js';
import { adam } from '../../src/optim/adam.js';
import { sgd } from '../../src/optim/sgd.js';
import { StepRunner } from '../../src/optim/stepRunner.js';
import { Prng } from '../../src/random/prng.js';
import { nodeEngine } from '../../src/node.js';

const [N, I, H, O] = [8, 3, 5, 2];
const rng = new Prng(3);
const X = rng.normals(new Float64Array(N * I));
const Y = rng.normals(new Float64Array(N * O));
const init: Record<string, Float64Array> = { w1: rng.normals(new Float64Array(H * I)).map((v) => v * 0.5), b1: new Float64Array(H).fill(0.1), w2: rng.normals(new Float64Array(O * H)).map((v) => v * 0.5), b2: new Float64Array(O) };

// loss = mean over examples of Σ_o (tanh(x W1ᵀ + b1) W2ᵀ + b2 − y)²
function refGrads(p: Record<string, Float64Array>): { loss: number; g: Record<string, Float64Array> } {
  const g = { w1: new Float64Array(H * I), b1: new Float64Array(H), w2: new Float64Array(O * H), b2: new Float64Array(O) };
  let loss = 0;
  for (let n = 0; n < N; n++) {
    const h = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      let a = p.b1[j];
      for (let i = 0; i < I; i++) a += X[n * I + i] * p.w1[j * I + i];
      h[j] = Math.tanh(a);
    }
    const dh = new Float64Array(H);
    for (let o = 0; o < O; o++) {
      let out = p.b2[o];
      for (let j = 0; j < H; j++) out += h[j] * p.w2[o * H + j];
      const r = out - Y[n * O + o];
      loss += (r * r) / N;
      const d = (2 * r) / N;
      g.b2[o] += d;
      for (let j = 0; j < H; j++) {
        g.w2[o * H + j] += d * h[j];
        dh[j] += d * p.w2[o * H + j];
      }
    }
    for (let j = 0; j < H; j++) {
      const da = dh[j] * (1 - h[j] * h[j]);
      g.b1[j] += da;
      for (let i = 0; i < I; i++) g.w1[j * I + i] += da * X[n * I + i];
    }
  }
  return { loss, g };
}

const spec = {
  params: { w1: [H, I], b1: [H], w2: [O, H], b2: [O] },
  data: { x: { shape: [N, I] }, y: { shape: [N, O] } },
  loss: (p: Record<string, any>, d: Record<string, any>) => {
    const out = gemm(tanh(gemm(d.x, p.w1, p.b1, { transB: true })), p.w2, p.b2, { transB: true });
    const r = sub(out, d.y);
    return { loss: mean(sum(mul(r, r), 1)), metrics: {} };
  },
};

const f32 = (p: Record<string, Float64Array>) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Float32Array.from(v)]));

test('Adam steps match a float64 reference implementation of torch.optim.Adam', async () => {
  const lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  const runner = await StepRunner.create(nodeEngine({ threads: 1 }), { ...spec, optimizer: adam({ lr }) }, { params: f32(init) });
  const p = structuredClone(init);
  const m = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, new Float64Array(v.length)]));
  const v = structuredClone(m);
  for (let t = 1; t <= 25; t++) {
    const { loss, g } = refGrads(p);
    const got = await runner.step({ x: Float32Array.from(X), y: Float32Array.from(Y) });
    assert.ok(Math.abs(got.loss - loss) < 1e-4 * Math.max(1, loss), `step ${t}: loss ${got.loss} vs reference ${loss}`);
    for (const k of Object.keys(p)) {
      for (let i = 0; i < p[k].length; i++) {
        m[k][i] = b1 * m[k][i] + (1 - b1) * g[k][i];
        v[k][i] = b2 * v[k][i] + (1 - b2) * g[k][i] ** 2;
        const mh = m[k][i] / (1 - b1 ** t);
        const vh = v[k][i] / (1 - b2 ** t);
        p[k][i] -= (lr * mh) / (Math.sqrt(vh) + eps);
      }
    }
    const cur = runner.params();
    for (const k of Object.keys(p)) {
      for (let i = 0; i < p[k].length; i++) assert.ok(Math.abs(cur[k][i] - p[k][i]) < 2e-4, `step ${t} ${k}[${i}]: ${cur[k][i]} vs ${p[k][i]}`);
    }
  }
});

test('SGD with momentum matches the reference, and the loss falls', async () => {
  const lr = 0.05, mu = 0.9;
  const runner = await StepRunner.create(nodeEngine({ threads: 1 }), { ...spec, optimizer: sgd({ lr, momentum: mu }) }, { params: f32(init) });
  const p = structuredClone(init);
  const buf = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, new Float64Array(v.length)]));
  let first = 0, last = 0;
  for (let t = 1; t <= 30; t++) {
    const { loss, g } = refGrads(p);
    if (t === 1) first = loss;
    last = (await runner.step({ x: Float32Array.from(X), y: Float32Array.from(Y) })).loss;
    for (const k of Object.keys(p)) for (let i = 0; i < p[k].length; i++) {
      buf[k][i] = mu * buf[k][i] + g[k][i];
      p[k][i] -= lr * buf[k][i];
    }
  }
  const cur = runner.params();
  for (const k of Object.keys(p)) for (let i = 0; i < p[k].length; i++) assert.ok(Math.abs(cur[k][i] - p[k][i]) < 1e-3, `${k}[${i}]`);
  assert.ok(last < 0.7 * first, `loss should fall: ${first} → ${last}`);
});

test('gradient clipping bounds the update and reports the unclipped norm', async () => {
  const clip = 0.01;
  const runner = await StepRunner.create(nodeEngine({ threads: 1 }), { ...spec, optimizer: sgd({ lr: 1 }), gradClip: clip }, { params: f32(init) });
  const { g } = refGrads(init);
  const norm = Math.sqrt(Object.values(g).reduce((s, a) => s + a.reduce((t, x) => t + x * x, 0), 0));
  const m = await runner.step({ x: Float32Array.from(X), y: Float32Array.from(Y) });
  assert.ok(Math.abs(m.gradNorm - norm) < 1e-4 * norm, `gradNorm ${m.gradNorm} vs ${norm}`);
  const cur = runner.params();
  let step2 = 0;
  for (const k of Object.keys(init)) for (let i = 0; i < init[k].length; i++) step2 += (cur[k][i] - init[k][i]) ** 2;
  assert.ok(Math.abs(Math.sqrt(step2) - clip) < 1e-5, `clipped step norm ${Math.sqrt(step2)} should be ${clip}`);
});

test('an update that overflows an Adam moment is caught by stateFinite though the loss is finite; rollback restores', async () => {
  // loss = Σ w·x with x = 1e30: the loss and the gradient (= x) are finite float32, but g² overflows v
  const big = {
    params: { w: [4] },
    data: { x: { shape: [4] } },
    loss: (p: Record<string, import('../../src/graph/tensor.js').Tensor>, d: Record<string, import('../../src/graph/tensor.js').Tensor>) => ({ loss: sum(mul(p.w, d.x)), metrics: {} }),
    optimizer: adam({ lr: 1e-3 }),
  };
  const w0 = Float32Array.from([0.1, -0.2, 0.3, 0.05]);
  const runner = await StepRunner.create(nodeEngine({ threads: 1 }), big, { params: { w: w0.slice() } });
  const fine = await runner.step({ x: Float32Array.from([1, 2, 3, 4]) });
  assert.ok(Number.isFinite(fine.loss) && runner.stateFinite);
  const before = runner.getState();
  const m = await runner.step({ x: new Float32Array(4).fill(1e30) });
  assert.ok(Number.isFinite(m.loss), `the loss stays finite: ${m.loss}`);
  assert.equal(m.gradNorm, undefined, 'no gradient norm unless clipping or tracking');
  assert.equal(runner.stateFinite, false, 'v = g² overflowed');
  assert.ok(runner.getState().opt.v.w.some((v) => !Number.isFinite(v)));
  runner.rollback();
  assert.ok(runner.stateFinite);
  assert.deepEqual(runner.getState(), before);
});
