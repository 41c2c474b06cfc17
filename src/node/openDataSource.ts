import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { VaekitError } from '../errors.js';
import { npzBytesSource, pixelRecord, type NpzKeys, type TablePreprocessing } from '../data/bytesSource.js';
import { type PixelPreprocessing } from '../data/preprocessing.js';
import { type ImageDataset } from '../data/dataset.js';
import { arrayDataset, type RowDataset } from '../data/rowDataset.js';
import { splitDataset } from '../data/splitDataset.js';
import { loadIdxDataset } from './fashionMnist.js';
import { type ImageCacheReport } from './imageCache.js';
import { openImageFolder } from './imageFolder.js';
import { openNpyDataset, readNpyFileHeader, readNpyLabels } from './npyFileDataset.js';
import { type CsvDatasetOptions } from '../data/csvDataset.js';
import { type TableSchema } from '../data/tableSchema.js';
import { openCsvDataset } from './csvFiles.js';

export { type TablePreprocessing } from '../data/bytesSource.js';

/**
 * The one entry point the CLI calls for `--data PATH`: a folder of images, a folder of MNIST-style IDX files,
 * an `.npy` (read from disk), an `.npz` (loaded into memory), or a type another module registers in
 * {@link DATA_SOURCE_OPENERS} (CSV).
 */

/** Options of {@link openDataSource}; each maps to a CLI flag. */
export interface DataSourceOptions {
  /** `--channels-last`: a 4-d array is [N, H, W, C]. */
  channelsLast?: boolean;
  /** `--labels FILE.npy`: integer labels of an `.npy` source. */
  labels?: string;
  /** `.npz` array names; defaults try x_train/x/X/images/data, y_train/y/labels, x_test, y_test. */
  npzKeys?: NpzKeys;
  /** `--image-size`, `--channels`, `--on-bad` for image folders. */
  imageSize?: [number, number];
  channels?: 1 | 3;
  onBad?: 'skip' | 'fail';
  /**
   * `--cache-dir`: where decoded image folders are cached (a subfolder per folder, see imageCacheDir);
   * default: beside the data. A run-time choice, not part of the data's identity: never saved with a model.
   */
  cacheDir?: string;
  /** `--test-fraction`: hold out this seeded fraction when the source has no test split (default: none). */
  testFraction?: number;
  /** Seed of the held-out split (default 0). */
  seed?: number;
  /** CSV tables: delimiter, column-kind overrides, label column, missing-value tokens. */
  table?: Omit<CsvDatasetOptions, 'onBad' | 'schema'>;
  /** CSV tables: the schema a model was trained with (encode, score, impute apply it instead of fitting one). */
  schema?: TableSchema;
  /** Told how many rows or files --on-bad skip left out, and the first few. */
  onSkipped?: (count: number, first: string[]) => void;
  /** Image decoding progress (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** An opened source: the datasets, how stored values became model inputs, and what the image cache did. */
export interface DataSource {
  train: RowDataset;
  test?: RowDataset;
  preprocessing: PixelPreprocessing | TablePreprocessing;
  images?: ImageCacheReport;
}

/** Opens one kind of file; CSV registers `'.csv'` here. */
export type DataSourceOpener = (file: string, opts: DataSourceOptions) => Promise<Omit<DataSource, 'test'> & { test?: RowDataset }>;

/**
 * Openers by file extension.
 *
 * @example
 * const open = DATA_SOURCE_OPENERS['.npy'];
 */
export const DATA_SOURCE_OPENERS: Readonly<Record<string, DataSourceOpener>> = {
  '.npy': openNpySource,
  '.npz': openNpzSource,
  '.csv': openCsvSource,
};

/**
 * Opens `--data PATH`, holding out `opts.testFraction` when the source has no test split.
 *
 * @example
 * const { train, test, preprocessing } = await openDataSource('faces.npy', { channelsLast: true, testFraction: 0.1, seed: 1 });
 */
export async function openDataSource(file: string, opts: DataSourceOptions = {}): Promise<DataSource> {
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st) throw new VaekitError(`--data ${file}: no such file or folder`, 'E_DATA');
  let src: DataSource;
  if (st.isDirectory()) {
    src = isIdxFolder(file) ? await openIdxSource(file) : await openImageSource(file, opts);
  } else {
    const ext = path.extname(file).toLowerCase();
    const open = DATA_SOURCE_OPENERS[ext];
    if (!open) throw new VaekitError(`--data ${file}: unknown type '${ext}'; give a folder of images, or a file ending in ${Object.keys(DATA_SOURCE_OPENERS).join(', ')}`, 'E_DATA');
    src = await open(file, opts);
  }
  if (src.test || opts.testFraction === undefined || opts.testFraction === 0) return src;
  return { ...src, ...splitDataset(src.train, opts.testFraction, opts.seed ?? 0) };
}

/** A folder holding MNIST-style IDX files (the built-in datasets' format) rather than images. */
function isIdxFolder(dir: string): boolean {
  return ['train-images-idx3-ubyte', 'train-images-idx3-ubyte.gz'].some((f) => existsSync(path.join(dir, f)));
}

async function openIdxSource(dir: string): Promise<DataSource> {
  const { train, test } = await loadIdxDataset(dir, path.basename(path.resolve(dir)));
  const rows = (ds: ImageDataset) => arrayDataset(ds.name, ds.images, [1, ds.rows, ds.cols], { labels: Int32Array.from(ds.labels) });
  const preprocessing: PixelPreprocessing = { kind: 'pixels', source: 'idx', scale: 1 / 255, dtype: 'uint8', channelsLast: false, shape: [1, train.rows, train.cols] };
  return { train: rows(train), test: rows(test), preprocessing };
}

async function openImageSource(dir: string, opts: DataSourceOptions): Promise<DataSource> {
  const { dataset, imageSize, channels, report } = await openImageFolder(dir, opts);
  const preprocessing: PixelPreprocessing = {
    kind: 'pixels',
    source: 'images',
    scale: 1 / 255,
    dtype: 'uint8',
    channelsLast: false,
    shape: [...dataset.shape],
    image: { size: imageSize, channels, fit: 'cover' },
  };
  return { train: dataset, preprocessing, images: report };
}

async function openNpySource(file: string, opts: DataSourceOptions): Promise<DataSource> {
  const labels = opts.labels === undefined ? undefined : readNpyLabels(opts.labels);
  const train = openNpyDataset(file, { channelsLast: opts.channelsLast, labels });
  return { train, preprocessing: pixelRecord('npy', readNpyFileHeader(file).dtype, train, opts.channelsLast) };
}

async function openNpzSource(file: string, opts: DataSourceOptions): Promise<DataSource> {
  return npzBytesSource(readFileSync(file), file, path.basename(file), opts);
}

async function openCsvSource(file: string, opts: DataSourceOptions): Promise<DataSource> {
  const r = openCsvDataset(file, { ...opts.table, onBad: opts.onBad, schema: opts.schema });
  if (r.skipped.count > 0) opts.onSkipped?.(r.skipped.count, r.skipped.first.map((b) => `line ${b.line}: ${b.reason}`));
  return { train: r.dataset, preprocessing: { kind: 'table', schema: r.schema, skipped: r.skipped.count } };
}
