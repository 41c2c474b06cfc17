// Where tests find Fashion-MNIST, and the skip for machines without it. The files come from Debian's package
// dataset-fashion-mnist (.ci/run installs it, so CI runs these tests); FASHION_MNIST_DIR points elsewhere.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type TestContext } from 'node:test';
import { DEFAULT_FASHION_MNIST_DIR } from '../../src/node/fashionMnist.js';

/** The directory tests read Fashion-MNIST from: $FASHION_MNIST_DIR, else Debian's location. */
export const FASHION_MNIST_DIR = process.env.FASHION_MNIST_DIR ?? DEFAULT_FASHION_MNIST_DIR;

/**
 * Skips the test, saying what to install, unless the four gzip files are present; returns whether it skipped.
 *
 * @example
 * test('reads Fashion-MNIST', (t) => { if (skipWithoutFashionMnist(t)) return; ... });
 */
export function skipWithoutFashionMnist(t: TestContext): boolean {
  const files = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
  const missing = files.filter((f) => !existsSync(path.join(FASHION_MNIST_DIR, f)));
  if (missing.length === 0) return false;
  t.skip(`Fashion-MNIST is not in ${FASHION_MNIST_DIR} (missing ${missing.join(', ')}): apt-get install dataset-fashion-mnist, or set FASHION_MNIST_DIR`);
  return true;
}
