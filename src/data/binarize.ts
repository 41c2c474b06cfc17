import { VaekitError } from '../errors.js';
import type { Prng } from '../random/prng.js';

/**
 * How gray pixels in [0, 1] become the {0, 1} targets of a Bernoulli decoder:
 * - 'none': keep gray values (the Bernoulli log-likelihood is then a cross-entropy, not a density);
 * - 'static': threshold once at 0.5 (fixed data, comparable across runs);
 * - 'dynamic': draw x ~ Bernoulli(pixel) afresh for every batch (the usual choice for MNIST likelihoods).
 *
 * @example
 * const mode: BinarizeMode = 'dynamic';
 */
export type BinarizeMode = 'none' | 'static' | 'dynamic';

/**
 * Thresholds at 0.5: x > 0.5 → 1, else 0.
 *
 * @example
 * binarizeStatic(new Float32Array([0.2, 0.5, 0.7])); // Float32Array [0, 0, 1]
 */
export function binarizeStatic(images: Float32Array, out: Float32Array = new Float32Array(images.length)): Float32Array {
  checkOut(images, out);
  for (let i = 0; i < images.length; i++) out[i] = images[i] > 0.5 ? 1 : 0;
  return out;
}

/**
 * Draws each x_i ~ Bernoulli(images[i]) as `rng.uniform() < p`, so p = 0 never fires and p = 1 always does.
 * `out` may be `images` itself or a reused batch buffer.
 *
 * @example
 * const rng = new Prng(1);
 * const batch = binarizeDynamic(grayBatch, rng); // a fresh {0,1} sample every call
 */
export function binarizeDynamic(images: Float32Array, rng: Prng, out: Float32Array = new Float32Array(images.length)): Float32Array {
  checkOut(images, out);
  for (let i = 0; i < images.length; i++) out[i] = rng.uniform() < images[i] ? 1 : 0;
  return out;
}

/**
 * Applies `mode`; 'none' copies into `out` (or returns `images` when no `out` is given).
 *
 * @example
 * const x = binarize(batch, config.binarize, rng, scratch);
 */
export function binarize(images: Float32Array, mode: BinarizeMode, rng: Prng, out?: Float32Array): Float32Array {
  switch (mode) {
    case 'none':
      if (out === undefined) return images;
      checkOut(images, out);
      out.set(images);
      return out;
    case 'static':
      return binarizeStatic(images, out);
    case 'dynamic':
      return binarizeDynamic(images, rng, out);
    default:
      throw new VaekitError(`unknown binarize mode '${String(mode)}': expected 'none', 'static' or 'dynamic'`, 'E_CONFIG');
  }
}

function checkOut(images: Float32Array, out: Float32Array): void {
  if (out.length !== images.length) {
    throw new VaekitError(`binarize: out has ${out.length} elements but images has ${images.length}; pass a buffer of the same length`, 'E_SHAPE');
  }
}
