// What `vaekit train --data PATH` decides from the data, for a run in the page: the model config (data shape,
// the tabular likelihood for tables), the held-out split, the dataset record config.json keeps, and a memory
// check of the run before anything is compiled.
import { type TablePreprocessing } from '../data/bytesSource.js';
import { type PixelPreprocessing } from '../data/preprocessing.js';
import { type RowDataset } from '../data/rowDataset.js';
import { splitDataset } from '../data/splitDataset.js';
import { tableSegments } from '../data/tableSchema.js';
import { VaekitError } from '../errors.js';
import { type ModelFile } from '../io/modelFiles.js';
import { describeVae, parseVaeConfig, type VaeConfig } from '../models/vaeConfig.js';
import { trainingBytes } from '../train/memoryEstimate.js';

/** The CLI's default `--test-fraction` for a source without a test split. */
export const WEB_TEST_FRACTION = 0.1;
/** Most bytes a training run in the page may plan (onnxruntime-web's wasm heap is at most 4 GiB, shared). */
export const WEB_TRAIN_MAX_BYTES = 2 * 2 ** 30;

/** The page's model settings (the CLI's --latent, --hidden, --beta, --likelihood). */
export interface WebModelSettings {
  latentDim: number;
  hidden: number;
  beta: number;
  likelihood?: 'bernoulli' | 'gaussian';
}

/**
 * The model `vaekit train --data` builds for this data with these flags: the mlp preset sized to the data's
 * shape; a table's rows get the tabular likelihood (Gaussian numbers, categorical levels), which no flag
 * overrides.
 *
 * @example
 * const model = modelConfigForData({ latentDim: 4, hidden: 64, beta: 1 }, { shape: [13], preprocessing });
 */
export function modelConfigForData(s: WebModelSettings, data: { shape: readonly number[]; preprocessing?: PixelPreprocessing | TablePreprocessing }): VaeConfig {
  const pre = data.preprocessing;
  if (pre?.kind === 'table' && s.likelihood) throw new VaekitError(`likelihood ${s.likelihood}: a table has its own (tabular: Gaussian numbers and categorical levels per column)`, 'E_ARG');
  const likelihood = pre?.kind === 'table' ? { type: 'tabular', segments: tableSegments(pre.schema) } : s.likelihood && { type: s.likelihood };
  return parseVaeConfig({ dataShape: [...data.shape], latentDim: s.latentDim, hidden: [s.hidden], beta: s.beta, ...(likelihood && { likelihood }) }, "the page's model settings");
}

/**
 * Train and test splits as the CLI makes them: the source's own test split, else a seeded `WEB_TEST_FRACTION`.
 *
 * @example
 * const { train, test } = splitForTraining(ds, undefined, 1);
 */
export function splitForTraining(train: RowDataset, test: RowDataset | undefined, seed: number): { train: RowDataset; test: RowDataset } {
  return test ? { train, test } : splitDataset(train, WEB_TEST_FRACTION, seed);
}

/** What config.json records about the user's data: the CLI's dataset spec plus preprocessing and sizes. */
export interface WebDataRecord {
  name: string;
  source: Record<string, unknown>;
  preprocessing: PixelPreprocessing | TablePreprocessing;
  classNames?: readonly string[];
}

/**
 * config.json's `dataset` for a model trained in the page on the user's file: the CLI's record for
 * `--data NAME`, so `vaekit eval --model DIR` in a folder holding the file (or with `--data PATH`) reads it
 * the same way, with the same held-out rows.
 *
 * @example
 * const dataset = webDatasetRecord(rec, 1, { train: 310, test: 34 });
 */
export function webDatasetRecord(d: WebDataRecord, seed: number, sizes: { train: number; test: number }): NonNullable<ModelFile['dataset']> {
  const source = { ...d.source, testFraction: WEB_TEST_FRACTION, seed };
  return { name: d.name, path: d.name, source, preprocessing: d.preprocessing, ...(d.classNames && { classNames: [...d.classNames] }), ...sizes };
}

/**
 * Refuses a run whose parameters, Adam state and step buffers would not fit the page, with the number and the limit.
 *
 * @example
 * checkWebTraining(model, 128, 8);
 */
export function checkWebTraining(model: VaeConfig, batchSize: number, stepsPerCall: number): void {
  const bytes = trainingBytes(model, batchSize, stepsPerCall);
  if (bytes > WEB_TRAIN_MAX_BYTES) {
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
    throw new VaekitError(`training a ${describeVae(model)} VAE at batch ${batchSize} needs about ${mib(bytes)}, more than the ${mib(WEB_TRAIN_MAX_BYTES)} a browser tab can give it; use a smaller hidden size, batch or image size`, 'E_MEMORY');
  }
}
