import { type ImageDataset, type LabelArray } from './dataset.js';
import { VaekitError } from '../errors.js';

/**
 * Writes an IDX array (magic 00 00 <dtype> <rank>, big-endian uint32 dims, then the values, big-endian):
 * uint8 (code 08) or int32 (code 0c), the format {@link parseIdx} reads; used to hand a test split to the
 * explorer page.
 *
 * @example
 * const bytes = encodeIdx([n, 28, 28], pixels);
 */
export function encodeIdx(dims: readonly number[], data: Uint8Array | Int32Array): Uint8Array {
  let size = 1;
  for (const d of dims) size *= d;
  if (dims.length === 0 || dims.length > 255 || size !== data.length) throw new VaekitError(`encodeIdx: ${data.length} values do not fill dims [${dims.join(', ')}]`, 'E_SHAPE');
  const head = 4 + 4 * dims.length;
  const out = new Uint8Array(head + data.length * data.BYTES_PER_ELEMENT);
  const view = new DataView(out.buffer);
  view.setUint32(0, (data instanceof Uint8Array ? 0x800 : 0xc00) + dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  if (data instanceof Uint8Array) out.set(data, head);
  else for (let i = 0; i < data.length; i++) view.setInt32(head + 4 * i, data[i]);
  return out;
}

/**
 * A split's first `n` examples as the two IDX files the explorer page reads ({@link imageSetFromIdx}):
 * images uint8 0…255, [n, rows, cols] for grey or [n, C, rows, cols] for colour, and labels [n], uint8 when
 * the labels are bytes, else int32 (a 300-class model keeps its labels).
 *
 * @example
 * const { images, labels } = datasetToIdx(test, 2000);
 */
export function datasetToIdx(ds: ImageDataset<LabelArray>, n = ds.n): { images: Uint8Array; labels: Uint8Array } {
  const m = Math.min(n, ds.n);
  const px = ds.rows * ds.cols;
  const channels = ds.n > 0 ? ds.images.length / ds.n / px : 1;
  if (!Number.isInteger(channels) || channels < 1) throw new VaekitError(`datasetToIdx: ${ds.name} has ${ds.images.length} values for ${ds.n} examples of ${ds.rows}×${ds.cols}`, 'E_SHAPE');
  const bytes = Uint8Array.from(ds.images.subarray(0, m * channels * px), (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
  const labels = ds.labels.subarray(0, m);
  return {
    images: encodeIdx(channels === 1 ? [m, ds.rows, ds.cols] : [m, channels, ds.rows, ds.cols], bytes),
    labels: encodeIdx([m], labels instanceof Uint8Array ? labels : Int32Array.from(labels)),
  };
}
