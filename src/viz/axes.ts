/**
 * Scales and "nice" ticks for the SVG plots: steps of 1, 2 or 5 × 10^k (as d3 and matplotlib),
 * labels with just enough decimals for the step.
 */
import { VaekitError } from '../errors.js';

/** Ticks over a domain: `values` ascending, all within [min, max], `step` apart. */
export interface Ticks {
  values: number[];
  step: number;
  /** Tick labels, same order as `values`, with decimals fitted to `step`. */
  labels: string[];
}

/**
 * About `count` nice ticks inside [min, max] (never outside: the domain is not stretched).
 *
 * @example
 * niceTicks(0, 1, 5).values; // [0, 0.2, 0.4, 0.6, 0.8, 1]
 */
export function niceTicks(min: number, max: number, count: number): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(max > min)) {
    throw new VaekitError(`niceTicks: need finite min < max, got [${min}, ${max}]`, 'E_ARG');
  }
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const err = raw / power;
  // 1-2-5 rule: pick the nice multiplier nearest (geometrically) to raw/power
  const mult = err >= Math.sqrt(50) ? 10 : err >= Math.sqrt(10) ? 5 : err >= Math.sqrt(2) ? 2 : 1;
  const step = mult * power;
  // integer tick indices; value = i*step (or i/inv for step < 1) avoids 0.30000000000000004
  const inv = step < 1 ? Math.round(1 / step) : 0;
  const at = (i: number) => (inv ? i / inv : i * step);
  const i0 = Math.ceil(min / step - 1e-9);
  const i1 = Math.floor(max / step + 1e-9);
  const values: number[] = [];
  for (let i = i0; i <= i1; i++) values.push(at(i) === 0 ? 0 : at(i)); // === 0 turns -0 into 0
  return { values, step, labels: values.map((v) => formatTick(v, step)) };
}

/**
 * A tick label: fixed decimals fitted to `step` (0.25 → 2 decimals), exponent form for huge or tiny values.
 *
 * @example
 * formatTick(0.5, 0.1); // "0.5"
 * formatTick(120, 20);  // "120"
 */
export function formatTick(value: number, step: number): string {
  const mag = Math.max(Math.abs(value), step);
  if (mag < 1e6 && step >= 1e-4) return value.toFixed(decimals(step));
  if (value === 0) return '0';
  // mantissa decimals: the step measured in units of the value's leading power of ten
  const digits = Math.min(6, decimals(step / 10 ** Math.floor(Math.log10(Math.abs(value)))));
  return value.toExponential(digits);
}

/** Decimals needed to write multiples of `step` exactly (step has at most 2 significant 1-2-5 digits). */
function decimals(step: number): number {
  for (let d = 0; d < 12; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-6) return d;
  return 12;
}

/**
 * Linear map from data `domain` to pixel `range` (range may be reversed, as SVG's y grows downward).
 *
 * @example
 * const sy = linearScale([0, 10], [400, 20]); // sy(0) = 400 (bottom), sy(10) = 20 (top)
 */
export function linearScale(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/**
 * [min, max] of the finite values, widened by `padFraction` of the span on each side; if all values
 * are equal (v) the extent is v ± max(1, |v|/2), so the axis still has width.
 *
 * @example
 * paddedExtent([0, 10], 0.05); // [-0.5, 10.5]
 */
export function paddedExtent(values: ArrayLike<number>, padFraction: number): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min > max) throw new VaekitError('plot: no finite values to plot; every value is NaN or ±Infinity', 'E_DATA');
  if (min === max) {
    const half = Math.max(1, Math.abs(min) / 2);
    return [min - half, max + half];
  }
  const pad = (max - min) * padFraction;
  return [min - pad, max + pad];
}
