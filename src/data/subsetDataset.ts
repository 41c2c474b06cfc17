import { VaekitError } from '../errors.js';
import { Prng } from '../random/prng.js';
import { checkIndices, type RowDataset } from './rowDataset.js';

/**
 * A view of `ds` holding only rows `indices` (in that order): row k of the view is row indices[k] of `ds`.
 * Reads go through to `ds`, so a disk-backed source stays on disk. `close` closes `ds`.
 *
 * @example
 * const firstTen = subsetDataset(ds, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'photos/first10');
 */
export function subsetDataset(ds: RowDataset, indices: ArrayLike<number>, name = ds.name): RowDataset {
  checkIndices(ds.name, ds.n, indices);
  const map = Int32Array.from(indices);
  const labels = ds.labels ? Int32Array.from(map, (i) => ds.labels![i]) : undefined;
  return {
    name,
    n: map.length,
    shape: ds.shape,
    labels,
    classNames: ds.classNames,
    hasMask: ds.hasMask,
    read(rows, x, mask) {
      checkIndices(name, map.length, rows);
      ds.read(Array.from(rows, (r) => map[r]), x, mask);
    },
    close: () => ds.close?.(),
  };
}

/**
 * Holds out a seeded random `fraction` of `ds` as a test set (at least one row each side). Both parts keep
 * ascending row order, which keeps disk reads sequential; training shuffles anyway. Closing either part
 * closes `ds`.
 *
 * @example
 * const { train, test } = splitDataset(ds, 0.1, 42); // 10 % held out, the same rows for the same seed
 */
export function splitDataset(ds: RowDataset, fraction: number, seed: number): { train: RowDataset; test: RowDataset } {
  if (!(fraction > 0 && fraction < 1)) throw new VaekitError(`--test-fraction ${fraction}: expected a number between 0 and 1 (exclusive)`, 'E_ARG');
  const nTest = Math.round(ds.n * fraction);
  if (nTest < 1 || nTest > ds.n - 1) {
    throw new VaekitError(`${ds.name}: ${ds.n} examples cannot be split with --test-fraction ${fraction} (it leaves ${nTest} for test)`, 'E_DATA');
  }
  const perm = new Prng(seed).permutation(ds.n);
  const isTest = new Uint8Array(ds.n);
  for (let k = 0; k < nTest; k++) isTest[perm[k]] = 1;
  const rows = (want: number) => Array.from({ length: ds.n }, (_, i) => i).filter((i) => isTest[i] === want);
  return { train: subsetDataset(ds, rows(0), `${ds.name}/train`), test: subsetDataset(ds, rows(1), `${ds.name}/test`) };
}
