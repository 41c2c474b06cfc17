// Training on the real embedded MNIST digits: the test −ELBO falls markedly, the same seed gives identical
// metrics, and a run stopped mid-epoch and resumed from a serialized checkpoint ends bit-identical.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { subset } from '../../src/data/dataset.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { nodeEngine } from '../../src/node.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/io/checkpointCodec.js';
import { parseTrainConfig } from '../../src/train/trainConfig.js';
import { elboMeans } from '../../src/eval/elboMeans.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { Prng } from '../../src/random/prng.js';
import { callSteps, DivergenceError, Trainer, type EpochRecord } from '../../src/train/trainer.js';

const engine = nodeEngine({ threads: 2 });
const model = parseVaeConfig({ hidden: [128], latentDim: 8 });

async function data(nTrain = 2000) {
  const d = await loadEmbeddedMnist();
  return { train: subset(d.train, Array.from({ length: nTrain }, (_, i) => i)), test: subset(d.test, Array.from({ length: 500 }, (_, i) => i)) };
}

test('three epochs on real digits lower the test −ELBO markedly, reproducibly', async () => {
  const d = await data(4000);
  const training = parseTrainConfig({ epochs: 3, seed: 7 });
  const a: EpochRecord[] = [];
  const t = await Trainer.create(engine, model, training, d);
  const t0 = await new VaeModel(engine, model, t.params()).elboTerms(d.test.images, new Prng(1));
  const initial = elboMeans(t0.recon, t0.kl).negElbo;
  assert.equal(await t.run((e) => e.type === 'epoch' && a.push(e)), 'finished');
  assert.equal(a.length, 3);
  assert.ok(a[0].test!.negElbo > a[2].test!.negElbo + 20, `test −ELBO should fall: ${a.map((r) => r.test!.negElbo.toFixed(1))}`);
  assert.ok(a[2].test!.negElbo < 0.5 * initial, `after 3 epochs −ELBO ${a[2].test!.negElbo} should be under half the initial ${initial}`);
  for (const r of a) assert.ok(Math.abs(r.test!.negElbo - (r.test!.recon + r.test!.kl)) < 1e-6);
  const b: EpochRecord[] = [];
  await (await Trainer.create(engine, model, training, d)).run((e) => e.type === 'epoch' && b.push(e));
  assert.deepEqual(b.map((r) => [r.train, r.test]), a.map((r) => [r.train, r.test]));
});

test('stop mid-epoch, checkpoint to bytes, resume with other chunking: bit-identical to an uninterrupted run', async () => {
  const d = await data(1000);
  const training = parseTrainConfig({ epochs: 2, seed: 3, batchSize: 64, binarize: 'dynamic', valFraction: 0.1 });
  const full = await Trainer.create(engine, model, training, d);
  await full.run();
  // the interrupted run sends 3 steps per ORT call instead of 8, so this also checks that chunking does not matter
  const part = await Trainer.create(engine, model, training, d, undefined, { stepsPerCall: 3 });
  await part.run((e) => e.type === 'step' && e.step === 20 && part.stop());
  const bytes = encodeCheckpoint({ model, training, dataset: { name: 'mnist' }, state: part.state() });
  const ck = decodeCheckpoint(bytes, 'memory');
  assert.equal(ck.state.train.step, 21, 'stops at the end of the call holding step 20');
  assert.ok(ck.state.batch > 0 && ck.state.batch < part.stepsPerEpoch, 'mid-epoch');
  const resumed = await Trainer.create(engine, ck.model, ck.training, d, ck.state, { stepsPerCall: 5 });
  assert.equal(await resumed.run(), 'finished');
  assert.deepEqual(resumed.history, full.history.map((r) => ({ ...r, seconds: resumed.history[r.epoch - 1].seconds })));
  const pa = full.params(), pb = resumed.params();
  for (const k of Object.keys(pa)) assert.ok(Buffer.from(pa[k].buffer).equals(Buffer.from(pb[k].buffer)), `param ${k} differs`);
});

test('a diverging run stops with the step number and keeps the last good parameters', async () => {
  const d = await data(1000);
  const training = parseTrainConfig({ epochs: 1, seed: 1, lr: 10 });
  const cfg = parseVaeConfig({ hidden: [32], latentDim: 4, likelihood: { type: 'gaussian', sigma: 'learned' } });
  // reference: one step per call, parameters recorded after every step
  const one = await Trainer.create(engine, cfg, training, d, undefined, { stepsPerCall: 1 });
  const after: Record<string, Float32Array>[] = [];
  const e1 = await one.run((e) => e.type === 'step' && after.push(one.params())).catch((e: unknown) => e);
  assert.ok(e1 instanceof DivergenceError && /--lr|--grad-clip/.test(e1.message), `expected divergence, got ${e1}`);
  assert.equal(after.length, e1.step - 1);
  // chunked: the step inside the chunk is found, and the steps before it are kept
  const many = await Trainer.create(engine, cfg, training, d, undefined, { stepsPerCall: 8 });
  const e2 = await many.run().catch((e: unknown) => e);
  assert.ok(e2 instanceof DivergenceError);
  assert.equal(e2.step, e1.step);
  const want = after.length ? after[after.length - 1] : one.params();
  for (const [k, v] of Object.entries(many.params())) {
    assert.ok(v.every(Number.isFinite), `${k} must stay finite`);
    assert.deepEqual(v, want[k], `${k} is not the last good step's`);
  }
  assert.equal(many.state().train.step, e1.step - 1);
});

test('an epoch tail runs in power-of-two calls, so a run compiles few step graphs', () => {
  const calls = (perCall: number, batches: number) => {
    const ks: number[] = [];
    for (let left = batches; left > 0; left -= ks[ks.length - 1]) ks.push(callSteps(perCall, left));
    return ks;
  };
  assert.deepEqual(calls(32, 468), [...Array(14).fill(32), 16, 4]);
  assert.deepEqual(calls(32, 62), [32, 16, 8, 4, 2]);
  assert.deepEqual(calls(5, 13), [5, 5, 2, 1]);
  assert.deepEqual(calls(1, 3), [1, 1, 1]);
});
