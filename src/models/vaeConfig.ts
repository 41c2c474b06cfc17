import { z } from 'zod';
import { VaekitError } from '../errors.js';
import { parseOrThrow } from '../schemaIssues.js';

/**
 * The β-VAE's configuration: every default lives here. Saved as `model` in config.json next to the weights.
 *
 * @example
 * const cfg = parseVaeConfig({ latentDim: 2 }); // the pytorch/examples model with a 2-D latent
 */
export const VaeConfigSchema = z
  .object({
    /** Image rows and columns; the data dimension is their product. */
    imageShape: z.tuple([z.number().int().positive(), z.number().int().positive()]).default([28, 28]),
    latentDim: z.number().int().positive().max(4096).default(20),
    /** Encoder hidden sizes; the decoder mirrors them. */
    hidden: z.array(z.number().int().positive().max(65536)).max(16).default([400]),
    activation: z.enum(['relu', 'tanh', 'softplus', 'sigmoid', 'leakyRelu']).default('relu'),
    likelihood: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('bernoulli') }).strict(),
        z.object({ type: z.literal('gaussian'), sigma: z.union([z.number().positive(), z.enum(['learned', 'learned-per-dim'])]).default(0.1) }).strict(),
      ])
      .default({ type: 'bernoulli' }),
    /** Weight of the KL term: 1 is the ELBO, > 1 a β-VAE. */
    beta: z.number().nonnegative().default(1),
  })
  .strict();

export type VaeConfig = z.infer<typeof VaeConfigSchema>;

/** Validates a (partial) config and fills defaults; errors list each bad field. */
export function parseVaeConfig(input: unknown, source = 'model config'): VaeConfig {
  return parseOrThrow(VaeConfigSchema, input ?? {}, (issues) => new VaekitError(`${source}: invalid: ${issues}`, 'E_CONFIG'));
}

/** Data dimension D = rows · cols. */
export const dataDim = (cfg: VaeConfig): number => cfg.imageShape[0] * cfg.imageShape[1];
