import { VaekitError } from '../errors.js';
import { csvDataset, type CsvDatasetOptions } from './csvDataset.js';
import { decodeNpy, npyLabels, parseNpyHeader, type NpyDtype } from './npy.js';
import { npyArrayDataset } from './npyRows.js';
import { decodeNpz, npzNames } from './npz.js';
import { type PixelPreprocessing } from './preprocessing.js';
import { type RowDataset } from './rowDataset.js';
import { type TableSchema } from './tableSchema.js';

/**
 * Data sources over bytes already in memory: an `.npz`, a small `.npy`, a CSV text. The CLI (src/node reads
 * the file) and the web page (a dropped File) open them through these same functions, so both build the
 * same datasets and record the same preprocessing in config.json.
 */

/** A CSV source's preprocessing: the fitted (or given) table schema, with per-column transforms. */
export interface TablePreprocessing {
  kind: 'table';
  schema: TableSchema;
  /** Rows left out under --on-bad skip. */
  skipped?: number;
}

/** An opened in-memory source: its datasets (test when the file has a split) and its preprocessing record. */
export interface BytesSource {
  train: RowDataset;
  test?: RowDataset;
  preprocessing: PixelPreprocessing | TablePreprocessing;
  /** Rows left out under onBad 'skip': how many and the first few ("line 7: …"). */
  skipped?: { count: number; first: string[] };
}

/**
 * The preprocessing record of an `.npy`/`.npz` source: uint8 scaled by 1/255, floats kept.
 *
 * @example
 * pixelRecord('npy', 'uint8', ds); // { kind: 'pixels', source: 'npy', scale: 1/255, dtype: 'uint8', channelsLast: false, shape: [1, 28, 28] }
 */
export function pixelRecord(source: 'npy' | 'npz', dtype: NpyDtype, ds: Pick<RowDataset, 'shape'>, channelsLast?: boolean): PixelPreprocessing {
  const d = dtype as PixelPreprocessing['dtype'];
  return { kind: 'pixels', source, scale: d === 'uint8' ? 1 / 255 : 1, dtype: d, channelsLast: channelsLast === true, shape: [...ds.shape] };
}

/**
 * A whole `.npy` in memory as a dataset ([N, D], [N, H, W], [N, C, H, W]; uint8, float32, float64).
 *
 * @example
 * const { train, preprocessing } = npyBytesSource(bytes, 'x.npy', 'x.npy');
 */
export function npyBytesSource(bytes: Uint8Array, source: string, name: string, opts: { channelsLast?: boolean; labels?: Int32Array } = {}): BytesSource {
  const a = decodeNpy(bytes, source);
  const train = npyArrayDataset(name, a, { channelsLast: opts.channelsLast, labels: opts.labels });
  return { train, preprocessing: pixelRecord('npy', a.dtype, train, opts.channelsLast) };
}

/** Elements an `.npy` holds by its header (for a memory check before the body is decoded). */
export function npyElements(bytes: Uint8Array, source: string): number {
  return parseNpyHeader(bytes, source).shape.reduce((a, b) => a * b, 1);
}

/** Array names of an `.npz` source; defaults try x_train/x/X/images/data, y_train/y/labels, x_test, y_test. */
export interface NpzKeys {
  x?: string;
  y?: string;
  xTest?: string;
  yTest?: string;
}

/**
 * An `.npz` in memory: x (and labels y) for training, x_test (and y_test) as the test split when present.
 *
 * @example
 * const { train, test } = npzBytesSource(bytes, 'mnist.npz', 'mnist.npz');
 */
export function npzBytesSource(bytes: Uint8Array, source: string, name: string, opts: { channelsLast?: boolean; npzKeys?: NpzKeys } = {}): BytesSource {
  const names = npzNames(bytes, source);
  const k = opts.npzKeys ?? {};
  const pick = (given: string | undefined, defaults: string[]) => (given !== undefined ? given : defaults.find((d) => names.includes(d)));
  const x = pick(k.x, ['x_train', 'x', 'X', 'images', 'data']);
  if (x === undefined) throw new VaekitError(`.npz file ${source}: no data array; it holds ${names.join(', ') || 'no arrays'}; name one x (or x_train)`, 'E_DATA');
  const y = pick(k.y, ['y_train', 'y', 'labels']);
  const xTest = pick(k.xTest, ['x_test']);
  const yTest = pick(k.yTest, ['y_test']);
  const wanted = [x, y, xTest, yTest].filter((s): s is string => s !== undefined);
  const a = decodeNpz(bytes, source, wanted);
  const open = (xs: string, ys: string | undefined, part: string): RowDataset =>
    npyArrayDataset(`${name}:${part}`, a[xs], { channelsLast: opts.channelsLast, labels: ys ? npyLabels(a[ys], `${source}:${ys}`) : undefined });
  const train = open(x, y, xTest ? 'train' : x);
  const test = xTest ? open(xTest, yTest, 'test') : undefined;
  if (test && String(test.shape) !== String(train.shape)) {
    throw new VaekitError(`.npz file ${source}: ${xTest} examples have shape [${test.shape}], ${x} examples [${train.shape}]`, 'E_DATA');
  }
  return { train, test, preprocessing: pixelRecord('npz', a[x].dtype, train, opts.channelsLast) };
}

/**
 * A CSV text as a table dataset: the schema fitted (or `opts.schema` applied) as `vaekit train --data x.csv` does.
 *
 * @example
 * const { train, preprocessing } = csvTextSource(text, 'penguins.csv', { label: 'Species' });
 */
export function csvTextSource(text: string, source: string, opts: CsvDatasetOptions = {}): BytesSource {
  const r = csvDataset(text, source, opts);
  const skipped = { count: r.skipped.count, first: r.skipped.first.map((b) => `line ${b.line}: ${b.reason}`) };
  return { train: r.dataset, preprocessing: { kind: 'table', schema: r.schema, skipped: r.skipped.count }, skipped };
}
