import { z } from 'zod';
import { VaekitError } from '../errors.js';
import { sizeOf } from '../graph/dtype.js';
import { LayerSpecSchema } from '../nn/layerSpec.js';
import { LAYERS } from '../nn/layers/registry.js';
import { parseOrThrow } from '../schemaIssues.js';
import { PRESETS, preset } from './presets.js';

const Activation = z.enum(['relu', 'tanh', 'softplus', 'sigmoid', 'leakyRelu', 'elu', 'gelu']);

/** One column's slice of a table row: a standardized number (Gaussian, width 1) or a one-hot category. */
const TabularSegmentSchema = z
  .object({ kind: z.enum(['gaussian', 'categorical']), start: z.number().int().nonnegative(), width: z.number().int().positive(), column: z.string() })
  .strict();

/** Observation model p(x|z). 'tabular': per-column Gaussian (learned σ) or categorical segments of a CSV row. */
export const LikelihoodConfigSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('bernoulli') }).strict(),
    z.object({ type: z.literal('gaussian'), sigma: z.union([z.number().positive(), z.enum(['learned', 'learned-per-dim'])]).default(0.1) }).strict(),
    z.object({ type: z.literal('tabular'), segments: z.array(TabularSegmentSchema).min(1).max(1 << 16) }).strict(),
  ])
  .default({ type: 'bernoulli' });

/** How the KL term is weighted over training (β is the weight at full strength). */
export const KlScheduleSchema = z
  .discriminatedUnion('type', [
    /** β throughout. */
    z.object({ type: z.literal('constant') }).strict(),
    /** β·min(1, t/steps): linear warm-up. */
    z.object({ type: z.literal('warmup'), steps: z.number().int().positive() }).strict(),
    /** Cyclical annealing (Fu et al. 2019): `cycles` cycles over `totalSteps`, rising linearly for the first `ratio` of each, then β. */
    z.object({ type: z.literal('cyclical'), totalSteps: z.number().int().positive(), cycles: z.number().int().positive().default(4), ratio: z.number().gt(0).max(1).default(0.5) }).strict(),
    /** Capacity control (Burgess et al. 2018): γ·|KL − C|, C rising linearly from 0 to cMax nats over `steps`. */
    z.object({ type: z.literal('capacity'), gamma: z.number().positive().default(1000), cMax: z.number().nonnegative(), steps: z.number().int().positive() }).strict(),
  ])
  .default({ type: 'constant' });

/** Most classes of a conditional VAE: each is one one-hot input of the encoder and the decoder. */
export const MAX_CLASSES = 65536;

/** Which bound is maximized; K samples per example (IWAE of Burda et al. 2015, or the K-sample average ELBO). */
export const ObjectiveSchema = z
  .object({ type: z.enum(['elbo', 'iwae']).default('elbo'), k: z.number().int().min(1).max(4096).default(1) })
  .strict()
  .default({ type: 'elbo', k: 1 });

/**
 * A VAE's configuration (config.json `model`, format version 2): data shape, latent size, encoder and decoder
 * as layer lists, likelihood, conditioning and objective. Every default lives here.
 *
 * @example
 * const cfg = parseVaeConfig({ latentDim: 2 });                        // the MLP, 784-400-2
 * const conv = parseVaeConfig({ arch: 'conv', latentDim: 16 });          // the Keras example's conv VAE
 */
export const VaeConfigSchema = z
  .object({
    /** One example's shape: [C, H, W] for images, [D] for vectors and tables. */
    dataShape: z.array(z.number().int().positive().max(1 << 20)).min(1).max(3),
    latentDim: z.number().int().positive().max(4096).default(20),
    /** Maps x [B, ...dataShape] to 2·L values (μ and log σ²); its last layer has size 'out'. */
    encoder: z.array(LayerSpecSchema).min(1).max(256).optional(),
    /** Maps z [B, L] to the likelihood's parameters; its last layer has size 'out'. */
    decoder: z.array(LayerSpecSchema).min(1).max(256).optional(),
    /** Name of a model written in TypeScript (no layer lists): loading it needs its VaeDef. */
    custom: z.string().min(1).max(200).optional(),
    likelihood: LikelihoodConfigSchema,
    /** Number of classes of a conditional VAE (the one-hot label feeds encoder and decoder); 0 = unconditional. */
    classes: z.number().int().nonnegative().max(MAX_CLASSES).default(0),
    /** Weight of the KL term at full strength: 1 is the ELBO, > 1 a β-VAE. */
    beta: z.number().nonnegative().default(1),
    kl: KlScheduleSchema,
    /** Free bits (Kingma et al. 2016): each latent dimension's batch-mean KL counts as at least this many nats. */
    freeBits: z.number().nonnegative().default(0),
    objective: ObjectiveSchema,
  })
  .strict();

export type VaeConfig = z.infer<typeof VaeConfigSchema>;
export type LikelihoodConfig = VaeConfig['likelihood'];
export type KlSchedule = VaeConfig['kl'];

/** Shorthands accepted on input and expanded before validation (never saved). */
const ShorthandSchema = z
  .object({
    arch: z.string().default('mlp'),
    hidden: z.array(z.number().int().positive().max(65536)).max(16).optional(),
    activation: Activation.optional(),
    /** Version-1 name of dataShape: [rows, cols] of grey images. */
    imageShape: z.tuple([z.number().int().positive(), z.number().int().positive()]).optional(),
  })
  .passthrough();

/**
 * Validates a (partial) config and fills defaults. Without `encoder`/`decoder` the layer lists come from
 * the preset `arch` (default 'mlp', shaped by `hidden` and `activation`); a version-1 config (`imageShape`,
 * `hidden`, `activation`) becomes the same MLP with the same parameter names. Errors list each bad field.
 *
 * @example
 * parseVaeConfig({ dataShape: [3, 64, 64], arch: 'vanilla64', latentDim: 128 })
 */
export function parseVaeConfig(input: unknown, source = 'model config'): VaeConfig {
  const fail = (issues: string) => new VaekitError(`${source}: invalid: ${issues}`, 'E_CONFIG');
  const raw = parseOrThrow(ShorthandSchema, input ?? {}, fail);
  const { arch, hidden, activation, imageShape, ...rest } = raw;
  const dataShape = (rest.dataShape as number[] | undefined) ?? (imageShape ? [1, ...imageShape] : [1, 28, 28]);
  const full: Record<string, unknown> = { ...rest, dataShape };
  if (rest.custom === undefined && (rest.encoder === undefined || rest.decoder === undefined)) {
    if (!Object.hasOwn(PRESETS, arch)) throw fail(`unknown architecture "${arch}"`);
    Object.assign(full, preset(arch, { dataShape, hidden, activation }));
  }
  for (const list of ['encoder', 'decoder'] as const) checkLayerTypes(full[list], list, fail);
  const cfg = parseOrThrow(VaeConfigSchema, full, fail);
  if (cfg.custom === undefined && (!cfg.encoder || !cfg.decoder)) throw fail('"encoder" and "decoder" layer lists are both needed (or neither, for a preset)');
  if (cfg.objective.type === 'iwae' && (cfg.kl.type === 'capacity' || cfg.freeBits > 0)) throw fail('objective "iwae" cannot be combined with capacity control or free bits (they shape the ELBO)');
  return cfg;
}

/** An unknown layer type named with its list and index (zod would only say the discriminator is invalid). */
function checkLayerTypes(layers: unknown, list: string, fail: (issues: string) => VaekitError): void {
  if (!Array.isArray(layers)) return;
  layers.forEach((l: unknown, i) => {
    const type = (l as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !Object.hasOwn(LAYERS, type)) {
      throw fail(`${list} layer ${i}: unknown type ${JSON.stringify(type)}; layer types are ${Object.keys(LAYERS).join(', ')}`);
    }
  });
}

/** Values per example: the product of the data shape. */
export const dataDim = (cfg: Pick<VaeConfig, 'dataShape'>): number => sizeOf(cfg.dataShape);

/**
 * A one-line summary of the architecture: data, the encoder's layer sizes, latent size, e.g. '784-400-20'
 * for the default MLP or '1x28x28-c32-c64-16-16' for the conv preset.
 *
 * @example
 * note(`training a ${describeVae(cfg)} VAE`);
 */
export function describeVae(cfg: VaeConfig): string {
  if (!cfg.encoder) return `${cfg.custom} (${cfg.dataShape.join('x')}-…-${cfg.latentDim})`;
  const data = cfg.encoder[0].type === 'flatten' || cfg.dataShape.length === 1 ? String(dataDim(cfg)) : cfg.dataShape.join('x');
  const sizes = cfg.encoder.flatMap((l) =>
    l.type === 'dense' && l.units !== 'out' ? [String(l.units)] : l.type === 'conv2d' && l.filters !== 'out' ? [`c${l.filters}`] : [],
  );
  return [data, ...sizes, String(cfg.latentDim)].join('-');
}

/**
 * Rows and columns of one example drawn as a picture: [H, W] of [C, H, W] (or of [H, W]), and one row [1, D]
 * for vectors and table rows.
 *
 * @example
 * planeShape([3, 64, 64]) // [64, 64]
 */
export function planeShape(dataShape: readonly number[]): [number, number] {
  const s = dataShape;
  return s.length === 3 ? [s[1], s[2]] : s.length === 2 ? [s[0], s[1]] : [1, s[0]];
}
