/**
 * Active latent units (Burda et al. 2016, "Importance Weighted Autoencoders", §5.2): unit i is active when
 * A_i = Cov_x(E_{q(z|x)}[z_i]) — the variance over the data of the posterior mean μ_i(x) — exceeds a
 * threshold (10⁻² in the paper). An inactive unit's posterior ignores x, i.e. it collapsed to the prior.
 */
import { VaekitError } from '../errors.js';

/** Result of {@link activeUnits}. */
export interface ActiveUnits {
  /** Units with variance strictly above the threshold. */
  count: number;
  /** A_i per latent unit [L]: variance of μ_i over the n examples (divided by n, the data's own variance). */
  variances: Float64Array;
}

/**
 * Counts active units from posterior means `mu` [n, L] (e.g. `(await model.encode(test.images)).mu`).
 * Two-pass float64 variance, so large offsets in μ do not cancel.
 *
 * @throws VaekitError if mu is not [n, L] with n ≥ 1, or threshold is negative
 * @example
 * const { mu } = await model.encode(test.images);
 * activeUnits(mu, test.n, model.latentDim).count; // e.g. 12 of 20
 */
export function activeUnits(mu: Float32Array, n: number, L: number, threshold = 0.01): ActiveUnits {
  if (!Number.isInteger(n) || !Number.isInteger(L) || n < 1 || L < 1 || mu.length !== n * L) {
    throw new VaekitError(`activeUnits: mu must be [n, L] = [${n}, ${L}] (${n * L} values) with n, L ≥ 1, got ${mu.length} values`, 'E_SHAPE');
  }
  if (!(threshold >= 0)) throw new VaekitError(`activeUnits: threshold must be ≥ 0 (Burda et al. use 0.01), got ${threshold}`, 'E_CONFIG');
  const mean = new Float64Array(L);
  for (let r = 0; r < n; r++) for (let i = 0; i < L; i++) mean[i] += mu[r * L + i];
  for (let i = 0; i < L; i++) mean[i] /= n;
  const variances = new Float64Array(L);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < L; i++) {
      const d = mu[r * L + i] - mean[i];
      variances[i] += d * d;
    }
  }
  let count = 0;
  for (let i = 0; i < L; i++) {
    variances[i] /= n;
    if (variances[i] > threshold) count++;
  }
  return { count, variances };
}
