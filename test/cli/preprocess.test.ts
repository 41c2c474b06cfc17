// One preprocessing rule for every command: a model trained with --binarize static is fed thresholded pixels
// by eval, score, encode and reconstruct alike (checked against the library on thresholded and on grey
// pixels); --limit N takes the first N examples; an evaluation that overflows exits non-zero.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { binarizeStatic } from '../../src/data/binarize.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { nodeEngine } from '../../src/node.js';
import { loadIdxDataset } from '../../src/node/fashionMnist.js';
import { loadModelDir, saveModelDir } from '../../src/node/modelDir.js';
import { cli, lines, ONE_THREAD, show, trainedModelFixture } from './helpers.js';

const { root, digits, model } = trainedModelFixture(['--binarize', 'static']);

describe('preprocessing and --limit', { concurrency: 2 }, () => {
  test('encode feeds the encoder thresholded pixels, as training did (and grey pixels would differ)', async () => {
    const out = path.join(root, 'codes.csv');
    const r = await cli(['encode', '--model', model, '--data', digits, '--limit', '50', '--out', out, ...ONE_THREAD]);
    assert.equal(r.code, 0, show(r));
    const rows = lines(out).slice(1).map((l) => l.split(',').map(Number));
    assert.equal(rows.length, 50);
    const { test: ds } = (await loadIdxDataset(digits, 'mnist'));
    const grey = ds.images.subarray(0, 50 * 784);
    const saved = loadModelDir(model);
    const vae = new VaeModel(nodeEngine({ threads: 1 }), saved.meta.model, saved.params);
    const mu = (await vae.encode(binarizeStatic(grey))).mu; // [50, 2]
    const muGrey = (await vae.encode(grey)).mu;
    let maxDiff = 0;
    let greyDiff = 0;
    for (let i = 0; i < 50; i++) {
      for (let j = 0; j < 2; j++) {
        maxDiff = Math.max(maxDiff, Math.abs(rows[i][2 + j] - mu[2 * i + j]));
        greyDiff = Math.max(greyDiff, Math.abs(rows[i][2 + j] - muGrey[2 * i + j]));
      }
    }
    assert.ok(maxDiff < 1e-5, `μ from the CLI equals μ of the thresholded pixels (max |Δ| ${maxDiff})`);
    assert.ok(greyDiff > 1e-3, `grey pixels give another μ (max |Δ| ${greyDiff}), so this test can tell the two apart`);
  });

  test('eval, score and reconstruct take --limit N: the first N examples', async () => {
    const [ev, sc, rc] = await Promise.all([
      cli(['eval', '--model', model, '--data', digits, '--limit', '40', '--json', ...ONE_THREAD]),
      cli(['score', '--model', model, '--data', digits, '--limit', '30', '--out', path.join(root, 's.csv'), '--json', ...ONE_THREAD]),
      cli(['reconstruct', '--model', model, '--data', digits, '--limit', '5', '--out', path.join(root, 'r.png'), '--json', ...ONE_THREAD]),
    ]);
    for (const r of [ev, sc, rc]) assert.equal(r.code, 0, show(r));
    assert.equal(JSON.parse(ev.stdout).examples, 40);
    assert.equal(JSON.parse(sc.stdout).examples, 30);
    assert.equal(lines(path.join(root, 's.csv')).length, 31);
    assert.equal(JSON.parse(rc.stdout).n, 5);
    const full = await cli(['eval', '--model', model, '--data', digits, '--json', ...ONE_THREAD]);
    assert.equal(JSON.parse(full.stdout).examples, 500);
  });

  test('an evaluation that overflows to a non-finite −ELBO exits 1 with a message', async () => {
    const huge = path.join(root, 'huge');
    const saved = loadModelDir(model);
    for (const p of Object.values(saved.params)) for (let i = 0; i < p.length; i++) p[i] *= 1e30;
    saveModelDir(huge, saved);
    const r = await cli(['eval', '--model', huge, '--data', digits, '--limit', '10', ...ONE_THREAD]);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /^vaekit: evaluating .*huge on mnist\/test gave a non-finite result \(−ELBO (NaN|Infinity)/m);
    const j = await cli(['eval', '--model', huge, '--data', digits, '--limit', '10', '--json', ...ONE_THREAD]);
    assert.equal(j.code, 1, show(j));
    assert.equal(JSON.parse(j.stdout).negElbo, null, 'the JSON is still printed, with null for the non-finite value');
  });
});
