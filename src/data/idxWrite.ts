import { VaekitError } from '../errors.js';

/**
 * Writes a uint8 IDX array (magic 00 00 08 <rank>, big-endian uint32 dims, then the bytes): the format
 * {@link parseIdx} reads, used to hand a test split to the explorer page.
 *
 * @example
 * const bytes = encodeIdxUint8([n, 28, 28], pixels);
 */
export function encodeIdxUint8(dims: readonly number[], data: Uint8Array): Uint8Array {
  let size = 1;
  for (const d of dims) size *= d;
  if (dims.length === 0 || dims.length > 255 || size !== data.length) throw new VaekitError(`encodeIdxUint8: ${data.length} bytes do not fill dims [${dims.join(', ')}]`, 'E_SHAPE');
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x800 + dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/**
 * A split's first `n` examples as the two IDX files the explorer page reads: images [n, rows, cols] (grey
 * 0…255) and labels [n].
 *
 * @example
 * const { images, labels } = datasetToIdx(test, 2000);
 */
export function datasetToIdx(ds: { images: Float32Array; labels: Uint8Array; n: number; rows: number; cols: number }, n = ds.n): { images: Uint8Array; labels: Uint8Array } {
  const m = Math.min(n, ds.n);
  const px = ds.rows * ds.cols;
  const grey = Uint8Array.from(ds.images.subarray(0, m * px), (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
  return { images: encodeIdxUint8([m, ds.rows, ds.cols], grey), labels: encodeIdxUint8([m], ds.labels.subarray(0, m)) };
}
