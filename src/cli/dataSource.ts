/**
 * The data of a CLI command, from one spec that config.json and checkpoints record: a registered dataset
 * (embedded MNIST digits, Fashion-MNIST IDX files) or the user's own file or folder (`--data PATH`: images,
 * `.npy`, `.npz`, CSV), as random-access datasets. Model commands read the split they need into memory
 * with {@link examplesFor}, first N rows only with --limit.
 */
import { imageRows, labelArray, type ImageDataset, type LabelArray } from '../data/dataset.js';
import { datasetView, readAll } from '../data/datasetView.js';
import { type RowDataset } from '../data/rowDataset.js';
import { VaekitError } from '../errors.js';
import { openDataSource, type DataSourceOptions } from '../node/openDataSource.js';
import { classNamesOf, loadSplits, type DatasetSpec } from './datasets.js';
import { warn } from './output.js';
import { planeShape } from '../models/vaeConfig.js';

/** Both splits of a command's data (test may be absent for a user's file without a held-out fraction). */
export interface LoadedData {
  train: RowDataset;
  test?: RowDataset;
  classNames?: readonly string[];
  /** How stored values became model inputs (user files): saved in config.json. */
  preprocessing?: unknown;
  /** A file given to a model command with --data: all of it is the data, whatever --split says. */
  whole?: boolean;
}

/**
 * Opens the data a spec names; `spec.classes` keeps only those labels. Derived caches (decoded image
 * folders, the embedded digits) go to `run.cacheDir` (--cache-dir), else $VAEKIT_CACHE_DIR, else their
 * defaults; where they go is never part of the spec, so a model keeps naming its source, not a cache.
 *
 * @example
 * const { train, test } = await loadData({ name: 'photos', path: 'photos/', source: { imageSize: [64, 64], channels: 3 } });
 */
export async function loadData(spec: DatasetSpec, run: { cacheDir?: string } = {}): Promise<LoadedData> {
  const cacheDir = run.cacheDir ?? (process.env.VAEKIT_CACHE_DIR || undefined);
  let out: LoadedData;
  if (spec.path !== undefined) {
    const opts = (spec.source ?? {}) as DataSourceOptions;
    const onSkipped = (count: number, first: string[]) => warn(`vaekit: --on-bad skip left out ${count} bad row(s) or file(s) of ${spec.path}: ${first.join('; ')}${count > first.length ? '; …' : ''}`);
    const src = await openDataSource(spec.path, { ...opts, cacheDir, onSkipped });
    out = { train: src.train, test: src.test, classNames: src.train.classNames, preprocessing: src.preprocessing, whole: opts.testFraction === 0 };
  } else {
    const { train, test } = await loadSplits({ name: spec.name, dir: spec.dir }, cacheDir);
    out = { train: imageRows(train), test: imageRows(test), classNames: classNamesOf(spec.name) };
  }
  if (!spec.classes) return out;
  const keep = (ds: RowDataset | undefined) => {
    if (!ds) return undefined;
    if (!ds.labels) throw new VaekitError(`--classes: ${ds.name} has no labels`, 'E_ARG');
    const wanted = new Set(spec.classes);
    const idx = [...ds.labels.keys()].filter((i) => wanted.has(ds.labels![i]));
    if (idx.length === 0) throw new VaekitError(`${ds.name} has no examples with labels ${spec.classes!.join(',')}`, 'E_DATA');
    return datasetView(ds, idx, `${ds.name}[${spec.classes!.join(',')}]`);
  };
  return { ...out, train: keep(out.train)!, test: keep(out.test) };
}

/** Number of classes of labelled data: the class names, else the largest label + 1 (0 without labels). */
export function classCount(d: LoadedData): number {
  if (d.classNames) return d.classNames.length;
  let max = -1;
  for (const l of d.train.labels ?? []) max = Math.max(max, l);
  return max + 1;
}

/**
 * The first `limit` (default all) examples of a split in memory, in the in-memory form the commands draw
 * and score: values [n, D], labels, rows × cols of one channel plane and the per-example shape.
 *
 * @example
 * const ds = examplesFor(data, 'test', 100);
 */
export function examplesFor(d: LoadedData, split: 'train' | 'test', limit?: number): ImageDataset<LabelArray> & { shape: readonly number[]; mask?: Float32Array } {
  const src = split === 'test' && !d.whole ? d.test : d.train;
  if (!src) throw new VaekitError(`${d.train.name} has no test split; use --split train, or train with --test-fraction`, 'E_ARG');
  const ds = limit === undefined || limit >= src.n ? src : datasetView(src, Array.from({ length: limit }, (_, i) => i));
  const { x, mask } = readAll(ds);
  const [h, w] = planeShape(ds.shape);
  const labels = ds.labels ? labelArray(ds.labels, ds.name) : new Uint8Array(ds.n); // unlabelled: class 0 each
  return { name: ds.name, images: x, labels, n: ds.n, rows: h, cols: w, shape: ds.shape, mask };
}
