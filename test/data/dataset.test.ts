import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datasetFromIdx, filterByLabels, labelArray, subset, type ImageDataset, type LabelArray } from '../../src/data/dataset.js';
import type { IdxArray } from '../../src/data/idx.js';
import { VaekitError } from '../../src/errors.js';

// 3 images of 2x2: image i has pixels [i, 85, 170, 255] (bytes); labels 7, 3, 7
const images: IdxArray = { dtype: 'uint8', dims: [3, 2, 2], data: Uint8Array.from([0, 85, 170, 255, 1, 85, 170, 255, 2, 85, 170, 255]) };
const labels: IdxArray = { dtype: 'uint8', dims: [3], data: Uint8Array.from([7, 3, 7]) };

const isVaekit = (re: RegExp) => (e: unknown) => e instanceof VaekitError && re.test(e.message);

test('datasetFromIdx scales bytes by 1/255 and copies labels', () => {
  const ds = datasetFromIdx(images, labels, 'tiny');
  assert.equal(ds.name, 'tiny');
  assert.deepEqual([ds.n, ds.rows, ds.cols], [3, 2, 2]);
  assert.deepEqual(Array.from(ds.images.subarray(0, 4)), [0, 1 / 3, 2 / 3, 1].map(Math.fround));
  assert.equal(ds.images[4], Math.fround(1 / 255));
  assert.deepEqual(Array.from(ds.labels), [7, 3, 7]);
  assert.notEqual(ds.labels, labels.data); // a copy, not an alias
});

test('datasetFromIdx refuses wrong dtype, rank and count mismatches', () => {
  const f32: IdxArray = { dtype: 'float32', dims: [3, 2, 2], data: new Float32Array(12) };
  assert.throws(() => datasetFromIdx(f32, labels, 'd'), isVaekit(/dataset d: images must be a 3-D uint8 .* got float32/));
  const flat: IdxArray = { dtype: 'uint8', dims: [3, 4], data: new Uint8Array(12) };
  assert.throws(() => datasetFromIdx(flat, labels, 'd'), isVaekit(/dims \[3, 4\]/));
  const labels2: IdxArray = { dtype: 'uint8', dims: [3, 1], data: new Uint8Array(3) };
  assert.throws(() => datasetFromIdx(images, labels2, 'd'), isVaekit(/labels must be a 1-D uint8/));
  const four: IdxArray = { dtype: 'uint8', dims: [4], data: new Uint8Array(4) };
  assert.throws(() => datasetFromIdx(images, four, 'd'), isVaekit(/3 images but 4 labels/));
});

test('subset copies rows in the given order and checks indices', () => {
  const ds = datasetFromIdx(images, labels, 'tiny');
  const s = subset(ds, [2, 0, 2], 'picked');
  assert.equal(s.name, 'picked');
  assert.equal(s.n, 3);
  assert.deepEqual(Array.from(s.labels), [7, 7, 7]);
  assert.deepEqual(Array.from(s.images.subarray(0, 4)), Array.from(ds.images.subarray(8, 12)));
  assert.deepEqual(Array.from(s.images.subarray(4, 8)), Array.from(ds.images.subarray(0, 4)));
  s.images[0] = 42;
  assert.notEqual(ds.images[8], 42);
  for (const bad of [-1, 3, 1.5, NaN]) assert.throws(() => subset(ds, [0, bad]), isVaekit(/subset of tiny: index .* at position 1/));
  assert.equal(subset(ds, []).n, 0);
});

test('filterByLabels keeps or drops classes, preserving order', () => {
  const ds: ImageDataset = datasetFromIdx(images, labels, 'tiny');
  const sevens = filterByLabels(ds, [7], true);
  assert.deepEqual(Array.from(sevens.labels), [7, 7]);
  assert.equal(sevens.images[4], Math.fround(2 / 255)); // image 2 is second
  const rest = filterByLabels(ds, [7], false, 'no7');
  assert.equal(rest.name, 'no7');
  assert.deepEqual(Array.from(rest.labels), [3]);
  assert.equal(filterByLabels(ds, [], true).n, 0);
});

test('labelArray keeps labels whole in the narrowest type; subset and filterByLabels keep the width', () => {
  for (const [ls, Ctor] of [[[0, 255, 3], Uint8Array], [[0, 299, 256], Uint16Array], [[65535], Uint16Array], [[65536, 1], Int32Array], [[2 ** 31 - 1], Int32Array]] as const) {
    const a = labelArray(ls, 'y.npy');
    assert.equal(a.constructor, Ctor, `max ${Math.max(...ls)}`);
    assert.deepEqual(Array.from(a), ls);
  }
  assert.throws(() => labelArray([1, -1], 'y.npy'), isVaekit(/y\.npy: example 1 has label -1, not an integer in \[0, 2\^31\)/));
  assert.throws(() => labelArray([2 ** 31], 'y.npy'), isVaekit(/example 0 has label 2147483648/));
  const wide: ImageDataset<LabelArray> = { ...datasetFromIdx(images, labels, 'tiny'), labels: labelArray([299, 3, 300], 'tiny') };
  const s = subset(wide, [2, 0]);
  assert.ok(s.labels instanceof Uint16Array);
  assert.deepEqual(Array.from(s.labels), [300, 299]);
  assert.deepEqual(Array.from(filterByLabels(wide, [300], true).labels), [300]);
});
