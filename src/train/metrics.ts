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

