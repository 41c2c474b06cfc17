import { VaekitError } from '../errors.js';
import { sizeOf } from '../graph/dtype.js';

/**
 * A random-access dataset: `n` examples of one per-example shape, read by index into a caller's buffer.
 * Random access (rather than an iterator) is what keeps exact resume: the trainer saves a shuffled
 * permutation and a position, and any source — arrays in memory, an `.npy` on disk, an image cache, a CSV
 * table — serves the same rows again. `read` is synchronous so the training loop stays simple; disk
 * sources use positioned reads of a file they keep open.
 *
 * @example
 * const x = new Float32Array(3 * sizeOf(ds.shape));
 * ds.read([5, 0, 9], x); // rows 5, 0 and 9, back to back
 */
export interface RowDataset {
  /** e.g. 'fashion-mnist/train', 'photos/', 'penguins.csv' */
  readonly name: string;
  readonly n: number;
  /** Per-example shape of x: [C, H, W] for images, [D] for tables and flat vectors. */
  readonly shape: readonly number[];
  /** [n] class index per example, when the data has labels (small: kept in memory by every source). */
  readonly labels?: Int32Array;
  /** Label names by index (class folder names, CSV label levels), when known. */
  readonly classNames?: readonly string[];
  /** True when some values are missing: `read` then fills `mask` (1 observed, 0 missing; x is 0 there). */
  readonly hasMask?: boolean;
  /**
   * Copies examples `indices` (in that order, repeats allowed) into `x` [indices.length, ...shape] and, when
   * given and the dataset has a mask, `mask` (same layout). Throws VaekitError for an index out of range.
   */
  read(indices: ArrayLike<number>, x: Float32Array, mask?: Float32Array): void;
  /**
   * A hint that the next `read` asks for exactly `indices`: a disk source may start reading them in the
   * background (the trainer calls it before each ONNX Runtime call). What `read` returns is the same either way.
   */
  prefetch?(indices: ArrayLike<number>): void;
  /** Releases files or caches the source holds (no-op for in-memory data). */
  close?(): void;
}

/** Values per example: the product of `ds.shape`. */
export const rowSize = (ds: Pick<RowDataset, 'shape'>): number => sizeOf(ds.shape);

/** Throws unless every index is an integer in [0, n). */
export function checkIndices(name: string, n: number, indices: ArrayLike<number>): void {
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new VaekitError(`${name}: index ${i} at position ${k} is not an integer in [0, ${n})`, 'E_DATA');
  }
}

/**
 * An in-memory {@link RowDataset} over `x` [n, ...shape] (and an optional mask of the same layout).
 *
 * @example
 * const ds = arrayDataset('tiny', new Float32Array(2 * 4), [1, 2, 2], { labels: Int32Array.of(0, 1) });
 */
export function arrayDataset(
  name: string,
  x: Float32Array,
  shape: readonly number[],
  opts: { labels?: Int32Array; classNames?: readonly string[]; mask?: Float32Array } = {},
): RowDataset {
  const d = rowSize({ shape });
  if (d === 0 || x.length % d !== 0) throw new VaekitError(`${name}: ${x.length} values do not form rows of shape [${shape}]`, 'E_DATA');
  const n = x.length / d;
  if (opts.labels && opts.labels.length !== n) throw new VaekitError(`${name}: ${n} rows but ${opts.labels.length} labels`, 'E_DATA');
  if (opts.mask && opts.mask.length !== x.length) throw new VaekitError(`${name}: mask has ${opts.mask.length} values, x has ${x.length}`, 'E_DATA');
  const { mask } = opts;
  return {
    name,
    n,
    shape: [...shape],
    labels: opts.labels,
    classNames: opts.classNames,
    hasMask: mask !== undefined,
    read(indices, out, outMask) {
      checkIndices(name, n, indices);
      for (let k = 0; k < indices.length; k++) {
        const i = indices[k];
        out.set(x.subarray(i * d, (i + 1) * d), k * d);
        if (mask && outMask) outMask.set(mask.subarray(i * d, (i + 1) * d), k * d);
      }
    },
  };
}
