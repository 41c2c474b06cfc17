// The page bench:web loads in headless Chromium: ?run=vaekit|tfjs&threads=N&steps=N, and for vaekit
// &backend=wasm|webgpu&ks=8,32 (steps per ORT call)&warm=N (warm-up calls)&decodes=N. It times training
// steps of the pytorch/examples VAE (784-400-20, batch 128, Adam 1e-3, Bernoulli-logits loss + KL) on random
// binary data, and for vaekit also the decode of one sample; the result goes to window.benchResult.
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { adam, initVaeParams, parseVaeConfig, Prng, StepRunner, vaeLoss, vaeParamShapes, webEngine, WebModel, modelFile } from '../../src/web.js';

const q = new URLSearchParams(location.search);
const threads = Number(q.get('threads') ?? 1);
const steps = Number(q.get('steps') ?? 64);
const backendName = q.get('backend') === 'webgpu' ? 'webgpu' : 'wasm';
const ks = (q.get('ks') ?? '8,32').split(',').map(Number);
const warm = Number(q.get('warm') ?? 3);
const decodes = Number(q.get('decodes') ?? 200);
const B = 128;
const rng = new Prng(1);
const POOL = 8;
const pool = Float32Array.from({ length: (POOL + 32) * B * 784 }, () => (rng.uniform() < 0.5 ? 1 : 0));
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function vaekit(): Promise<Record<string, number | string>> {
  const { engine, backend } = await webEngine({ backend: backendName, threads, wasmPaths: new URL('./', location.href).href });
  const cfg = parseVaeConfig({});
  const spec = {
    params: vaeParamShapes(cfg),
    data: { x: { shape: [B, 784] }, eps: { shape: [B, cfg.latentDim] } },
    loss: vaeLoss(cfg),
    optimizer: adam({ lr: 1e-3 }),
  };
  const out: Record<string, number | string> = { backend, threads, crossOriginIsolated: String(globalThis.crossOriginIsolated) };
  const params = initVaeParams(cfg, new Prng(1));
  for (const k of ks) {
    const runner = await StepRunner.create(engine, spec, { params }, k);
    const eps = new Float32Array(k * B * cfg.latentDim);
    const run = async (i: number) => {
      rng.normals(eps);
      const off = ((i * k) % POOL) * B * 784;
      return runner.runSteps({ x: pool.subarray(off, off + k * B * 784), eps }, k);
    };
    for (let i = 0; i < warm; i++) await run(i);
    const calls = Math.max(2, Math.ceil(steps / k));
    const t0 = performance.now();
    let loss = 0;
    for (let i = 0; i < calls; i++) loss = (await run(i))[k - 1].loss;
    out[`msPerStep_k${k}`] = (performance.now() - t0) / (calls * k);
    out[`loss_k${k}`] = loss;
  }
  const model = new WebModel(engine, { meta: modelFile(cfg, null, null, null), params });
  const z = new Float32Array(cfg.latentDim);
  for (let i = 0; i < Math.min(20, decodes); i++) await model.decode(z);
  const t: number[] = [];
  for (let i = 0; i < decodes; i++) {
    z[0] = i / 100;
    const t0 = performance.now();
    await model.decode(z);
    t.push(performance.now() - t0);
  }
  out.decodeMs = median(t);
  return out;
}

/** The same model and step in TF.js, written as a user would: variables, tf.train.adam, minimize. */
async function tfjs(): Promise<Record<string, number | string>> {
  setWasmPaths(new URL('./', location.href).href);
  setThreadsCount(threads);
  await tf.setBackend('wasm');
  await tf.ready();
  const dense = (i: number, o: number) => ({
    w: tf.variable(tf.randomUniform([i, o], -1 / Math.sqrt(i), 1 / Math.sqrt(i))),
    b: tf.variable(tf.randomUniform([o], -1 / Math.sqrt(i), 1 / Math.sqrt(i))),
  });
  const [e1, e2, d1, d2] = [dense(784, 400), dense(400, 40), dense(20, 400), dense(400, 784)];
  const opt = tf.train.adam(1e-3);
  const step = (x: tf.Tensor2D, eps: tf.Tensor2D) =>
    opt.minimize(() => {
      const h = tf.relu(tf.add(tf.matMul(x, e1.w), e1.b));
      const [mu, logvar] = tf.split(tf.add(tf.matMul(h, e2.w), e2.b), 2, 1);
      const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps));
      const logits = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(z, d1.w), d1.b)), d2.w), d2.b);
      const recon = tf.sum(tf.sub(tf.softplus(logits), tf.mul(x, logits)));
      const kl = tf.mul(tf.sum(tf.sub(tf.sub(tf.add(1, logvar), tf.square(mu)), tf.exp(logvar))), -0.5);
      return tf.div(tf.add(recon, kl), B) as tf.Scalar;
    }, true)!;
  const run = async (i: number) => {
    const off = (i % POOL) * B * 784;
    const loss = tf.tidy(() => step(tf.tensor2d(pool.subarray(off, off + B * 784), [B, 784]), tf.randomNormal([B, 20]) as tf.Tensor2D));
    const v = (await loss.data())[0];
    loss.dispose();
    return v;
  };
  for (let i = 0; i < 3; i++) await run(i);
  const n = Math.max(8, Math.ceil(steps / 4));
  const t0 = performance.now();
  let loss = 0;
  for (let i = 0; i < n; i++) loss = await run(i);
  return { backend: tf.getBackend(), threads, msPerStep: (performance.now() - t0) / n, loss, crossOriginIsolated: String(globalThis.crossOriginIsolated) };
}

(q.get('run') === 'tfjs' ? tfjs() : vaekit()).then(
  (r) => ((globalThis as any).benchResult = r),
  (e: unknown) => ((globalThis as any).benchResult = { error: e instanceof Error ? e.message : String(e) }),
);
