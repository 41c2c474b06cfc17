import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';

// The package's own data, read independently (Node's require), to check the conversion and the split.
const pkg = createRequire(import.meta.url)('mnist') as { raw: number[]; length: number }[];

test('10,000 digits split 8000/2000, 28x28, values k/255 in [0, 1]', async () => {
  const { train, test: testSet } = await loadEmbeddedMnist();
  assert.deepEqual([train.n, testSet.n], [8000, 2000]);
  for (const ds of [train, testSet]) {
    assert.deepEqual([ds.rows, ds.cols], [28, 28]);
    assert.equal(ds.images.length, ds.n * 784);
    assert.equal(ds.labels.length, ds.n);
    for (let i = 0; i < ds.images.length; i++) {
      const v = ds.images[i];
      assert.ok(v >= 0 && v <= 1 && v === Math.fround(Math.round(v * 255) / 255), `pixel ${i} = ${v}`);
    }
  }
  assert.equal(train.name, 'mnist-10k/train');
  assert.equal(testSet.name, 'mnist-10k/test');
});

test('labels 0..9 all present; test takes the last round(m/5) of each class; interleaved order', async () => {
  const { train, test: testSet } = await loadEmbeddedMnist();
  const count = (l: Uint8Array) => l.reduce((c, d) => (c[d]++, c), new Array<number>(10).fill(0));
  const m = pkg.map((d) => d.length); // [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]
  assert.equal(m.reduce((a, b) => a + b, 0), 10000);
  assert.deepEqual(count(testSet.labels), m.map((x) => Math.round(x / 5)));
  assert.deepEqual(count(train.labels), m.map((x) => x - Math.round(x / 5)));
  assert.deepEqual(Array.from(train.labels.subarray(0, 20)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(Array.from(testSet.labels.subarray(0, 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('pixels match the package data: train[3] is the first 3, test[0] is the 0 at position m_0 - 200', async () => {
  const { train, test: testSet } = await loadEmbeddedMnist();
  const close = (ours: Float32Array, theirs: number[]) => theirs.every((v, p) => Math.abs(ours[p] - v) <= 0.0006);
  assert.ok(close(train.images.subarray(3 * 784, 4 * 784), pkg[3].raw.slice(0, 784)));
  const first0 = (pkg[0].length - 200) * 784;
  assert.ok(close(testSet.images.subarray(0, 784), pkg[0].raw.slice(first0, first0 + 784)));
  assert.ok(train.images.subarray(3 * 784, 4 * 784).some((v) => v > 0.5), 'a digit has ink');
});

test('no image is in both splits; the result is cached', async () => {
  const a = await loadEmbeddedMnist();
  assert.equal(await loadEmbeddedMnist(), a);
  const key = (x: Float32Array, i: number) => Buffer.from(x.buffer, i * 784 * 4, 784 * 4).toString('base64');
  const trainKeys = new Set(Array.from({ length: a.train.n }, (_, i) => key(a.train.images, i)));
  for (let i = 0; i < a.test.n; i++) assert.ok(!trainKeys.has(key(a.test.images, i)), `test image ${i} also in train`);
});
