import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { VaekitError } from '../errors.js';
import { datasetFromIdx, type ImageDataset } from '../data/dataset.js';
import { MAX_IDX_BYTES, parseIdx } from '../data/idx.js';
import { checkMemory } from './memoryLimit.js';
import { nodeInflateBounded } from './nodeInflate.js';
import { readRegularFile } from './safeRead.js';

/** Largest IDX file read: the parser's limit plus the largest header (8 dims). */
const MAX_IDX_FILE_BYTES = MAX_IDX_BYTES + 4 + 4 * 8;

/**
 * Node-only loaders for IDX datasets stored as the four classic files in one directory.
 */

/**
 * Where Debian's package dataset-fashion-mnist installs the files.
 *
 * @example
 * const dir = opts.data ?? DEFAULT_FASHION_MNIST_DIR;
 */
export const DEFAULT_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

const FASHION_HINT =
  "install Debian's package dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or pass --data DIR";

/**
 * Reads `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte` and
 * `t10k-labels-idx1-ubyte` from `dir`, each either plain or with a `.gz` suffix (the plain file wins
 * if both exist). Datasets are named `${name}/train` and `${name}/test`.
 *
 * @param hint what to tell the user when a file is missing
 * @throws VaekitError naming the exact path when the directory or a file is missing or unreadable,
 *   and the parser's VaekitError when a file is corrupt
 * @example
 * const { train, test } = await loadIdxDataset('/data/kmnist', 'kmnist');
 */
export async function loadIdxDataset(
  dir: string,
  name: string,
  hint = 'pass --data DIR with the four IDX files (train-images-idx3-ubyte[.gz], …)',
): Promise<{ train: ImageDataset; test: ImageDataset }> {
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new VaekitError(`${name}: directory ${dir} does not exist; ${hint}`, 'E_DATA_MISSING');
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map(
      (base) => readIdx(dir, base, name, hint),
    ),
  );
  // pixels become float32 in [0, 1]: 4 bytes per value, known before converting
  const pixels = trainImages.data.length + testImages.data.length;
  checkMemory(`${name}: ${pixels} pixels of ${dir} as float32`, 4 * pixels, 'use a smaller dataset');
  return {
    train: datasetFromIdx(trainImages, trainLabels, `${name}/train`),
    test: datasetFromIdx(testImages, testLabels, `${name}/test`),
  };
}

/**
 * Loads Fashion-MNIST (60,000 train and 10,000 test 28x28 images, 10 classes) from `dir`.
 *
 * @example
 * const { train } = await loadFashionMnist(); // from /usr/share/datasets/fashion-mnist
 * train.n; // 60000
 */
export function loadFashionMnist(dir = DEFAULT_FASHION_MNIST_DIR): Promise<{ train: ImageDataset; test: ImageDataset }> {
  return loadIdxDataset(dir, 'fashion-mnist', FASHION_HINT);
}

async function readIdx(dir: string, base: string, name: string, hint: string) {
  const plain = join(dir, base);
  const gz = `${plain}.gz`;
  for (const path of [plain, gz]) {
    if (!(await stat(path).then(() => true, (e: NodeJS.ErrnoException) => e.code !== 'ENOENT'))) continue;
    let bytes: Uint8Array;
    try {
      bytes = readRegularFile(path, { maxBytes: MAX_IDX_FILE_BYTES, what: 'IDX file' });
    } catch (e) {
      if (!(e instanceof VaekitError)) throw e;
      throw new VaekitError(`${name}: ${e.message}; ${hint}`, 'E_DATA_MISSING');
    }
    return parseIdx(bytes, path, { inflate: nodeInflateBounded });
  }
  throw new VaekitError(`${name}: missing ${gz} (or the uncompressed ${plain}); ${hint}`, 'E_DATA_MISSING');
}
