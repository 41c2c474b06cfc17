/** Mean losses over a split, in nats per example. negElbo = recon + kl (the β = 1 bound). */
export interface ElboMetrics {
  negElbo: number;
  recon: number;
  kl: number;
}

/**
 * Means of per-example ELBO terms (nats per example), negElbo = recon + kl. The trainer's logged metrics
 * and `evaluate` both use it, so they agree to the last bit.
 *
 * @example
 * const { negElbo } = elboMeans(recon, kl);
 */
export function elboMeans(recon: Float32Array, kl: Float32Array): ElboMetrics {
  let r = 0;
  let k = 0;
  for (let i = 0; i < recon.length; i++) {
    r += recon[i];
    k += kl[i];
  }
  r /= recon.length;
  k /= kl.length;
  return { negElbo: r + k, recon: r, kl: k };
}
