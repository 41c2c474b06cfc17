import { z } from 'zod';
import { VaekitError } from '../errors.js';
import { SafeKey } from '../objectKeys.js';
import { parseOrThrow } from '../schemaIssues.js';
import { sizeOf } from '../graph/dtype.js';
import { describeNonFinite, firstNonFinite } from './finiteParams.js';
import { decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from './safetensors.js';
import { makeVae } from '../models/vae.js';
import { type VaeDef } from '../models/vaeDef.js';
import { parseVaeConfig, type VaeConfig } from '../models/vaeConfig.js';
import { type Params } from '../optim/trainState.js';
import { parseTrainConfig, TrainConfigSchema, type TrainConfig } from '../train/trainConfig.js';
import { type TrainerState } from '../train/trainerState.js';

/** Version of the checkpoint layout. */
export const CHECKPOINT_VERSION = 1;

/** A checkpoint: the trainer's state plus what is needed to rebuild the trainer around it. */
export interface Checkpoint {
  model: VaeConfig;
  training: TrainConfig;
  /** Where the data came from: a dataset name, its directory, and the labels kept (all when absent). */
  dataset: { name: string; dir?: string; classes?: number[]; path?: string; source?: Record<string, unknown> };
  state: TrainerState;
}

const RngState = z.object({ words: z.array(z.number().int().min(0).max(2 ** 32 - 1)).length(4), spare: z.number().nullable() });
// metrics are records (an objective adds its own bound, e.g. negIwae); version-1 files hold negElbo, recon, kl
const Metrics = z.object({ negElbo: z.number(), recon: z.number(), kl: z.number() }).catchall(z.number());
const MetaSchema = z.object({
  version: z.number().int(),
  /** Validated by parseVaeConfig, which also reads version-1 model configs. */
  model: z.unknown(),
  training: TrainConfigSchema,
  dataset: z.object({
    name: z.string(),
    dir: z.string().optional(),
    classes: z.array(z.number().int().nonnegative()).optional(),
    path: z.string().optional(),
    source: z.record(SafeKey, z.unknown()).optional(),
  }),
  step: z.number().int().nonnegative(),
  epoch: z.number().int().nonnegative(),
  batch: z.number().int().nonnegative(),
  dataRng: RngState,
  noiseRng: RngState,
  acc: z.object({ sums: z.record(SafeKey, z.number()), count: z.number() }),
  history: z.array(z.object({ epoch: z.number(), step: z.number(), seconds: z.number(), train: Metrics, val: Metrics.optional(), test: Metrics.optional() })),
  best: z.object({ value: z.number(), epoch: z.number(), badEpochs: z.number() }).nullable(),
  earlyStopped: z.boolean(),
  optimizerSlots: z.array(SafeKey),
});

const f32 = (shape: number[], data: Float32Array): SafetensorsTensor => ({ dtype: 'F32', shape, data });

/**
 * Serializes a checkpoint as one safetensors file: tensors for parameters, Adam moments, the best model and
 * the epoch's data order; JSON metadata for the rest.
 *
 * @example
 * writeFileAtomic('run/checkpoint.safetensors', encodeCheckpoint(ckpt));
 */
export function encodeCheckpoint(c: Checkpoint, def?: VaeDef): Uint8Array {
  const specs = makeVae(c.model, def).specs;
  const tensors: Record<string, SafetensorsTensor> = {};
  const s = c.state;
  for (const [k, { shape, kind }] of Object.entries(specs)) {
    tensors[`param/${k}`] = f32(shape, s.train.params[k]);
    // optimizer slots exist for trained parameters only, not for buffers
    if (kind === 'param') for (const [slot, vals] of Object.entries(s.train.opt)) tensors[`opt/${slot}/${k}`] = f32(shape, vals[k]);
    if (s.best) tensors[`best/${k}`] = f32(shape, s.best.params[k]);
  }
  if (s.perm) tensors.perm = { dtype: 'I32', shape: [s.perm.length], data: Int32Array.from(s.perm) };
  const meta: z.infer<typeof MetaSchema> = {
    version: CHECKPOINT_VERSION,
    model: c.model,
    training: c.training,
    dataset: c.dataset,
    step: s.train.step,
    epoch: s.epoch,
    batch: s.batch,
    dataRng: s.dataRng,
    noiseRng: s.noiseRng,
    acc: s.acc,
    history: s.history as z.infer<typeof MetaSchema>['history'],
    best: s.best && { value: s.best.value, epoch: s.best.epoch, badEpochs: s.best.badEpochs },
    earlyStopped: s.earlyStopped,
    optimizerSlots: Object.keys(s.train.opt),
  };
  return encodeSafetensors(tensors, { vaekitCheckpoint: JSON.stringify(meta) });
}

/**
 * Parses and validates a checkpoint; every problem is a VaekitError naming `source`.
 *
 * @example
 * const ckpt = decodeCheckpoint(readFileSync(file), file);
 */
export function decodeCheckpoint(bytes: Uint8Array, source: string, def?: VaeDef): Checkpoint {
  const file = decodeSafetensors(bytes, source);
  const fail = (what: string) => new VaekitError(`checkpoint ${source}: ${what}`, 'E_CHECKPOINT');
  const text = file.metadata.vaekitCheckpoint;
  if (text === undefined) throw fail('no vaekitCheckpoint metadata; not a vaekit checkpoint');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw fail(`metadata is not valid JSON (${(e as Error).message})`);
  }
  const m = parseOrThrow(MetaSchema, raw, (issues) => fail(`invalid metadata: ${issues}`));
  if (m.version > CHECKPOINT_VERSION) throw fail(`version ${m.version} is newer than this vaekit reads (${CHECKPOINT_VERSION}); upgrade vaekit`);
  const model = parseVaeConfig(m.model, source);
  const training = parseTrainConfig(m.training, source);
  const specs = makeVae(model, def).specs;
  const take = (name: string, n: number): Float32Array => {
    const t = file.tensors[name];
    if (!t || t.dtype !== 'F32' || t.data.length !== n) throw fail(`tensor "${name}" is missing or not F32 with ${n} values`);
    return t.data as Float32Array;
  };
  const params: Params = {};
  const opt: Record<string, Params> = Object.fromEntries(m.optimizerSlots.map((s) => [s, {}]));
  const best: Params = {};
  for (const [k, { shape, kind }] of Object.entries(specs)) {
    params[k] = take(`param/${k}`, sizeOf(shape));
    if (kind === 'param') for (const slot of m.optimizerSlots) opt[slot][k] = take(`opt/${slot}/${k}`, sizeOf(shape));
    if (m.best) best[k] = take(`best/${k}`, sizeOf(shape));
  }
  let perm: number[] | null = null;
  if (file.tensors.perm) {
    const p = file.tensors.perm.data;
    if (!(p instanceof Int32Array)) throw fail('tensor "perm" must be I32');
    perm = Array.from(p);
  }
  if (m.batch > 0 && !perm) throw fail(`stopped mid-epoch (batch ${m.batch}) but has no data order ("perm")`);
  const bad = firstNonFinite(params) ?? firstNonFinite(best) ?? m.optimizerSlots.map((s) => firstNonFinite(opt[s])).find((f) => f !== undefined);
  if (bad) throw fail(`non-finite value ${describeNonFinite(bad)} among the parameters, best model or optimizer state (corrupt file)`);
  const state: TrainerState = {
    train: { params, opt, step: m.step },
    epoch: m.epoch,
    batch: m.batch,
    perm,
    dataRng: m.dataRng,
    noiseRng: m.noiseRng,
    acc: m.acc,
    history: m.history,
    best: m.best && { ...m.best, params: best },
    earlyStopped: m.earlyStopped,
  };
  return { model, training, dataset: m.dataset, state };
}
