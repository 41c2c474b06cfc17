/**
 * What most commands do first: make the engine, load a model directory, load the data the model is judged
 * on, and check that the two fit.
 */
import { type ImageDataset } from '../data/dataset.js';
import { VaekitError } from '../errors.js';
import { type ModelFile } from '../io/modelFiles.js';
import { VaeModel } from '../models/vaeModel.js';
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
  return { dir, meta, model: new VaeModel(engine, meta.model, params), shape: meta.model.imageShape };
}

/** A split loaded for a model, with the spec it came from. */
export interface ModelData {
  spec: DatasetSpec;
  split: 'train' | 'test';
  /** The examples as the model reads them (prepared as in training). */
  ds: ImageDataset;
  /** The same examples' pixels as stored, [n, D], for drawing next to what the model made of them. */
  raw: Float32Array;
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
  const loaded = await loadSplit(spec, flags.split);
  checkImageSize(m, loaded.rows, loaded.cols, loaded.name);
  const first = flags.limit === undefined ? loaded : { ...loaded, ...firstImages(loaded, flags.limit) };
  return { spec, split: flags.split, ds: { ...first, images: asTrainedOn(first.images, m.meta) }, raw: first.images };
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
