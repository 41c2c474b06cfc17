import { datasetView } from '../data/datasetView.js';
import { type RowDataset } from '../data/rowDataset.js';
import { Prng } from '../random/prng.js';

/**
 * Holds out ⌊fraction·n⌋ training examples for validation, chosen by a seeded permutation (a stream of its
 * own, so the split does not depend on other randomness). Both parts are views: nothing is copied.
 *
 * @example
 * const { train, val } = splitTrainVal(ds, 0.1, 1);
 */
export function splitTrainVal(ds: RowDataset, fraction: number, seed: number): { train: RowDataset; val: RowDataset | null } {
  const nVal = Math.floor(ds.n * fraction);
  if (nVal === 0) return { train: ds, val: null };
  const perm = new Prng(seed ^ 0x5a17).permutation(ds.n);
  return { train: datasetView(ds, perm.subarray(nVal), `${ds.name}:train`), val: datasetView(ds, perm.subarray(0, nVal), `${ds.name}:val`) };
}
