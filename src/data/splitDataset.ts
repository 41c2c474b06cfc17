import { VaekitError } from '../errors.js';
import { Prng } from '../random/prng.js';
import { datasetView } from './datasetView.js';
import { type RowDataset } from './rowDataset.js';

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
  return { train: datasetView(ds, rows(0), `${ds.name}/train`), test: datasetView(ds, rows(1), `${ds.name}/test`) };
}
