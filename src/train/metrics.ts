/** Mean losses over a split, in nats per example. negElbo = recon + kl (the β = 1 bound). */
export interface ElboMetrics {
  negElbo: number;
  recon: number;
  kl: number;
}

/**
 * Running, example-weighted mean of step metrics over an epoch. Sums are float64 and saved in checkpoints,
 * so a resumed epoch reports exactly what an uninterrupted one would.
 */
export class MetricAccumulator {
  sums: Record<string, number> = {};
  count = 0;

  add(metrics: Record<string, number>, n: number): void {
    for (const [k, v] of Object.entries(metrics)) this.sums[k] = (this.sums[k] ?? 0) + v * n;
    this.count += n;
  }

  means(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.sums).map(([k, v]) => [k, v / this.count]));
  }
}

/** Means of per-example ELBO terms. */
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
