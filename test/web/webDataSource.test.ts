// vaekit/web's data sources in Node (no browser needed for files that are not images): a dropped CSV, .npz
// or .npy gives the datasets and preprocessing the CLI's openDataSource gives for the same file on disk; a
// dropped folder's image list follows the CLI's folder scan; memory limits refuse with the number and limit.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { readAll } from '../../src/data/datasetView.js';
import { imageFileList } from '../../src/data/imageList.js';
import { encodeNpy, encodeNpyHeader } from '../../src/data/npy.js';
import { encodeNpz } from '../../src/data/npz.js';
import { scanImageFolder } from '../../src/node/imageFolder.js';
import { openDataSource } from '../../src/node/openDataSource.js';
import { Prng } from '../../src/random/prng.js';
import { openWebData } from '../../src/web/webDataSource.js';
import { checkWebTraining, modelConfigForData, splitForTraining } from '../../src/web/webTraining.js';
import { tmp } from '../cli/helpers.js';
import { vegaJsonToCsv } from '../helpers/tables.js';

const dropped = (file: string) => [{ path: path.basename(file), blob: new Blob([readFileSync(file)]) }];

test('a dropped CSV: the schema, rows, masks, labels and held-out split of the CLI’s openDataSource', async (t) => {
  const dir = tmp('vaekit-webdata-');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const csv = vegaJsonToCsv('penguins', dir);
  const web = await openWebData(dropped(csv), { label: 'Species' });
  const cli = await openDataSource(csv, { table: { label: 'Species' }, testFraction: 0.1, seed: 3 });
  assert.deepEqual(web.preprocessing, cli.preprocessing);
  assert.deepEqual(web.source, { table: { label: 'Species' } });
  const split = splitForTraining(web.train, web.test, 3);
  for (const part of ['train', 'test'] as const) {
    const [a, b] = [readAll(split[part]), readAll(cli[part]!)];
    assert.deepEqual(a.x, b.x, part);
    assert.deepEqual(a.mask, b.mask, part);
    assert.deepEqual(split[part].labels, cli[part]!.labels, part);
  }
  assert.ok(readAll(web.train).mask, 'penguins has missing cells');
  const model = modelConfigForData({ latentDim: 2, hidden: 8, beta: 1 }, { shape: web.train.shape, preprocessing: web.preprocessing });
  assert.equal(model.likelihood.type, 'tabular');
  assert.throws(() => modelConfigForData({ latentDim: 2, hidden: 8, beta: 1, likelihood: 'gaussian' }, { shape: web.train.shape, preprocessing: web.preprocessing }), /a table has its own/);
});

test('a dropped .npz with x_train/x_test and an .npy: the CLI’s datasets and records', async (t) => {
  const dir = tmp('vaekit-webdata-');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const rng = new Prng(1);
  const u8 = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rng.uniform() * 256));
  const npz = path.join(dir, 'd.npz');
  writeFileSync(npz, encodeNpz({
    x_train: { dtype: 'uint8', shape: [12, 4, 5, 3], data: u8(12 * 60) },
    y_train: { dtype: 'int64', shape: [12], data: BigInt64Array.from({ length: 12 }, (_, i) => BigInt(i % 3)) },
    x_test: { dtype: 'uint8', shape: [4, 4, 5, 3], data: u8(4 * 60) },
  }, { compress: true }));
  const web = await openWebData(dropped(npz));
  const cli = await openDataSource(npz, {});
  assert.equal(web.kind, 'npz');
  assert.deepEqual(web.preprocessing, cli.preprocessing);
  assert.deepEqual(readAll(web.train).x, readAll(cli.train).x);
  assert.deepEqual(readAll(web.test!).x, readAll(cli.test!).x);
  assert.deepEqual(web.train.labels, cli.train.labels);
  const npy = path.join(dir, 'f.npy');
  writeFileSync(npy, encodeNpy({ dtype: 'float32', shape: [6, 7], data: Float32Array.from({ length: 42 }, () => rng.normal()) }));
  const w2 = await openWebData(dropped(npy));
  const c2 = await openDataSource(npy, {});
  assert.deepEqual(w2.preprocessing, c2.preprocessing);
  assert.deepEqual(readAll(w2.train).x, readAll(c2.train).x);
});

test('a dropped folder’s image list: the CLI’s order, classes and ignored files', (t) => {
  const dir = tmp('vaekit-webdata-');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files = ['b/2.png', 'b/10.PNG', 'a/z.jpg', 'a/B.jpeg', 'a/.hidden.png', 'Z/x.png', 'notes.txt', 'a/readme.md', 'b/deep/x.png', '.cache/q.png'];
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), 'x');
  }
  const cli = scanImageFolder(dir);
  const web = imageFileList(files, 'dir');
  assert.deepEqual(web.files, cli.files.map((f) => ({ rel: f.rel, label: f.label })));
  assert.deepEqual(web.classNames, cli.classNames);
  assert.deepEqual(web.ignored.sort(), ['.cache/q.png', 'a/.hidden.png', 'a/readme.md', 'b/deep/x.png', 'notes.txt']);
  assert.throws(() => imageFileList(['a.png', 'c/b.png'], 'mixed'), /mixed: holds both images \(a\.png, …\) and class subfolders \(c\/, …\)/);
  assert.throws(() => imageFileList(['notes.txt'], 'docs'), /docs: no \.png, \.jpg or \.jpeg images .*notes\.txt/);
});

test('memory: data and training beyond the page’s limits are refused with the number and the limit', async () => {
  const huge = [{ path: 'huge.npy', blob: new Blob([encodeNpyHeader('float32', [5000, 1000]) as Uint8Array<ArrayBuffer>]) }];
  await assert.rejects(openWebData(huge, { maxBytes: 2 ** 24 }), /huge\.npy: 5000000 values as float32 needs about 19\.1 MiB in the page, more than the 16\.0 MiB limit/);
  const two = [{ path: 'a.npy', blob: new Blob([]) }, { path: 'b.csv', blob: new Blob([]) }];
  await assert.rejects(openWebData(two), /a\.npy, b\.csv: drop one \.npy, \.npz or \.csv at a time/);
  assert.throws(() => checkWebTraining(modelConfigForData({ latentDim: 20, hidden: 65536, beta: 1 }, { shape: [3, 64, 64] }), 128, 8), /needs about \d+ MiB, more than the 2048 MiB/);
});
