/**
 * Runs a fixed-batch function over n rows in chunks of `batch`, zero-padding the last chunk so one compiled
 * graph (static shapes) serves any n. `rowIn`/`rowOut` are the per-row sizes of each input/output.
 *
 * @example
 * const out = await batched(10000, 500, { x: [images, 784] }, { mu: 20 }, (feeds) => f.run(feeds));
 */
export async function batched(
  n: number,
  batch: number,
  inputs: Record<string, [Float32Array, number]>,
  outputs: Record<string, number>,
  run: (feeds: Record<string, Float32Array>) => Promise<Record<string, unknown>>,
): Promise<Record<string, Float32Array>> {
  const out = Object.fromEntries(Object.entries(outputs).map(([k, d]) => [k, new Float32Array(n * d)]));
  const bufs = Object.fromEntries(Object.entries(inputs).map(([k, [, d]]) => [k, new Float32Array(batch * d)]));
  for (let s = 0; s < n; s += batch) {
    const m = Math.min(batch, n - s);
    const feeds: Record<string, Float32Array> = {};
    for (const [k, [src, d]] of Object.entries(inputs)) {
      if (m === batch) feeds[k] = src.subarray(s * d, (s + m) * d);
      else {
        bufs[k].fill(0);
        bufs[k].set(src.subarray(s * d, (s + m) * d));
        feeds[k] = bufs[k];
      }
    }
    const res = await run(feeds);
    for (const [k, d] of Object.entries(outputs)) out[k].set((res[k] as Float32Array).subarray(0, m * d), s * d);
  }
  return out;
}
