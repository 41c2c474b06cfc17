import { VaekitError } from '../errors.js';
import { type Prng } from '../random/prng.js';
import { checkSegments, numericCount, segmentsWidth, type TabularSegment } from './tabularLikelihood.js';

/** How a row is drawn from the likelihood: a random draw, or its mode (mean for numeric, most likely level). */
export type TabularSampleMode = 'draw' | 'mode';

/**
 * Draws x-space rows from a tabular likelihood's `mean` values, on the CPU: numeric x_j = μ_j + σ_j ε
 * (σ_j = e^{logvar_j/2}), categorical one-hot of a level drawn from the segment's probabilities (or, with
 * mode 'mode', μ_j and the argmax). `mean` is [n, D] as {@link tabularLikelihood} returns it.
 *
 * @example
 * const x = sampleTabular(segs, meanValues, n, logvarValues, new Prng(1)); // then decodeTable(schema, x, n)
 */
export function sampleTabular(
  segments: readonly TabularSegment[],
  mean: Float32Array,
  n: number,
  logvar: Float32Array,
  rng: Prng,
  mode: TabularSampleMode = 'draw',
): Float32Array {
  checkSegments(segments);
  const d = segmentsWidth(segments);
  if (mean.length !== n * d) throw new VaekitError(`sampleTabular: mean has ${mean.length} values, expected ${n} rows × ${d}`, 'E_SHAPE');
  if (logvar.length !== numericCount(segments)) throw new VaekitError(`sampleTabular: logvar has ${logvar.length} values, expected ${numericCount(segments)}`, 'E_SHAPE');
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    let num = 0;
    for (const s of segments) {
      const at = i * d + s.start;
      if (s.kind === 'gaussian') {
        x[at] = mode === 'mode' ? mean[at] : mean[at] + Math.exp(0.5 * logvar[num]) * rng.normal();
        num++;
        continue;
      }
      x[at + pickLevel(mean.subarray(at, at + s.width), mode === 'mode' ? undefined : rng.uniform())] = 1;
    }
  }
  return x;
}

// Index of the level: the argmax, or inverse-CDF with uniform u (probabilities renormalized by their sum).
function pickLevel(p: Float32Array, u: number | undefined): number {
  let best = 0;
  let total = 0;
  for (let k = 0; k < p.length; k++) {
    total += p[k];
    if (p[k] > p[best]) best = k;
  }
  if (u === undefined || !(total > 0)) return best;
  let acc = 0;
  for (let k = 0; k < p.length; k++) {
    acc += p[k] / total;
    if (u < acc) return k;
  }
  return p.length - 1;
}
