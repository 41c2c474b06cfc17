import { VaekitError } from '../errors.js';
import type { IdxArray } from './idx.js';
import { U8_TO_UNIT } from './npyRows.js';
import { arrayDataset, type RowDataset } from './rowDataset.js';

/** Class indices, one per example, in the narrowest type that holds the largest ({@link labelArray}). */
export type LabelArray = Uint8Array | Uint16Array | Int32Array;

/**
 * `labels` in the narrowest of Uint8Array (all ≤ 255), Uint16Array (≤ 65535) or Int32Array, so the byte
 * labels of the image datasets stay bytes and a .npy with 300 classes keeps its labels whole.
 *
 * @throws VaekitError naming the example when a label is not an integer in [0, 2^31)
 * @example
 * labelArray([0, 299, 3], 'y.npy'); // Uint16Array [0, 299, 3]
 */
export function labelArray(labels: ArrayLike<number>, name: string): LabelArray {
  let max = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!Number.isInteger(l) || l < 0 || l > 0x7fffffff) throw new VaekitError(`${name}: example ${i} has label ${l}, not an integer in [0, 2^31)`, 'E_DATA');
    max = Math.max(max, l);
  }
  const Ctor = max <= 0xff ? Uint8Array : max <= 0xffff ? Uint16Array : Int32Array;
  return Ctor.from(labels);
}

/**
 * A labelled set of grayscale images, flattened for dense layers. Labels are bytes for the built-in datasets
 * (the default `L`); the commands' in-memory form of any data is `ImageDataset<LabelArray>`. Treat it as read-only: loaders cache
 * and share datasets, and subset/filterByLabels copy rather than alias.
 *
 * @example
 * const ds: ImageDataset = { name: 'tiny', images: new Float32Array(2 * 4), labels: new Uint8Array([0, 1]), n: 2, rows: 2, cols: 2 };
 * const pixel = ds.images[1 * ds.rows * ds.cols + 3]; // image 1, row 1, col 1
 */
export interface ImageDataset<L extends LabelArray = Uint8Array> {
  /** e.g. 'fashion-mnist/train' */
  name: string;
  /** [n, rows*cols] row-major, values in [0, 1] */
  images: Float32Array;
  /** [n] class indices (bytes for the built-in datasets, wider when a label needs it) */
  labels: L;
  n: number;
  rows: number;
  cols: number;
}

/**
 * Builds a dataset from an IDX image array ([N, rows, cols] uint8, scaled by 1/255) and an IDX label
 * array ([N] uint8).
 *
 * @throws VaekitError if dtypes, ranks or the counts N differ from that
 * @example
 * const train = datasetFromIdx(parseIdx(imgBytes, imgPath), parseIdx(lblBytes, lblPath), 'fashion-mnist/train');
 */
export function datasetFromIdx(images: IdxArray, labels: IdxArray, name: string): ImageDataset {
  const fail = (what: string) => new VaekitError(`dataset ${name}: ${what}`, 'E_DATA');
  if (images.dtype !== 'uint8' || images.dims.length !== 3) {
    throw fail(`images must be a 3-D uint8 IDX array [N, rows, cols], got ${images.dtype} with dims [${images.dims.join(', ')}]`);
  }
  if (labels.dtype !== 'uint8' || labels.dims.length !== 1) {
    throw fail(`labels must be a 1-D uint8 IDX array [N], got ${labels.dtype} with dims [${labels.dims.join(', ')}]`);
  }
  const [n, rows, cols] = images.dims;
  if (labels.dims[0] !== n) {
    throw fail(`${n} images but ${labels.dims[0]} labels; pass the label file that belongs to this image file`);
  }
  if (n === 0 || rows === 0 || cols === 0) throw fail(`empty images (dims [${images.dims.join(', ')}])`);
  const src = images.data;
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = U8_TO_UNIT[src[i]];
  return { name, images: out, labels: new Uint8Array(labels.data), n, rows, cols };
}

/**
 * Copies the examples at `indices` (in that order; repeats allowed) into a new dataset.
 *
 * @throws VaekitError if an index is not an integer in [0, ds.n)
 * @example
 * const first64 = subset(test, Array.from({ length: 64 }, (_, i) => i));
 */
export function subset<L extends LabelArray>(ds: ImageDataset<L>, indices: ArrayLike<number>, name = ds.name): ImageDataset<L> {
  const d = ds.n > 0 ? ds.images.length / ds.n : ds.rows * ds.cols; // values per example (channels included)
  const images = new Float32Array(indices.length * d);
  const labels = new (ds.labels.constructor as new (n: number) => L)(indices.length); // the same width
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= ds.n) {
      throw new VaekitError(`subset of ${ds.name}: index ${i} at position ${k} is not an integer in [0, ${ds.n})`, 'E_DATA');
    }
    images.set(ds.images.subarray(i * d, (i + 1) * d), k * d);
    labels[k] = ds.labels[i];
  }
  return { name, images, labels, n: indices.length, rows: ds.rows, cols: ds.cols };
}

/**
 * Keeps (keep = true) or drops (keep = false) the examples whose label is in `labels`, preserving order.
 *
 * @example
 * const sandalsAndBoots = filterByLabels(train, [5, 9], true, 'fashion-mnist/train[5,9]');
 */
export function filterByLabels<L extends LabelArray>(ds: ImageDataset<L>, labels: number[], keep: boolean, name = ds.name): ImageDataset<L> {
  const wanted = new Set(labels);
  const indices: number[] = [];
  for (let i = 0; i < ds.n; i++) if (wanted.has(ds.labels[i]) === keep) indices.push(i);
  return subset(ds, indices, name);
}

/**
 * The images as a {@link RowDataset} of grey [1, rows, cols] examples with their labels (no copy of pixels).
 *
 * @example
 * const rows = imageRows(await loadFashionMnist().then((d) => d.train));
 */
export function imageRows(ds: ImageDataset<LabelArray>): RowDataset {
  return arrayDataset(ds.name, ds.images, [1, ds.rows, ds.cols], { labels: Int32Array.from(ds.labels) });
}
