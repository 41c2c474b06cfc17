import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeNpy } from '../../src/data/npy.js';
import { toSourceArray, type PixelPreprocessing } from '../../src/data/preprocessing.js';
import { rowSize, type RowDataset } from '../../src/data/rowDataset.js';
import { VaekitError } from '../../src/errors.js';
import { openDataSource } from '../../src/node/openDataSource.js';
import { writeNpy } from '../../src/node/npyWriter.js';
import { loadFashionMnist } from '../../src/node/fashionMnist.js';
import { FASHION_DIR, fashionMissing, renderShapes, writeShapePngs } from '../helpers/imageFixtures.js';
import { numpy, numpyMissing } from '../helpers/numpy.js';

const skip = numpyMissing();
const refused = (re: RegExp) => (e: unknown) => e instanceof VaekitError && re.test(e.message);
const tmp = () => mkdtempSync(join(tmpdir(), 'vaekit-src-'));

function readAll(ds: RowDataset): Float32Array {
  const x = new Float32Array(ds.n * rowSize(ds));
  ds.read(Array.from({ length: ds.n }, (_, i) => i), x);
  return x;
}

const WRITE = `
d = sys.argv[1]
rng = np.random.default_rng(2)
xtr = rng.integers(0, 256, (50, 6, 5), dtype=np.uint8); ytr = rng.integers(0, 4, 50)
xte = rng.integers(0, 256, (9, 6, 5), dtype=np.uint8); yte = rng.integers(0, 4, 9).astype(np.int32)
np.savez_compressed(f'{d}/keras.npz', x_train=xtr, y_train=ytr, x_test=xte, y_test=yte)
np.save(f'{d}/train_truth.npy', (xtr[:, None] / 255.0).astype(np.float32)); np.save(f'{d}/ytr.npy', ytr)
np.save(f'{d}/test_truth.npy', (xte[:, None] / 255.0).astype(np.float32)); np.save(f'{d}/yte.npy', yte)
faces = rng.integers(0, 256, (40, 4, 3, 3), dtype=np.uint8)
np.save(f'{d}/faces.npy', faces)
np.save(f'{d}/faces_y.npy', np.arange(40) % 7)
`;

test('.npz in the Keras layout gives its train and test splits with labels and a preprocessing record', { skip }, async () => {
  const dir = tmp();
  try {
    numpy(WRITE, [dir]);
    const src = await openDataSource(join(dir, 'keras.npz'), { testFraction: 0.5 }); // has its own test split: not held out
    assert.deepEqual([src.train.n, src.test?.n, src.train.shape], [50, 9, [1, 6, 5]]);
    assert.deepEqual(readAll(src.train), decodeNpy(readFileSync(join(dir, 'train_truth.npy')), 't').data);
    assert.deepEqual(readAll(src.test!), decodeNpy(readFileSync(join(dir, 'test_truth.npy')), 't').data);
    assert.deepEqual(Array.from(src.train.labels!), Array.from(decodeNpy(readFileSync(join(dir, 'ytr.npy')), 'y').data, Number));
    assert.deepEqual(Array.from(src.test!.labels!), Array.from(decodeNpy(readFileSync(join(dir, 'yte.npy')), 'y').data, Number));
    assert.deepEqual(src.preprocessing, { kind: 'pixels', source: 'npz', scale: 1 / 255, dtype: 'uint8', channelsLast: false, shape: [1, 6, 5] });
    await assert.rejects(openDataSource(join(dir, 'keras.npz'), { npzKeys: { x: 'pixels' } }), refused(/keras\.npz: no array 'pixels'; it holds x_train, y_train, x_test, y_test/));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('.npy channels-last with labels: a seeded held-out split, and samples written back in the source layout numpy compares equal', { skip }, async () => {
  const dir = tmp();
  try {
    numpy(WRITE, [dir]);
    const file = join(dir, 'faces.npy');
    const opts = { channelsLast: true, labels: join(dir, 'faces_y.npy'), testFraction: 0.25, seed: 5 };
    const src = await openDataSource(file, opts);
    assert.deepEqual([src.train.n, src.test?.n, src.train.shape, src.train.name], [30, 10, [3, 4, 3], 'faces.npy/train']);
    const whole = await openDataSource(file, { channelsLast: true, labels: opts.labels });
    const all = readAll(whole.train);
    const d = rowSize(whole.train);
    // every row lands in exactly one part, unchanged, with its label (i % 7)
    const seen = new Map<string, number>();
    for (const part of [src.train, src.test!]) {
      const x = readAll(part);
      for (let k = 0; k < part.n; k++) {
        const row = x.subarray(k * d, (k + 1) * d);
        const i = [...Array(40).keys()].find((j) => all.subarray(j * d, (j + 1) * d).every((v, p) => v === row[p]))!;
        assert.equal(part.labels![k], i % 7);
        seen.set(String(i), (seen.get(String(i)) ?? 0) + 1);
      }
    }
    assert.equal(seen.size, 40);
    const again = await openDataSource(file, opts);
    assert.deepEqual(readAll(again.test!), readAll(src.test!), 'the same seed holds out the same rows');
    const other = await openDataSource(file, { ...opts, seed: 6 });
    assert.notDeepEqual(readAll(other.test!), readAll(src.test!));

    // model-space rows → the source's uint8 [N, H, W, C]: numpy finds it equal to the original
    writeNpy(join(dir, 'back.npy'), toSourceArray(whole.preprocessing as PixelPreprocessing, all, { units: 'source' }));
    assert.equal(numpy('print(np.array_equal(np.load(sys.argv[1]), np.load(sys.argv[2])))', [join(dir, 'back.npy'), file]).trim(), 'True');
    for (const s of [src, whole, again, other]) s.train.close?.();
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('a folder of IDX files (Fashion-MNIST) opens as its train and test sets', { skip: fashionMissing() }, async () => {
  const src = await openDataSource(FASHION_DIR);
  assert.deepEqual([src.train.n, src.test?.n, src.train.shape, (src.preprocessing as PixelPreprocessing).source], [60000, 10000, [1, 28, 28], 'idx']);
  const truth = await loadFashionMnist();
  const x = new Float32Array(784);
  src.test!.read([1234], x);
  assert.deepEqual(x, truth.test.images.subarray(1234 * 784, 1235 * 784));
  assert.equal(src.test!.labels![1234], truth.test.labels[1234]);
});

test('a folder is an image source; unknown types and missing paths are refused', async () => {
  const dir = tmp();
  try {
    writeShapePngs(join(dir, 'imgs'), renderShapes(10, 8, 8), 8, 8);
    const src = await openDataSource(join(dir, 'imgs'), { testFraction: 0.2, seed: 1 });
    assert.deepEqual([src.train.n, src.test?.n, src.images?.reused], [8, 2, false]);
    assert.deepEqual(src.preprocessing, { kind: 'pixels', source: 'images', scale: 1 / 255, dtype: 'uint8', channelsLast: false, shape: [3, 8, 8], image: { size: [8, 8], channels: 3, fit: 'cover' } });
    src.train.close?.();
    writeFileSync(join(dir, 'x.parquet'), 'PAR1');
    await assert.rejects(openDataSource(join(dir, 'x.parquet')), refused(/x\.parquet: unknown type '\.parquet'; give a folder of images, or a file ending in \.npy, \.npz/));
    await assert.rejects(openDataSource(join(dir, 'nope.npy')), refused(/nope\.npy: no such file or folder/));
  } finally {
    rmSync(dir, { recursive: true });
  }
});
