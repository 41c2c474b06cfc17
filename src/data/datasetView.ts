import { VaekitError } from '../errors.js';
import { type RowDataset, checkIndices, rowSize } from './rowDataset.js';

/**
 * The rows `indices` of `ds` as a dataset of their own, without copying data: reads map through the
 * indices (validation splits, class filters and `--limit` over any source, in memory or on disk, which
 * stays on disk). `close` closes `ds`.
 *
 * @example
 * const val = datasetView(train, perm.subarray(0, 6000), 'fashion-mnist/train:val');
 */
export function datasetView(ds: RowDataset, indices: ArrayLike<number>, name = ds.name): RowDataset {
  checkIndices(ds.name, ds.n, indices);
  const map = Int32Array.from(indices);
  const labels = ds.labels && Int32Array.from(map, (i) => ds.labels![i]);
  return {
    name,
    n: map.length,
    shape: ds.shape,
    labels,
    classNames: ds.classNames,
    hasMask: ds.hasMask,
    read(idx, x, mask) {
      checkIndices(name, map.length, idx);
      ds.read(Array.from(idx, (i) => map[i]), x, mask);
    },
    prefetch: ds.prefetch && ((idx) => ds.prefetch!(Array.from(idx, (i) => map[i]))),
    close: () => ds.close?.(),
  };
}

/**
 * Every row of `ds` in memory (x, and the mask when the dataset has one), refusing when that would take more
 * than `maxBytes` (default 2 GiB) so a huge on-disk source fails with the number instead of exhausting memory.
 *
 * @example
 * const { x } = readAll(test);
 */
export function readAll(ds: RowDataset, maxBytes = 2 ** 31): { x: Float32Array; mask?: Float32Array } {
  const per = rowSize(ds);
  const bytes = ds.n * per * 4 * (ds.hasMask ? 2 : 1);
  if (bytes > maxBytes) {
    throw new VaekitError(`${ds.name}: reading all ${ds.n} rows needs ${(bytes / 2 ** 20).toFixed(0)} MiB, over the ${(maxBytes / 2 ** 20).toFixed(0)} MiB limit; use --limit`, 'E_LIMIT');
  }
  const x = new Float32Array(ds.n * per);
  const mask = ds.hasMask ? new Float32Array(ds.n * per) : undefined;
  const all = Array.from({ length: ds.n }, (_, i) => i);
  ds.read(all, x, mask);
  return { x, mask };
}
