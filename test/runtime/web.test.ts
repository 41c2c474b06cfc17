// The same graphs run on onnxruntime-web (its WebAssembly backend, here inside Node): training steps agree
// with onnxruntime-node, and inference works, so the browser gets the library unchanged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ortWeb from 'onnxruntime-web';
import { adam } from '../../src/optim/adam.js';
import { StepRunner } from '../../src/optim/stepRunner.js';
import { initVaeParams, vaeLoss, vaeParamShapes } from '../../src/models/vae.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';
import { Engine, type OrtModule } from '../../src/runtime/engine.js';

ortWeb.env.wasm.numThreads = 1;
const web = new Engine(ortWeb as unknown as OrtModule, { threads: 1, executionProviders: ['wasm'] });
const node = nodeEngine({ threads: 1 });
const cfg = parseVaeConfig({ hidden: [64], latentDim: 4 });
const B = 32;

test('training steps on onnxruntime-web match onnxruntime-node', async () => {
  const spec = { params: vaeParamShapes(cfg), data: { x: { shape: [B, 784] }, eps: { shape: [B, 4] } }, loss: vaeLoss(cfg), optimizer: adam({ lr: 3e-3 }) };
  const init = initVaeParams(cfg, new Prng(1));
  const runners = await Promise.all([web, node].map((e) => StepRunner.create(e, spec, { params: init })));
  const rng = new Prng(2);
  for (let call = 0; call < 4; call++) {
    const k = call % 2 ? 3 : 1; // single and multi-step calls
    const x = Float32Array.from({ length: k * B * 784 }, () => rng.uniform());
    const eps = rng.normals(new Float32Array(k * B * 4));
    const [mw, mn] = await Promise.all(runners.map((r) => r.runSteps({ x, eps }, k)));
    for (let i = 0; i < k; i++) assert.ok(Math.abs(mw[i].loss - mn[i].loss) < 1e-3 * mn[i].loss, `call ${call} step ${i}: web ${mw[i].loss} vs node ${mn[i].loss}`);
  }
  assert.ok(runners[0].steps === 8 && runners[1].steps === 8);
  const [pw, pn] = runners.map((r) => r.params());
  for (const k of Object.keys(pn)) for (let i = 0; i < pn[k].length; i += 97) assert.ok(Math.abs(pw[k][i] - pn[k][i]) < 1e-3, `${k}[${i}]`);
});

test('inference on onnxruntime-web: encode and decode match onnxruntime-node', async () => {
  const params = initVaeParams(cfg, new Prng(3));
  const x = new Prng(4).uniforms(new Float32Array(7 * 784));
  const [a, b] = [new VaeModel(web, cfg, params), new VaeModel(node, cfg, params)];
  const [ea, eb] = [await a.encode(x), await b.encode(x)];
  for (let i = 0; i < ea.mu.length; i++) assert.ok(Math.abs(ea.mu[i] - eb.mu[i]) < 1e-4);
  const [da, db] = [await a.decode(ea.mu), await b.decode(eb.mu)];
  for (let i = 0; i < da.length; i += 13) assert.ok(Math.abs(da[i] - db[i]) < 1e-4);
});
