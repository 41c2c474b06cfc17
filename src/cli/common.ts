/**
 * What most commands do first: make the engine, load a model directory, load the data the model is judged
 * on, and check that the two fit.
 */
import { type ImageDataset, type LabelArray } from '../data/dataset.js';
import { VaekitError } from '../errors.js';
import { parseTableSchema, type TableSchema } from '../data/tableSchema.js';
import { type ModelFile } from '../io/modelFiles.js';
import { planeShape } from '../models/vaeConfig.js';
import { type Labels, VaeModel } from '../models/vaeModel.js';
import { nodeEngine } from '../node.js';
import { loadModelDir } from '../node/modelDir.js';
import { evalSeed, heldOutImages } from '../train/heldOut.js';
import { type Engine } from '../runtime/engine.js';
import { loadData, examplesFor } from './dataSource.js';
import { datasetFor, type DatasetSpec } from './datasets.js';
import { type DatasetFlags } from './options.js';

/**
 * An ONNX Runtime engine with `threads` threads (default: all cores).
 *
 * @example
 * const engine = makeEngine(opts.threads);
 */
export function makeEngine(threads?: number): Engine {
  return nodeEngine({ threads });
}

/** A loaded model directory. */
export interface LoadedModel {
  dir: string;
  meta: ModelFile;
  model: VaeModel;
  /** [rows, cols] of the images it reads and draws ([1, D] for table rows). */
  shape: [number, number];
  /** How to draw one example: channels, height, width. */
  grid: { c: 1 | 3; h: number; w: number };
}

/**
 * Loads config.json + weights.safetensors from `dir` into a ready VaeModel.
 *
 * @throws VaekitError naming the directory or file when it is missing or invalid
 * @example
 * const { model, meta } = loadModel('runs/x', makeEngine(2));
 */
export function loadModel(dir: string, engine: Engine): LoadedModel {
  const { meta, params } = loadModelDir(dir);
  const ds = meta.model.dataShape;
  const [h, w] = planeShape(ds);
  const c = ds.length === 3 && ds[0] === 3 ? 3 : 1;
  return { dir, meta, model: new VaeModel(engine, meta.model, params), shape: [h, w], grid: { c, h, w } };
}

/** A split loaded for a model, with the spec it came from. */
export interface ModelData {
  spec: DatasetSpec;
  split: 'train' | 'test';
  /** The examples as the model reads them (prepared as in training): values [n, D], labels, per-example shape. */
  ds: ImageDataset<LabelArray> & { shape: readonly number[]; mask?: Float32Array };
  /** The same examples' values as stored, [n, D], for drawing next to what the model made of them. */
  raw: Float32Array;
  classNames?: readonly string[];
}

/**
 * Loads the split the flags ask for (default: the model's own dataset), checks its image size, keeps the
 * first `flags.limit` examples, and prepares the images as training did ({@link asTrainedOn}): every
 * command that encodes data gets it from here, so eval, score, encode, reconstruct, interpolate and
 * plot latent all feed the encoder the same pixels (thresholded for a model trained with --binarize static).
 *
 * @example
 * const { ds } = await dataForModel(loaded, opts); // ds.images: what the model reads
 */
export async function dataForModel(m: LoadedModel, flags: DatasetFlags & { limit?: number }): Promise<ModelData> {
  const spec = datasetFor(m.meta, flags);
  const data = await loadData(spec, { cacheDir: flags.cacheDir });
  const first = examplesFor(data, flags.split, flags.limit);
  checkDataShape(m, first.shape, first.name);
  return { spec, split: flags.split, ds: { ...first, images: asTrainedOn(first.images, m.meta) }, raw: first.images, classNames: data.classNames };
}

/**
 * Fails unless examples of `shape` ([C, H, W] or [D]) fit the model.
 *
 * @example
 * checkDataShape(m, [1, 28, 28], 'digit.png');
 */
export function checkDataShape(m: LoadedModel, shape: readonly number[], what: string): void {
  const want = m.meta.model.dataShape;
  if (shape.join('x') !== want.join('x')) {
    throw new VaekitError(`${what} has examples of shape ${shape.join('x')} but the model in ${m.dir} reads ${want.join('x')}`, 'E_DATA');
  }
}

/**
 * Fails unless grey images of rows×cols fit the model.
 *
 * @example
 * checkImageSize(m, 28, 28, 'digit.png');
 */
export function checkImageSize(m: LoadedModel, rows: number, cols: number, what: string): void {
  checkDataShape(m, [1, rows, cols], what);
}

/**
 * Images prepared as the trainer prepares its held-out sets, so likelihoods are comparable with training's
 * test numbers: thresholded for static binarization, one fixed draw for dynamic (seeded as the trainer seeds
 * its test set: training seed + 3), unchanged otherwise. The one preprocessing rule of every command:
 * {@link dataForModel} applies it to dataset splits, `score` to IDX and PNG inputs.
 *
 * @example
 * const x = asTrainedOn(test.images, meta);
 */
export function asTrainedOn(images: Float32Array, meta: ModelFile): Float32Array {
  return meta.training ? heldOutImages(images, meta.training, 'test') : images;
}

/**
 * The trainer's evaluation noise stream (seed XOR 0x5eed): with it, `vaekit eval` on the test split repeats
 * the test −ELBO that training logged for the same weights.
 *
 * @example
 * const seed = opts.seed ?? evalSeedOf(meta);
 */
export function evalSeedOf(meta: ModelFile): number {
  return evalSeed(meta.training?.seed ?? 1);
}

/**
 * Checks an example index given by a flag.
 *
 * @throws VaekitError stating the valid range
 * @example
 * checkIndex('--from', opts.from, ds);
 */
export function checkIndex(flag: string, i: number, ds: Pick<ImageDataset, 'n' | 'name'>): void {
  if (i >= ds.n) throw new VaekitError(`${flag} ${i} is out of range: ${ds.name} has ${ds.n} examples (valid: 0..${ds.n - 1})`, 'E_ARG');
}

/**
 * The first min(n, ds.n) images of a dataset, [m, D] (a view, not a copy).
 *
 * @example
 * const { images, n } = firstImages(test, 32);
 */
export function firstImages<L extends LabelArray>(ds: ImageDataset<L>, n: number): { images: Float32Array; labels: L; n: number } {
  const m = Math.min(n, ds.n);
  const D = ds.n > 0 ? ds.images.length / ds.n : 0; // values per example, whatever the channels
  return { images: ds.images.subarray(0, m * D), labels: ds.labels.subarray(0, m) as L, n: m };
}

/**
 * The table schema a model was trained with (its config.json records it), or an error saying the model is
 * not a table model.
 *
 * @example
 * const schema = tableSchemaOf(m);
 */
export function tableSchemaOf(m: LoadedModel): TableSchema {
  const pre = (m.meta.dataset as { preprocessing?: { kind?: string; schema?: unknown } } | null)?.preprocessing;
  if (pre?.kind !== 'table') throw new VaekitError(`the model in ${m.dir} was not trained on a CSV table; .csv output is for table models`, 'E_ARG');
  return parseTableSchema(pre.schema, `${m.dir}/config.json: dataset.preprocessing.schema`);
}

/**
 * The `labels` option of a model's decode/sample calls from `--label`: the class for a conditional model
 * (required there), nothing for an unconditional one (where --label is refused).
 *
 * @throws VaekitError naming --label and the model's classes when the flag is missing, out of range or not applicable
 * @example
 * const images = await m.model.sample(64, rng, labelOption(m, o.label));
 */
export function labelOption(m: LoadedModel, label: number | undefined): { labels?: number } {
  const K = m.model.config.classes;
  if (K === 0) {
    if (label !== undefined) throw new VaekitError(`--label applies to conditional models (trained with --conditional); the model in ${m.dir} is not conditional`, 'E_ARG');
    return {};
  }
  if (label === undefined) throw new VaekitError(`the model in ${m.dir} is a conditional VAE (${K} classes): pass --label K with K in 0..${K - 1} to choose the class`, 'E_ARG');
  if (label >= K) throw new VaekitError(`--label ${label} is not a class of the model in ${m.dir} (0..${K - 1})`, 'E_ARG');
  return { labels: label };
}

/**
 * The `labels` option of encode/elbo calls on dataset rows: the rows' own labels for a conditional model,
 * nothing otherwise. Labels outside the model's classes are an error naming the first such row.
 *
 * @example
 * const { mu } = await m.model.encode(ds.images, dataLabels(m, ds.labels, ds.name));
 */
export function dataLabels(m: LoadedModel, labels: ArrayLike<number> | undefined, what: string): { labels?: Labels } {
  const K = m.model.config.classes;
  if (K === 0) return {};
  if (!labels) throw new VaekitError(`the model in ${m.dir} is a conditional VAE (${K} classes) and ${what} has no labels: pass --label K to use class K for every example`, 'E_ARG');
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= K) throw new VaekitError(`${what}: example ${i} has label ${labels[i]}, not a class of the model in ${m.dir} (0..${K - 1})`, 'E_DATA');
  }
  return { labels };
}
