import { z } from 'zod';
import { VaekitError } from '../errors.js';
import { parseOrThrow } from '../schemaIssues.js';

/**
 * Training options; every default lives here. Saved as `training` in config.json next to the weights.
 *
 * @example
 * const t = parseTrainConfig({ epochs: 5, seed: 3 });
 */
export const TrainConfigSchema = z
  .object({
    epochs: z.number().int().positive().max(100000).default(10),
    batchSize: z.number().int().positive().max(65536).default(128),
    lr: z.number().positive().max(10).default(1e-3),
    seed: z.number().int().nonnegative().max(2 ** 32 - 1).default(1),
    /** none: grey values; static: threshold 0.5 once; dynamic: a fresh Bernoulli draw every epoch. */
    binarize: z.enum(['none', 'static', 'dynamic']).default('none'),
    /** Global-norm gradient clipping (off when absent). */
    gradClip: z.number().positive().optional(),
    /** Early stopping: epochs without a better validation −ELBO before stopping (off when absent). */
    patience: z.number().int().positive().optional(),
    /** Fraction of the training set held out for validation (default 0.1 with patience, else 0). */
    valFraction: z.number().min(0).max(0.5).optional(),
  })
  .strict();

export type TrainConfig = z.infer<typeof TrainConfigSchema>;

/** Validates training options and fills defaults. */
export function parseTrainConfig(input: unknown, source = 'training config'): TrainConfig {
  return parseOrThrow(TrainConfigSchema, input ?? {}, (issues) => new VaekitError(`${source}: invalid: ${issues}`, 'E_CONFIG'));
}

/** The validation fraction in effect. */
export const valFractionOf = (t: TrainConfig): number => t.valFraction ?? (t.patience ? 0.1 : 0);
