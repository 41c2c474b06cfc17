// Sizes with an early refusal: flags that would allocate gigabytes or start 100,000 threads end at once with
// the number and the limit (and, for image grids, the largest value that fits), before data or a model loads.
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { cli, ONE_THREAD, pngSize, show, TINY, trainedModelFixture } from './helpers.js';

const { root, digits, model } = trainedModelFixture();

const MAX_PNG_PIXELS = 2 ** 26;
/** Pixels of imageGrid's grid: tiles of 28 px with 2 px padding; written here from its documented formula. */
const gridPixels = (tiles: number, cols: number) => (cols * 30 + 2) * (Math.ceil(tiles / cols) * 30 + 2);

describe('early refusals', { concurrency: 2 }, () => {
  test('train --hidden 65536,65536 is refused with its size and the limit, before loading data', async () => {
    const t0 = performance.now();
    const r = await cli(['train', '--hidden', '65536,65536', '--data', digits, '--out', path.join(root, 'huge'), ...ONE_THREAD]);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /^vaekit: training a 784-65536-65536-20 VAE .* needs about [\d.]+ (GiB|TiB), more than the memory limit of [\d.]+ \w+ \(80% of this machine's/m);
    assert.doesNotMatch(r.stderr, /vaekit: training a .* on /, 'refused before the data was loaded');
    assert.ok(performance.now() - t0 < 10_000);
    // the limit is the user's to set: a tiny one refuses even the tiny model, with the variable named
    const small = await cli(['train', ...TINY, '--data', digits, '--out', path.join(root, 'small'), ...ONE_THREAD], { env: { VAEKIT_MEMORY_LIMIT: '1M' } });
    assert.equal(small.code, 1, show(small));
    assert.match(small.stderr, /more than the memory limit of 1\.0 MiB \(VAEKIT_MEMORY_LIMIT=1M\)/);
  });

  test('sample --n 3000000 names the grid size and the largest --n that fits', async () => {
    const r = await cli(['sample', '--model', model, '--n', '3000000', '--out', path.join(root, 's.png'), ...ONE_THREAD]);
    assert.equal(r.code, 1, show(r));
    const m = /--n 3000000 makes a grid of 3000000 images \(\d+x\d+ = (\d+) pixels\), more than the 67108864 pixels .*; use --n (\d+) or less/.exec(r.stderr);
    assert.ok(m, show(r));
    const best = Number(m[2]);
    const cols = (n: number) => Math.ceil(Math.sqrt(n));
    assert.equal(Number(m[1]), gridPixels(3e6, cols(3e6)));
    assert.ok(gridPixels(best, cols(best)) <= MAX_PNG_PIXELS && gridPixels(best + 1, cols(best + 1)) > MAX_PNG_PIXELS, `${best} is the largest that fits`);
    const big = await cli(['sample', '--model', model, '--n', '1000000000', '--out', path.join(root, 's.png'), ...ONE_THREAD]);
    assert.equal(big.code, 1, show(big));
    assert.match(big.stderr, /--n 1000000000 makes a grid/);
    const sci = await cli(['sample', '--model', model, '--n', '1e9', '--out', path.join(root, 's.png'), ...ONE_THREAD]);
    assert.equal(sci.code, 2, show(sci));
    assert.match(sci.stderr, /--n <n>' argument '1e9' is invalid\. expected an integer/);
  });

  test('interpolate --steps 1e7, traverse --steps 1e8, manifold --grid 100000 are refused before decoding', async () => {
    const out = path.join(root, 'x.png');
    const [interp, trav, grid] = await Promise.all([
      cli(['interpolate', '--model', model, '--data', digits, '--from', '0', '--to', '1', '--steps', '10000000', '--out', out, ...ONE_THREAD]),
      cli(['traverse', '--model', model, '--steps', '100000000', '--out', out, ...ONE_THREAD]),
      cli(['manifold', '--model', model, '--grid', '100000', '--out', out, ...ONE_THREAD]),
    ]);
    for (const [r, flag, best] of [
      [interp, '--steps 10000000', 69903], // one row of s + 2 tiles: (s + 2)·30 + 2 wide, 32 high
      [trav, '--steps 100000000', 36079], // 2 latent dims: two rows of s tiles, 62 high
      [grid, '--grid 100000', 273], // g×g tiles
    ] as const) {
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, new RegExp(`^vaekit: ${flag} makes a grid .* more than the 67108864 pixels of a PNG vaekit writes; use ${flag.split(' ')[0]} ${best} or less`, 'm'));
    }
    assert.ok(gridPixels(69905, 69905) <= MAX_PNG_PIXELS && gridPixels(69906, 69906) > MAX_PNG_PIXELS);
    assert.ok(gridPixels(2 * 36079, 36079) <= MAX_PNG_PIXELS && gridPixels(2 * 36080, 36080) > MAX_PNG_PIXELS);
    assert.ok(gridPixels(273 * 273, 273) <= MAX_PNG_PIXELS && gridPixels(274 * 274, 274) > MAX_PNG_PIXELS);
    const ok = await cli(['interpolate', '--model', model, '--data', digits, '--from', '0', '--to', '1', '--steps', '8', '--out', out, ...ONE_THREAD]);
    assert.equal(ok.code, 0, show(ok));
    assert.deepEqual(pngSize(out), { width: 10 * 30 + 2, height: 32 });
  });

  test('--steps-per-call 10000 and --threads 100000 are usage errors naming the limit', async () => {
    const [spc, threads] = await Promise.all([
      cli(['train', ...TINY, '--steps-per-call', '10000', '--out', path.join(root, 'spc')]),
      cli(['sample', '--model', model, '--threads', '100000', '--out', path.join(root, 't.png')]),
    ]);
    assert.equal(spc.code, 2, show(spc));
    assert.match(spc.stderr, /--steps-per-call <n>' argument '10000' is invalid\. 10000 is more than the limit of 1024/);
    assert.equal(threads.code, 2, show(threads));
    assert.match(threads.stderr, new RegExp(`--threads <n>' argument '100000' is invalid\\. 100000 is more than the limit of ${4 * os.availableParallelism()}`));
  });
});
