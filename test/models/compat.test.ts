// Version-1 model directories and the numbers of the trainer before the model contract, against fixtures
// written by vaekit 0.1.0 itself (test/fixtures: v1-model/ and v1-training.json).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { subset } from '../../src/data/dataset.js';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { loadModelDir, nodeEngine } from '../../src/node.js';
import { Prng } from '../../src/random/prng.js';
import { parseTrainConfig } from '../../src/train/trainConfig.js';
import { Trainer } from '../../src/train/trainer.js';

const fixtures = new URL('../fixtures/', import.meta.url).pathname;
const engine = nodeEngine({ threads: 1 });

test('a version-1 model directory loads and gives the outputs vaekit 0.1.0 gave', async () => {
  const dir = `${fixtures}v1-model`;
  const want = JSON.parse(readFileSync(`${dir}/expected.json`, 'utf8'));
  const { meta, params } = loadModelDir(dir);
  assert.equal(meta.formatVersion, 1);
  assert.deepEqual(meta.model.dataShape, [1, 28, 28]);
  const vae = new VaeModel(engine, meta.model, params);
  const d = await loadEmbeddedMnist();
  const x = d.test.images.subarray(0, 5 * 784);
  const { mu, logvar } = await vae.encode(x);
  assert.deepEqual([...mu], want.mu);
  assert.deepEqual([...logvar], want.logvar);
  assert.deepEqual([...(await vae.decode(Float32Array.from(want.z)))], want.mean);
  const t = await vae.elboTerms(x, new Prng(7));
  assert.deepEqual([...t.recon], want.recon);
  assert.deepEqual([...t.kl], want.kl);
});

test('the MLP trains to the same numbers as before the model contract (two configs, 2 epochs each)', async () => {
  const want = JSON.parse(readFileSync(`${fixtures}v1-training.json`, 'utf8'));
  const d = await loadEmbeddedMnist();
  for (const name of ['mlp-bernoulli-dynamic', 'mlp-gaussian-static-beta']) {
    const w = want[name];
    const t = await Trainer.create(
      engine,
      parseVaeConfig(w.model),
      parseTrainConfig(w.training),
      { train: subset(d.train, Array.from({ length: 600 }, (_, i) => i)), test: subset(d.test, Array.from({ length: 64 }, (_, i) => i)) },
      undefined,
      { stepsPerCall: 4 },
    );
    await t.run();
    const p = t.params();
    assert.deepEqual(Object.keys(p).sort(), Object.keys(w.params).sort(), `${name}: parameter names`);
    for (const [k, v] of Object.entries(w.params as Record<string, { sum: number; head: number[] }>)) {
      const got = p[k];
      // float32 arithmetic in the same order gives the same bits; allow the last ulp or two for a reordered sum
      got.subarray(0, 16).forEach((g, i) => assert.ok(Math.abs(g - v.head[i]) <= 1e-6 * Math.max(1, Math.abs(v.head[i])), `${name} ${k}[${i}]: ${g} vs ${v.head[i]}`));
      const sum = got.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - v.sum) <= 1e-4 * Math.max(1, Math.abs(v.sum)), `${name} ${k} sum ${sum} vs ${v.sum}`);
    }
    t.history.forEach((r, i) => {
      const old = w.history[i];
      for (const split of ['train', 'val', 'test'] as const) {
        if (!old[split]) continue;
        for (const m of ['negElbo', 'recon', 'kl']) assert.ok(Math.abs(r[split]![m as 'kl'] - old[split][m]) < 1e-4, `${name} epoch ${i + 1} ${split} ${m}: ${r[split]![m as 'kl']} vs ${old[split][m]}`);
      }
    });
  }
});
