import { VaekitError } from '../errors.js';
import { labelArray, type ImageDataset, type LabelArray } from './dataset.js';
import { type IdxArray } from './idx.js';
import { U8_TO_UNIT } from './npyRows.js';

/** A test split for the explorer: images of any channel count, labels of any width. */
export type ImageSet = ImageDataset<LabelArray> & { channels: number };

/**
 * Reads the explorer's test split back from the two IDX arrays `datasetToIdx` writes: uint8 images
 * [N, rows, cols] (grey) or [N, C, rows, cols] (C channels), scaled by 1/255, and labels [N] as uint8 or int32.
 *
 * @throws VaekitError naming `name` when the dtypes, ranks or counts are not that
 * @example
 * const test = imageSetFromIdx(parseIdx(imageBytes, 'test-images.idx'), parseIdx(labelBytes, 'test-labels.idx'), 'test set');
 */
export function imageSetFromIdx(images: IdxArray, labels: IdxArray, name: string): ImageSet {
  const fail = (what: string) => new VaekitError(`${name}: ${what}`, 'E_DATA');
  const rank = images.dims.length;
  if (images.dtype !== 'uint8' || (rank !== 3 && rank !== 4)) {
    throw fail(`images must be a uint8 IDX array [N, rows, cols] or [N, C, rows, cols], got ${images.dtype} with dims [${images.dims.join(', ')}]`);
  }
  if ((labels.dtype !== 'uint8' && labels.dtype !== 'int32') || labels.dims.length !== 1) {
    throw fail(`labels must be a uint8 or int32 IDX array [N], got ${labels.dtype} with dims [${labels.dims.join(', ')}]`);
  }
  const [n, channels, rows, cols] = rank === 3 ? [images.dims[0], 1, images.dims[1], images.dims[2]] : images.dims;
  if (labels.dims[0] !== n) throw fail(`${n} images but ${labels.dims[0]} labels`);
  if (n * channels * rows * cols === 0) throw fail(`empty images (dims [${images.dims.join(', ')}])`);
  const src = images.data;
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = U8_TO_UNIT[src[i]];
  return { name, images: out, labels: labelArray(labels.data, `${name} labels`), n, rows, cols, channels };
}
