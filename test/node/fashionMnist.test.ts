import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadFashionMnist, loadIdxDataset } from '../../src/node/fashionMnist.js';
import { VaekitError } from '../../src/errors.js';
import { FASHION_MNIST_DIR, skipWithoutFashionMnist } from '../helpers/fashionMnist.js';
import { tempDir } from '../helpers/tempDir.js';

/** IDX bytes for uint8 data: 00 00 08 ndim, big-endian dims, data. */
function idxU8(dims: number[], data: number[]): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data)]);
}

/** A directory with a 2-image train set and a 1-image test set of 2x2 pixels. */
function tinyDir(skip?: string): string {
  const dir = tempDir('vaekit-idx-');
  const files: Record<string, Buffer> = {
    'train-images-idx3-ubyte.gz': gzipSync(idxU8([2, 2, 2], [0, 255, 0, 255, 51, 51, 51, 51])),
    'train-labels-idx1-ubyte': idxU8([2], [4, 2]),
    't10k-images-idx3-ubyte': idxU8([1, 2, 2], [255, 255, 255, 255]),
    't10k-labels-idx1-ubyte.gz': gzipSync(idxU8([1], [9])),
  };
  for (const [name, bytes] of Object.entries(files)) if (name !== skip) writeFileSync(join(dir, name), bytes);
  return dir;
}

const refused = (re: RegExp) => (e: unknown) => e instanceof VaekitError && re.test(e.message);

test('loadIdxDataset reads plain and .gz files', async () => {
  const dir = tinyDir();
  try {
    const { train, test: t } = await loadIdxDataset(dir, 'tiny');
    assert.deepEqual([train.name, train.n, train.rows, train.cols], ['tiny/train', 2, 2, 2]);
    assert.deepEqual(Array.from(train.images), [0, 1, 0, 1, 0.2, 0.2, 0.2, 0.2].map(Math.fround));
    assert.deepEqual(Array.from(train.labels), [4, 2]);
    assert.deepEqual([t.name, t.n, t.labels[0]], ['tiny/test', 1, 9]);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('a missing file or directory names the exact path and what to do', async () => {
  const dir = tinyDir('t10k-labels-idx1-ubyte.gz');
  try {
    const path = join(dir, 't10k-labels-idx1-ubyte');
    await assert.rejects(loadFashionMnist(dir), refused(new RegExp(`missing ${path}\\.gz \\(or the uncompressed ${path}\\); install Debian's package dataset-fashion-mnist \\(apt-get install dataset-fashion-mnist\\) or pass --data DIR`)));
    await assert.rejects(loadIdxDataset(dir, 'tiny'), refused(/tiny: missing .*pass --data DIR/));
  } finally {
    rmSync(dir, { recursive: true });
  }
  await assert.rejects(loadFashionMnist('/nonexistent/fmnist'), refused(/directory \/nonexistent\/fmnist does not exist; install Debian's package dataset-fashion-mnist/));
});

test('a corrupt file is refused with its path', async () => {
  const dir = tinyDir();
  try {
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idxU8([3], [1, 2]));
    await assert.rejects(loadIdxDataset(dir, 'tiny'), refused(/train-labels-idx1-ubyte: truncated/));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('loadFashionMnist reads the installed Debian files', async (ctx) => {
  if (skipWithoutFashionMnist(ctx)) return;
  const { train, test: t } = await loadFashionMnist(FASHION_MNIST_DIR);
  assert.deepEqual([train.name, train.n, train.rows, train.cols, t.n], ['fashion-mnist/train', 60000, 28, 28, 10000]);
  // Mean pixel of the training set, 3431114169 / (47040000 * 255), the often-quoted 0.2860
  let sum = 0;
  for (let i = 0; i < train.images.length; i++) sum += train.images[i];
  assert.ok(Math.abs(sum / train.images.length - 3431114169 / 47040000 / 255) < 1e-6);
});
