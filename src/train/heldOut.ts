import { binarizeDynamic, binarizeStatic } from '../data/binarize.js';
import { Prng } from '../random/prng.js';
import { type TrainConfig } from './trainConfig.js';

/** Which held-out split: each gets its own fixed binarization draw. */
export type HeldOutSplit = 'val' | 'test';
const DRAW_OFFSET: Record<HeldOutSplit, number> = { val: 2, test: 3 };

/**
 * Held-out images as training sees them: unchanged ('none'), thresholded ('static'), or one fixed seeded
 * Bernoulli draw ('dynamic', so the same weights always score the same). Trainer and CLI share this rule,
 * so `vaekit eval` repeats the test −ELBO logged during training.
 *
 * @example
 * const x = heldOutImages(test.images, training, 'test');
 */
export function heldOutImages(images: Float32Array, training: Pick<TrainConfig, 'binarize' | 'seed'>, split: HeldOutSplit): Float32Array {
  if (training.binarize === 'none') return images;
  if (training.binarize === 'static') return binarizeStatic(images);
  return binarizeDynamic(images, new Prng(training.seed + DRAW_OFFSET[split]));
}

/**
 * The seed of evaluation noise ε for a run: a stream separate from training's, fixed per run.
 *
 * @example
 * await model.elboTerms(x, new Prng(evalSeed(training.seed)));
 */
export function evalSeed(trainingSeed: number): number {
  return (trainingSeed ^ 0x5eed) >>> 0;
}
