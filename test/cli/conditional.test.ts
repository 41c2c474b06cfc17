// Conditional VAEs end to end through the CLI: `train --conditional`, then --label K for the drawing
// commands, each example's own label for the data commands, and clear errors without a label.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { rmSync } from 'node:fs';
import { modelFile } from '../../src/io/modelFiles.js';
import { initVaeParams } from '../../src/models/vae.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { VaeModel } from '../../src/models/vaeModel.js';
import { nodeEngine } from '../../src/node.js';
import { loadIdxDataset } from '../../src/node/fashionMnist.js';
import { loadModelDir, saveModelDir } from '../../src/node/modelDir.js';
import { Prng } from '../../src/random/prng.js';
import { decodePng } from '../../src/viz/png.js';
import { cli, lines, ONE_THREAD, pngSize, show, side, tmp, TINY, writeDigitsDir, type CliResult } from './helpers.js';

const dir = tmp('vaekit-cond-');
const digits = path.join(dir, 'digits');
const cond = path.join(dir, 'cond'); // trained with --conditional, latent 2
const plain = path.join(dir, 'plain'); // an unconditional model, untrained
const out = (f: string) => path.join(dir, f);

const ok = (r: CliResult) => (assert.equal(r.code, 0, show(r)), r);
function userError(r: CliResult, pattern: RegExp): void {
  assert.equal(r.code, 1, show(r));
  assert.match(r.stderr, /^vaekit: /);
  assert.match(r.stderr, pattern);
}
const run = (args: string[]) => cli([...args, ...ONE_THREAD]);

before(async () => {
  await writeDigitsDir(digits);
  ok(await cli(['train', ...TINY, '--conditional', '--data', digits, '--seed', '4', '--out', cond]));
  const cfg = parseVaeConfig({ latentDim: 2, hidden: [16] });
  saveModelDir(plain, { meta: modelFile(cfg, null, { name: 'mnist', dir: digits, train: 2000, test: 500 }, null), params: initVaeParams(cfg, new Prng(1)) });
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('conditional models in the CLI', { concurrency: 2 }, () => {
  test('train --conditional saves a 10-class model', () => {
    const cfg = JSON.parse(readFileSync(path.join(cond, 'config.json'), 'utf8'));
    assert.equal(cfg.model.classes, 10);
  });

  test('sample --label K draws class K; the label changes the pictures; no label, a bad label or an unconditional model: errors naming --label', async () => {
    const [three, seven] = await Promise.all([
      run(['sample', '--model', cond, '--n', '9', '--seed', '5', '--label', '3', '--out', out('s3.png'), '--json']),
      run(['sample', '--model', cond, '--n', '9', '--seed', '5', '--label', '7', '--out', out('s7.png')]),
    ]);
    assert.equal(JSON.parse(ok(three).stdout).label, 3);
    assert.match(ok(seven).stdout, /prior samples of class 7/);
    assert.deepEqual(pngSize(out('s3.png')), { width: side(3), height: side(3) });
    const a = decodePng(readFileSync(out('s3.png')), 's3').data, b = decodePng(readFileSync(out('s7.png')), 's7').data;
    const diff = a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;
    assert.ok(diff > 0.005, `same z, labels 3 and 7 should decode differently: mean |Δ| ${diff} (grid padding included)`);
    const [none, big] = await Promise.all([run(['sample', '--model', cond, '--out', out('x.png')]), run(['sample', '--model', cond, '--label', '10', '--out', out('x.png')])]);
    userError(none, /conditional VAE \(10 classes\): pass --label K with K in 0\.\.9/);
    userError(big, /--label 10 is not a class of the model .* \(0\.\.9\)/);
    userError(await run(['sample', '--model', plain, '--label', '1', '--out', out('x.png')]), /--label applies to conditional models/);
  });

  test('manifold and traverse take --label; without it they refuse', async () => {
    const [m, t] = await Promise.all([
      run(['manifold', '--model', cond, '--grid', '4', '--label', '1', '--out', out('m.png'), '--json']),
      run(['traverse', '--model', cond, '--steps', '5', '--label', '2', '--out', out('t.png'), '--json']),
    ]);
    assert.equal(JSON.parse(ok(m).stdout).label, 1);
    assert.equal(JSON.parse(ok(t).stdout).label, 2);
    assert.deepEqual(pngSize(out('m.png')), { width: side(4), height: side(4) });
    assert.deepEqual(pngSize(out('t.png')), { width: side(5), height: side(2) });
    const [m0, t0] = await Promise.all([run(['manifold', '--model', cond, '--out', out('x.png')]), run(['traverse', '--model', cond, '--out', out('x.png')])]);
    userError(m0, /--label K/);
    userError(t0, /--label K/);
  });

  test("interpolate encodes each end with its own label and decodes the path with the first's, or --label", async () => {
    // the digits directory interleaves classes: test example 0 is a 0, example 1 a 1
    const [a, b] = await Promise.all([
      run(['interpolate', '--model', cond, '--from', '0', '--to', '1', '--steps', '4', '--out', out('i.png')]),
      run(['interpolate', '--model', cond, '--from', '0', '--to', '1', '--steps', '4', '--label', '5', '--out', out('i5.png'), '--json']),
    ]);
    assert.match(ok(a).stdout, /path decoded as class 0/);
    assert.equal(JSON.parse(ok(b).stdout).label, 5);
    assert.deepEqual(pngSize(out('i.png')), { width: side(6), height: side(1) });
  });

  test("encode reads each example's label (μ as the library gives with those labels); eval repeats training's test −ELBO", async () => {
    const [e, v] = await Promise.all([run(['encode', '--model', cond, '--out', out('codes.csv')]), run(['eval', '--model', cond, '--iw', '5', '--json'])]);
    ok(e);
    const rows = lines(out('codes.csv')).slice(1).map((r) => r.split(',').map(Number));
    assert.equal(rows.length, 500);
    const { test: held } = await loadIdxDataset(digits, 'mnist');
    const { meta, params } = loadModelDir(cond);
    const model = new VaeModel(nodeEngine({ threads: 1 }), meta.model, params);
    const own = await model.encode(held.images, { labels: held.labels });
    const zeros = await model.encode(held.images, { labels: 0 });
    let errOwn = 0, errZero = 0;
    rows.forEach((r, i) => {
      for (let j = 0; j < 2; j++) {
        errOwn = Math.max(errOwn, Math.abs(r[2 + j] - own.mu[i * 2 + j]));
        errZero = Math.max(errZero, Math.abs(r[2 + j] - zeros.mu[i * 2 + j]));
      }
    });
    assert.ok(errOwn < 1e-5, `encode's μ should be the library's with each example's label (max |Δ| ${errOwn})`);
    assert.ok(errZero > 1e-2, 'and not those of one label for all');
    const r = JSON.parse(ok(v).stdout);
    const logged = JSON.parse(lines(path.join(cond, 'metrics.jsonl'))[0]).test;
    assert.equal(r.negElbo, logged.negElbo, 'eval passes the labels the trainer used for its test −ELBO');
    assert.ok(Number.isFinite(r.nll));
  });

  test('reconstruct, score and plot latent run on a conditional model; score of unlabelled input needs --label', async () => {
    const [rc, pl] = await Promise.all([
      run(['reconstruct', '--model', cond, '--n', '8', '--out', out('r.png')]),
      run(['plot', 'latent', '--model', cond, '--n', '200', '--out', out('l.svg')]),
    ]);
    ok(rc);
    ok(pl);
    const [sc, sc3] = await Promise.all([
      run(['score', '--model', cond, '--out', out('scores.csv')]),
      run(['score', '--model', cond, '--idx', path.join(digits, 't10k-images-idx3-ubyte'), '--label', '3', '--out', out('s3.csv')]),
    ]);
    ok(sc);
    ok(sc3);
    assert.equal(lines(out('scores.csv')).length, 501);
    const idx = await run(['score', '--model', cond, '--idx', path.join(digits, 't10k-images-idx3-ubyte'), '--out', out('x.csv')]);
    userError(idx, /has no labels: pass --label K/);
  });
});
