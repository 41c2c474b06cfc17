// Every model command end to end on a model trained by the CLI (784-64-2, one epoch of the embedded digits)
// and on a 3-D latent model written by the library: files, sizes, pixels, CSV shapes, JSON keys, errors.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { modelFile } from '../../src/io/modelFiles.js';
import { initVaeParams } from '../../src/models/vae.js';
import { parseVaeConfig } from '../../src/models/vaeConfig.js';
import { saveModelDir } from '../../src/node/modelDir.js';
import { Prng } from '../../src/random/prng.js';
import { decodePng, encodePng } from '../../src/viz/png.js';
import { numpy, numpyMissing } from '../helpers/numpy.js';
import { FASHION_MNIST_DIR, skipWithoutFashionMnist } from '../helpers/fashionMnist.js';
import { cli, lines, ONE_THREAD, pngSize, show, side, tmp, TINY, writeDigitsDir, type CliResult } from './helpers.js';

const dir = tmp();
const digits = path.join(dir, 'digits'); // 2000 train / 500 test real digits as IDX files
const run = path.join(dir, 'run2d'); // trained by the CLI on them, latent 2, dynamic binarization
const model3d = path.join(dir, 'model3d'); // untrained, latent 3
const out = (f: string) => path.join(dir, 'out', f);

/** Runs commands two at a time, one ORT thread each. */
async function both(a: string[], b: string[]): Promise<[CliResult, CliResult]> {
  return Promise.all([cli([...a, ...ONE_THREAD]), cli([...b, ...ONE_THREAD])]);
}

function ok(r: CliResult): CliResult {
  assert.equal(r.code, 0, show(r));
  return r;
}

/** A user error: exit 1, `vaekit: …` on stderr, no stack trace. */
function userError(r: CliResult, pattern: RegExp): void {
  assert.equal(r.code, 1, show(r));
  assert.match(r.stderr, /^vaekit: /);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

/** Grey values of a PNG are not all the same inside the first tile. */
function nonConstantTile(file: string): void {
  const img = decodePng(readFileSync(file), file);
  const tile = new Set<number>();
  for (let y = 2; y < 30; y++) for (let x = 2; x < 30; x++) tile.add(Math.round(img.data[y * img.width + x] * 255));
  assert.ok(tile.size > 5, `${file}: the first tile has ${tile.size} grey levels`);
}

before(async () => {
  await writeDigitsDir(digits);
  ok(await cli(['train', ...TINY, '--data', digits, '--binarize', 'dynamic', '--seed', '2', '--out', run]));
  const cfg = parseVaeConfig({ latentDim: 3, hidden: [16] });
  saveModelDir(model3d, { meta: modelFile(cfg, null, { name: 'mnist', dir: digits, train: 2000, test: 500 }, null), params: initVaeParams(cfg, new Prng(1)) });
});

// Two tests at a time: the machine's two cores stay busy.
describe('model commands', { concurrency: 2 }, () => {
  test('sample and reconstruct draw grids of the expected size with real pictures', async () => {
    const [s, r] = await both(
      ['sample', '--model', run, '--n', '16', '--seed', '3', '--out', out('samples.png')],
      ['reconstruct', '--model', run, '--n', '12', '--cols', '6', '--out', out('recon.png')],
    );
    ok(s);
    ok(r);
    assert.deepEqual(pngSize(out('samples.png')), { width: side(4), height: side(4) });
    assert.deepEqual(pngSize(out('recon.png')), { width: side(6), height: side(4) }); // 2 × (originals, reconstructions)
    nonConstantTile(out('samples.png'));
    nonConstantTile(out('recon.png'));
  });

  test('manifold decodes a 2-D grid; on a 3-D latent it explains and points to traverse', async () => {
    const [m, bad] = await both(['manifold', '--model', run, '--grid', '5', '--out', out('manifold.png')], ['manifold', '--model', model3d, '--out', out('never.png')]);
    ok(m);
    assert.deepEqual(pngSize(out('manifold.png')), { width: side(5), height: side(5) });
    nonConstantTile(out('manifold.png'));
    userError(bad, /2-D latent.*3 latent dimensions.*vaekit traverse/);
  });

  test('traverse draws one row per dimension; a missing dimension names the valid range', async () => {
    const [t, bad] = await both(
      ['traverse', '--model', run, '--dims', '1,0', '--steps', '7', '--range', '2', '--out', out('traverse.png')],
      ['traverse', '--model', model3d, '--dims', '5', '--out', out('never.png')],
    );
    ok(t);
    assert.deepEqual(pngSize(out('traverse.png')), { width: side(7), height: side(2) });
    userError(bad, /valid: 0\.\.2/);
  });

  test('encode writes index,label,μ,log σ² for every example; eval --iw repeats training\'s test −ELBO', async () => {
    const [e, v] = await both(['encode', '--model', run, '--out', out('codes.csv')], ['eval', '--model', run, '--iw', '20', '--json']);
    ok(e);
    const rows = lines(out('codes.csv'));
    assert.equal(rows.length, 500 + 1);
    assert.equal(rows[0], 'index,label,mu_1,mu_2,logvar_1,logvar_2');
    for (const row of rows.slice(1)) assert.equal(row.split(',').length, 2 + 2 * 2);
    assert.deepEqual(rows.slice(1, 4).map((r) => r.split(',').slice(0, 2).join(',')), ['0,0', '1,1', '2,2']);

    const r = JSON.parse(ok(v).stdout);
    for (const k of ['negElbo', 'recon', 'kl', 'bitsPerDim', 'examples', 'activeUnits', 'nll', 'nllStdErr', 'k']) {
      assert.ok(Number.isFinite(r[k]), `${k} = ${r[k]}`);
    }
    assert.equal(r.examples, 500);
    assert.equal(r.k, 20);
    assert.ok(Math.abs(r.negElbo - (r.recon + r.kl)) < 1e-6);
    assert.ok(r.nll <= r.negElbo + 3 * r.nllStdErr, `IS-NLL ${r.nll} should not exceed the −ELBO ${r.negElbo}`);
    const logged = JSON.parse(lines(path.join(run, 'metrics.jsonl'))[0]).test;
    assert.equal(r.negElbo, logged.negElbo, 'same weights, data binarization and noise as the trainer');
  });

  test('encode --out .npz/.npy and sample --out .npy write arrays numpy reads, equal to the CSV and PNG outputs', { skip: numpyMissing() }, async () => {
    ok((await both(['encode', '--model', run, '--out', out('codes.npz')], ['encode', '--model', run, '--out', out('codes2.csv')]))[0]);
    const [s, g] = await both(['sample', '--model', run, '--n', '9', '--seed', '4', '--out', out('samples.npy')], ['sample', '--model', run, '--n', '9', '--seed', '4', '--out', out('samples9.png')]);
    ok(s);
    ok(g);
    ok(await cli(['encode', '--model', run, '--out', out('mu.npy'), ...ONE_THREAD]));
    const got = JSON.parse(
      numpy(
        `z = np.load(sys.argv[1]); s = np.load(sys.argv[2]); m = np.load(sys.argv[3])
print(json.dumps({'mu': z['mu'].tolist(), 'logvar': z['logvar'].tolist(), 'labels': z['labels'].tolist(), 'same': bool(np.array_equal(m, z['mu'])), 'dtype': str(s.dtype), 'samples': s.tolist()}))`,
        [out('codes.npz'), out('samples.npy'), out('mu.npy')],
      ),
    );
    const rows = lines(out('codes2.csv')).slice(1).map((r) => r.split(',').map(Number));
    assert.equal(got.mu.length, rows.length);
    assert.ok(got.same, 'mu.npy equals the mu in the .npz');
    rows.forEach((r, i) => {
      assert.equal(got.labels[i], r[1]);
      [...got.mu[i], ...got.logvar[i]].forEach((v: number, j: number) => assert.equal(Number(Math.fround(v).toPrecision(9)), r[2 + j], `row ${i} column ${j}`));
    });
    // the PNG grid of the same draws holds round(255 v) of each sample: 3 columns of 28×28 tiles, pad 2
    assert.equal(got.dtype, 'float32');
    const grid = decodePng(readFileSync(out('samples9.png')), 'samples9.png');
    (got.samples as number[][][]).forEach((img, k) => {
      const [r, c] = [Math.floor(k / 3), k % 3];
      img.forEach((row, y) => row.forEach((v, x) => assert.equal(Math.round(grid.data[(2 + r * 30 + y) * grid.width + 2 + c * 30 + x] * 255), Math.round(v * 255))));
    });
  });

  test('score writes one row per example, flags the top 10% and reports AUC for the anomalous labels', async () => {
    const [s, bad] = await both(
      ['score', '--model', run, '--quantile', '0.9', '--labels-anomalous', '7', '--out', out('scores.csv'), '--json'],
      ['score', '--model', run, '--quantile', '0.9', '--threshold', '3', '--out', out('never.csv')],
    );
    const r = JSON.parse(ok(s).stdout);
    assert.equal(r.examples, 500);
    assert.equal(r.flagged, 50);
    const rows = lines(out('scores.csv'));
    // the reported AUC against an independent computation on the same scores: the Mann–Whitney probability
    // P(score of a label-7 example > score of another), ties counting ½, over every pair (O(n²), no ranks)
    const parsed = rows.slice(1).map((l) => l.split(',').map(Number)); // index,label,negElbo,flag
    const pos = parsed.filter((p) => p[1] === 7).map((p) => p[2]);
    const neg = parsed.filter((p) => p[1] !== 7).map((p) => p[2]);
    let wins = 0;
    for (const a of pos) for (const b of neg) wins += a > b ? 1 : a === b ? 0.5 : 0;
    const auc = wins / (pos.length * neg.length);
    assert.ok(pos.length > 10 && neg.length > 10, 'both classes are present');
    assert.ok(Math.abs(r.auc - auc) < 1e-9, `reported AUC ${r.auc}, pairwise count ${auc}`);
    assert.ok(Math.abs(auc - 0.5) > 0.05, `the score separates the classes (AUC ${auc}), so 1 − AUC would differ`);
    assert.equal(rows.length, 501);
    assert.equal(rows[0], 'index,label,negElbo,flag');
    assert.equal(rows.slice(1).filter((l) => l.endsWith(',1')).length, 50);
    assert.equal(bad.code, 2, show(bad)); // --quantile and --threshold conflict: a usage error
  });

  test('score reads a PNG directory (bad files: error, or skipped with --skip-bad) and an IDX file', async () => {
    const pngs = path.join(dir, 'pngs');
    mkdirSync(pngs);
    const digit = { width: 28, height: 28, data: new Uint8Array(784).map((_, i) => (i * 7) % 256) };
    writeFileSync(path.join(pngs, 'a.png'), encodePng(digit));
    writeFileSync(path.join(pngs, 'b.png'), encodePng({ ...digit, data: digit.data.slice().reverse() }));
    writeFileSync(path.join(pngs, 'broken.png'), 'not a png');
    const idx = path.join(dir, 'three-images-idx3-ubyte');
    const header = Buffer.from([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 28, 0, 0, 0, 28]);
    writeFileSync(idx, Buffer.concat([header, Buffer.alloc(3 * 784, 40)]));

    const [strict, lenient] = await both(
      ['score', '--model', run, '--png-dir', pngs, '--out', out('never.csv')],
      ['score', '--model', run, '--png-dir', pngs, '--skip-bad', '--threshold', '100', '--out', out('pngs.csv')],
    );
    userError(strict, /broken\.png/);
    ok(lenient);
    assert.match(lenient.stderr, /warning: skipping .*broken\.png/);
    assert.deepEqual(lines(out('pngs.csv')).map((l) => l.split(',').slice(0, 2).join(',')), ['index,file', '0,a.png', '1,b.png']);
    assert.equal(lines(out('pngs.csv'))[0], 'index,file,negElbo,flag');
    const r = ok(await cli(['score', '--model', run, '--idx', idx, '--out', out('idx.csv')]));
    assert.match(r.stdout, /3 examples/);
    assert.equal(lines(out('idx.csv')).length, 4);
    assert.equal(lines(out('idx.csv'))[0], 'index,negElbo');
  });

  test('interpolate draws example, path, example; an index out of range states the valid range', async () => {
    const [i, bad] = await both(
      ['interpolate', '--model', run, '--from', '3', '--to', '10', '--steps', '6', '--slerp', '--out', out('interp.png')],
      ['interpolate', '--model', run, '--from', '0', '--to', '5000', '--out', out('never.png')],
    );
    ok(i);
    assert.deepEqual(pngSize(out('interp.png')), { width: side(8), height: side(1) });
    userError(bad, /--to 5000 is out of range.*500 examples \(valid: 0\.\.499\)/);
  });

  test('plot latent draws one point per example with a legend; PCA for a 3-D latent, PNG by extension', async () => {
    const [p2, p3] = await both(
      ['plot', 'latent', '--model', run, '--n', '300', '--out', out('latent.svg')],
      ['plot', 'latent', '--model', model3d, '--n', '200', '--out', out('latent3.png'), '--json'],
    );
    ok(p2);
    const svg = readFileSync(out('latent.svg'), 'utf8');
    assert.equal(svg.match(/class="point"/g)?.length, 300);
    assert.equal(svg.match(/class="legend-item"/g)?.length, 10);
    assert.match(svg, /μ₁/);
    const r = JSON.parse(ok(p3).stdout);
    assert.equal(r.projection, 'pca');
    assert.equal(r.points, 200);
    assert.ok(pngSize(out('latent3.png')).width > 600);
  });

  test('plot latent names Fashion-MNIST classes in the legend', async (t) => {
    if (skipWithoutFashionMnist(t)) return;
    ok(await cli(['plot', 'latent', '--model', model3d, '--dataset', 'fashion-mnist', '--data', FASHION_MNIST_DIR, '--n', '400', '--out', out('fashion.svg')]));
    const svg = readFileSync(out('fashion.svg'), 'utf8');
    for (const name of ['T-shirt/top', 'Trouser', 'Sneaker', 'Ankle boot']) assert.ok(svg.includes(`>${name}</text>`), name);
    assert.match(svg, /PC1 of μ \([0-9.]+% of variance\)/);
  });

  test('plot curves draws train and test per panel; a bad metrics line names file and line', async () => {
    const badRun = path.join(dir, 'badrun');
    mkdirSync(badRun);
    writeFileSync(path.join(badRun, 'metrics.jsonl'), readFileSync(path.join(run, 'metrics.jsonl'), 'utf8') + '{"epoch": 2, "train": 5}\n');
    const [c, bad] = await Promise.all([cli(['plot', 'curves', '--run', run, '--out', out('curves.svg')]), cli(['plot', 'curves', '--run', badRun, '--out', out('never.svg')])]);
    ok(c);
    const svg = readFileSync(out('curves.svg'), 'utf8');
    assert.equal(svg.match(/class="series"/g)?.length, 3 * 2);
    userError(bad, /metrics\.jsonl:2: /);
  });
});
