import { z } from 'zod';
import { VaekitError } from '../errors.js';
import { parseOrThrow } from '../schemaIssues.js';
import { sizeOf } from '../graph/dtype.js';
import { makeVae, vaeParamShapes } from '../models/vae.js';
import { type VaeDef } from '../models/vaeDef.js';
import { parseVaeConfig, type VaeConfig } from '../models/vaeConfig.js';
import { TrainConfigSchema, type TrainConfig } from '../train/trainConfig.js';
import { describeNonFinite, firstNonFinite } from './finiteParams.js';
import { decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from './safetensors.js';

/**
 * Version of the model-directory layout; readers refuse newer versions. 2: the model config holds the data
 * shape and layer lists (version-1 files, an MLP with `imageShape` and `hidden`, load as the same model).
 */
export const FORMAT_VERSION = 2;
export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'weights.safetensors';

const MetricsSchema = z.record(z.string(), z.unknown());

/** config.json: format version, model config, training config, dataset info, final metrics. */
export const ModelFileSchema = z.object({
  formatVersion: z.number().int().positive(),
  producer: z.string().default('vaekit'),
  /** Validated by parseVaeConfig, which also reads version-1 model configs. */
  model: z.unknown(),
  training: TrainConfigSchema.nullable().default(null),
  dataset: z.object({ name: z.string(), train: z.number().int().nonnegative(), test: z.number().int().nonnegative() }).passthrough().nullable().default(null),
  metrics: MetricsSchema.nullable().default(null),
});

export type ModelFile = Omit<z.infer<typeof ModelFileSchema>, 'model'> & { model: VaeConfig };

/** A model in memory: its metadata and parameters. */
export interface SavedModel {
  meta: ModelFile;
  params: Record<string, Float32Array>;
}

/**
 * Builds the config.json text and weights.safetensors bytes of a model directory. Weights carry their real
 * shapes (PyTorch layout: dense weights [out, in]) so Python's safetensors reads them as they are.
 *
 * @example
 * const { configJson, weights } = encodeModel({ meta: { formatVersion: 2, model: cfg, ... }, params });
 */
export function encodeModel(m: SavedModel, def?: VaeDef): { configJson: string; weights: Uint8Array } {
  const shapes = vaeParamShapes(makeVae(m.meta.model, def));
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const [k, shape] of Object.entries(shapes)) {
    const data = m.params[k];
    if (!data || data.length !== sizeOf(shape)) throw new VaekitError(`encodeModel: parameter "${k}" must have ${sizeOf(shape)} values`, 'E_IO');
    tensors[k] = { dtype: 'F32', shape, data };
  }
  const weights = encodeSafetensors(tensors, { format: 'pt', vaekitFormat: String(m.meta.formatVersion) });
  return { configJson: JSON.stringify(m.meta, null, 2) + '\n', weights };
}

/**
 * Parses and cross-checks a model directory's two files. Errors name the file and what is wrong: bad JSON
 * (with position), a newer format version, an invalid config field, a missing, extra or misshapen tensor.
 *
 * @example
 * const model = decodeModel(configText, weightBytes, { config: 'run/config.json', weights: 'run/weights.safetensors' });
 */
export function decodeModel(configText: string, weights: Uint8Array, sources: { config: string; weights: string }, def?: VaeDef): SavedModel {
  let raw: unknown;
  try {
    raw = JSON.parse(configText.replace(/^\uFEFF/, '')); // a UTF-8 byte-order mark some editors add
  } catch (e) {
    throw new VaekitError(`${sources.config}: not valid JSON (${(e as Error).message})`, 'E_MODEL');
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version !== 'number') throw new VaekitError(`${sources.config}: missing "formatVersion"; is this a vaekit model directory?`, 'E_MODEL');
  if (version > FORMAT_VERSION) {
    throw new VaekitError(`${sources.config}: format version ${version} is newer than this vaekit reads (${FORMAT_VERSION}); upgrade vaekit`, 'E_MODEL');
  }
  const parsed = parseOrThrow(ModelFileSchema, raw, (issues) => new VaekitError(`${sources.config}: invalid: ${issues}`, 'E_MODEL'));
  const meta = { ...parsed, model: parseVaeConfig(parsed.model, sources.config) };
  const file = decodeSafetensors(weights, sources.weights);
  const shapes = vaeParamShapes(makeVae(meta.model, def));
  const params: Record<string, Float32Array> = {};
  for (const [k, shape] of Object.entries(shapes)) {
    const t = file.tensors[k];
    if (!t) throw new VaekitError(`${sources.weights}: missing tensor "${k}" that ${sources.config} requires (shape [${shape}]); the files do not belong together`, 'E_MODEL');
    if (t.dtype !== 'F32' || t.shape.join(',') !== shape.join(',')) {
      throw new VaekitError(`${sources.weights}: tensor "${k}" is ${t.dtype}[${t.shape}] but ${sources.config} requires F32[${shape}]`, 'E_MODEL');
    }
    params[k] = t.data as Float32Array;
  }
  const extra = Object.keys(file.tensors).filter((k) => !Object.hasOwn(shapes, k));
  if (extra.length) throw new VaekitError(`${sources.weights}: unexpected tensors ${extra.join(', ')} not in the model ${sources.config} describes`, 'E_MODEL');
  const bad = firstNonFinite(params);
  if (bad) throw new VaekitError(`${sources.weights}: non-finite weight ${describeNonFinite(bad)}; the file is corrupt or from a diverged run (retrain, or resume from the run's checkpoint)`, 'E_MODEL');
  return { meta, params };
}

/** A fresh config.json object for a trained model. */
export function modelFile(model: VaeConfig, training: TrainConfig | null, dataset: ModelFile['dataset'], metrics: ModelFile['metrics']): ModelFile {
  return { formatVersion: FORMAT_VERSION, producer: 'vaekit', model, training, dataset, metrics };
}
