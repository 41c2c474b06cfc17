/**
 * What most commands do first: make the engine, load a model directory, load the data the model is judged
 * on, and check that the two fit.
 */
import { type ImageDataset } from '../data/dataset.js';
import { VaekitError } from '../errors.js';
import { type ModelFile } from '../io/modelFiles.js';
import { type Labels, VaeModel } from '../models/vaeModel.js';
import { nodeEngine } from '../node.js';
import { loadModelDir } from '../node/modelDir.js';
import { evalSeed, heldOutImages } from '../train/heldOut.js';
import { type Engine } from '../runtime/engine.js';
import { datasetFor, loadSplit, type DatasetSpec } from './datasets.js';
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
  /** [rows, cols] of the images it reads and draws. */
  shape: [number, number];
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
  return { dir, meta, model: new VaeModel(engine, meta.model, params), shape: ds.length === 3 ? [ds[1], ds[2]] : [1, ds[0]] };
}

/** A split loaded for a model, with the spec it came from. */
export interface ModelData {
  spec: DatasetSpec;
  split: 'train' | 'test';
  ds: ImageDataset;
}

/**
 * Loads the split the flags ask for (default: the model's own dataset) and checks its image size.
 *
 * @example
 * const { ds } = await dataForModel(loaded, opts);
 */
export async function dataForModel(m: LoadedModel, flags: DatasetFlags): Promise<ModelData> {
  const spec = datasetFor(m.meta, flags);
  const ds = await loadSplit(spec, flags.split);
  checkImageSize(m, ds.rows, ds.cols, ds.name);
  return { spec, split: flags.split, ds };
}

/**
 * Fails unless images of rows×cols fit the model.
 *
 * @example
 * checkImageSize(m, 28, 28, 'digit.png');
 */
export function checkImageSize(m: LoadedModel, rows: number, cols: number, what: string): void {
  const [r, c] = m.shape;
  if (rows !== r || cols !== c) {
    throw new VaekitError(`${what} has ${rows}x${cols} images but the model in ${m.dir} reads ${r}x${c}`, 'E_DATA');
  }
}

/**
 * Images prepared as the trainer prepares its held-out sets, so likelihoods are comparable with training's
 * test numbers: thresholded for static binarization, one fixed draw for dynamic (seeded as the trainer seeds
 * its test set: training seed + 3), unchanged otherwise.
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
export function checkIndex(flag: string, i: number, ds: ImageDataset): void {
  if (i >= ds.n) throw new VaekitError(`${flag} ${i} is out of range: ${ds.name} has ${ds.n} examples (valid: 0..${ds.n - 1})`, 'E_ARG');
}

/**
 * The first min(n, ds.n) images of a dataset, [m, D] (a view, not a copy).
 *
 * @example
 * const { images, n } = firstImages(test, 32);
 */
export function firstImages(ds: ImageDataset, n: number): { images: Float32Array; labels: Uint8Array; n: number } {
  const m = Math.min(n, ds.n);
  const D = ds.rows * ds.cols;
  return { images: ds.images.subarray(0, m * D), labels: ds.labels.subarray(0, m), n: m };
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
