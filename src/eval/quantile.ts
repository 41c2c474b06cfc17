import { VaekitError } from '../errors.js';

/**
 * The q-quantile of `values` with linear interpolation between order statistics (Hyndman & Fan type 7, the
 * default of NumPy and R), e.g. to flag the top 5% of anomaly scores with q = 0.95.
 *
 * @throws VaekitError if values is empty or has NaN, or q is not in [0, 1]
 * @example
 * quantile([1, 2, 3, 4], 0.5); // 2.5
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new VaekitError(`quantile: q must be in [0, 1], got ${q}`, 'E_ARG');
  if (values.length === 0) throw new VaekitError('quantile: no values', 'E_ARG');
  const sorted = Float64Array.from(values).sort();
  if (Number.isNaN(sorted[sorted.length - 1])) throw new VaekitError('quantile: values contain NaN', 'E_DATA');
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
