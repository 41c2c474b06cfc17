import { subset, type ImageDataset } from '../data/dataset.js';
import { Prng } from '../random/prng.js';

/**
 * Holds out ⌊fraction·n⌋ training examples for validation, chosen by a seeded permutation (a stream of its
 * own, so the split does not depend on other randomness).
 *
 * @example
 * const { train, val } = splitTrainVal(ds, 0.1, 1);
 */
export function splitTrainVal(ds: ImageDataset, fraction: number, seed: number): { train: ImageDataset; val: ImageDataset | null } {
  const nVal = Math.floor(ds.n * fraction);
  if (nVal === 0) return { train: ds, val: null };
  const perm = new Prng(seed ^ 0x5a17).permutation(ds.n);
  return { train: subset(ds, perm.subarray(nVal), `${ds.name}:train`), val: subset(ds, perm.subarray(0, nVal), `${ds.name}:val`) };
}
